#pragma once
#include "interactive/clickdata.h"
#include "interactive/clicksegmenter.h"

#include <opencv2/core.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mf {

/** One object's run of the simulated user: the IoU after each click (always maxClicks values: when
 *  no error is left the last IoU repeats) and the time segment() took. */
struct ObjectRun {
    std::string id;
    std::vector<double> ious;
    int clicks = 0;          ///< segment() calls made
    double seconds = 0;      ///< their total time (wall clock)
    double cpuSeconds = 0;   ///< their total processor time (all threads): the wall time less other load
    double slowestSeconds = 0;  ///< the slowest one's wall clock
    double slowestCpuSeconds = 0;  ///< the most processor time one took (other load does not count)
};

/** A method's run over a data set. */
struct MethodRun {
    std::string method;       ///< the segmenter's name, "+<prior>" when it had one
    std::vector<ObjectRun> objects;
    double setupSeconds = 0;  ///< setImage() time, all images
    int images = 0;
    std::string prior;               ///< the prior's name; empty: none
    double priorSeconds = 0;         ///< the prior's computation (wall clock), all images
    std::vector<double> priorIous;   ///< per image: IoU of the prior ≥ 0.5 against the image's objects
};

/** Where a prior comes from (clickbench --prior): a name and a map from an image alone (never its
 *  mask) to its object probability (CV_32FC1, image size), computed once per image and given with
 *  every click. Either `predict` (one object map per image: the classifier prior) or
 *  `classProbabilities` (one map per class, a trained model's prediction: each object gets its own
 *  class's map, by classPrior, as the GUI's click tool takes the active class's). */
struct ClickPriorSource {
    std::string name;
    std::function<cv::Mat(const cv::Mat& image)> predict;
    std::function<std::vector<cv::Mat>(const cv::Mat& image)> classProbabilities;
    /** Or a prior that knows the clicks (the click model): one per image, asked at every click's step
     *  (ClickQuery::stepPrior); its own IoU is not reported (it has none without clicks). */
    std::function<std::unique_ptr<ClickStepPrior>(const cv::Mat& image)> stepPrior;
};

/** How clickbench runs a method. */
struct ClickBenchOptions {
    int maxClicks = 20;
    const ClickPriorSource* prior = nullptr;  ///< null: no prior
    float priorWeight = 0;  ///< > 0: geocut's weight of the prior instead of its default
    float priorFade = -1;   ///< ≥ 0: geocut's GeoCutOptions::priorFade instead of its default
    int seedRadius = -1;    ///< ≥ 0: geocut's seed disk radius (colour and grey images) instead of its defaults
    bool whole = false;     ///< geocut as before issue 19: GeoCutOptions::local off, no contrast term
    /** geocut's data term is the prior alone (no colour, geodesic or contrast term; the boundary term and
     *  the clicks' seeds stay): what the prior answers by itself, smoothed. */
    bool priorOnly = false;
};

/** What clickbench prints per method. */
struct ClickSummary {
    std::string method;
    int objects = 0;
    double noc85 = 0, noc90 = 0;
    int failed85 = 0, failed90 = 0;     ///< objects that never reached the threshold
    std::vector<double> meanIou;        ///< mean IoU after click 1..maxClicks
    double secondsPerClick = 0;
    double cpuSecondsPerClick = 0;
    double slowestClickSeconds = 0;  ///< the slowest single click's wall clock (latency targets are per click)
    double slowestClickCpuSeconds = 0;  ///< the most processor time a single click took
    double setupSecondsPerImage = 0;
    std::string prior;                   ///< empty: none
    double priorIoU = 0;                 ///< mean over images of the prior's own IoU (thresholded at 0.5)
    int priorImages = 0;                 ///< images priorIoU is the mean of (0: a click model's, not scored alone)
    double priorSecondsPerImage = 0;
};

/** Runs RITM's simulated user (interactive/clickprotocol.h) with method `method` on every object, up to
 *  `maxClicks` clicks each. `progress` (may be empty) hears each object when done. */
MethodRun runClickBench(const std::vector<ClickSample>& data, const std::string& method, int maxClicks,
                        const std::function<void(const ObjectRun&)>& progress = {});
/** The same with a prior (options.prior) and settings. */
MethodRun runClickBench(const std::vector<ClickSample>& data, const std::string& method, const ClickBenchOptions& options,
                        const std::function<void(const ObjectRun&)>& progress = {});

ClickSummary summarize(const MethodRun& run, int maxClicks);

/** The JSON clickbench writes: data folder, protocol, and per method the summary and every object's
 *  IoU sequence. */
std::string clickBenchJson(const std::string& dataDir, int maxClicks, const std::vector<MethodRun>& runs);

/** The plot: mean IoU against clicks, one line per method, with the 0.85 and 0.90 levels; RGB CV_8UC3. */
cv::Mat clickBenchPlot(const std::vector<ClickSummary>& summaries, const std::string& title);

} // namespace mf
