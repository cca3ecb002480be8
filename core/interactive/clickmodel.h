#pragma once
// The click model (issue 19): the pixel classifier of core/classify (filter bank + vigra forest) taught
// where the user clicked. Its features are the filter bank plus planes conditioned on the clicks and on
// the mask before the click; it learns from a project's labelled images by simulating the protocol's user
// (interactive/clickprotocol.h) on them, as interactive-segmentation networks (RITM) learn, and answers
// each click's step with an object probability that geocut takes as its prior (ClickStepPrior).
#include "classify/featurebank.h"
#include "classify/pixelforest.h"
#include "interactive/clickdata.h"
#include "interactive/clicksegmenter.h"

#include <opencv2/core.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mf {

class Project;
struct ImageEntry;

/** How the click model learns. */
struct ClickModelOptions {
    FeatureBankOptions features;
    ForestOptions forest;  ///< its defaults: 16 trees of depth 14
    int clicksPerObject = 5;   ///< simulated clicks per training object (the protocol's user against geocut)
    int samplesPerClass = 120; ///< object and background pixels drawn per click step (fewer where fewer exist)
    /** The window a step's pixels are drawn from: the object, the mask so far and the clicks, grown by this
     *  share of their larger side (at least minMargin px): what geocut's windows hold. */
    float margin = 0.25f;
    int minMargin = 12;
    float distanceCap = 64.f;  ///< click and boundary distances are clipped here (px)
    /** The forest sees as many object as background pixels; true: its odds are scaled back by the
     *  windows' true object share (Bayes' rule), as ClassifierPrior does for whole images. */
    bool calibrate = true;
    /** A region of more pixels than this (a colour image's first click asks for the whole image) is
     *  predicted on a grid of about this many pixels and the probability resized back: the forest's walks
     *  are most of a step's time, and the probability is smooth at this scale. 0: every pixel. */
    int predictPixels = 100000;
    const std::atomic<bool>* cancel = nullptr;  ///< checked between images and in the forest's training
};

/** The planes a click adds to the filter bank, in the order clickFeatureNames() gives. */
std::vector<std::string> clickFeatureNames();

/** A forest that answers "is this pixel the clicked object" from the image's filter bank and the clicks.
 *  Owns its forest (shared, so images being segmented keep it while a new one trains). */
class ClickModel {
public:
    /** One image's part of the work: its filter bank, grey levels and Lab colours, computed once (0.1-0.3 s
     *  on 0.1 MP), then every click's step reads them. */
    struct Image {
        FeatureStack bank;
        cv::Mat grey1, grey3;  ///< CV_32F, Gaussian σ 1 and 3.5
        cv::Mat lab;           ///< CV_32FC3, for geodesic distances
    };
    static Image prepare(const cv::Mat& image, const FeatureBankOptions& features = {});

    /** Learns from `training`'s objects (their truths: 1 object, 0 background, 255 left out): each object
     *  gets options.clicksPerObject clicks of the protocol's user against geocut without a prior, and each
     *  step's window gives samples with the planes the step would see. `progress` (may be empty) hears
     *  (images done, images). Throws std::invalid_argument when no object and background pixels were
     *  drawn, Cancelled (io/cancelled.h) when options.cancel is set. */
    static ClickModel train(const std::vector<ClickSample>& training, const ClickModelOptions& options = {},
                            const std::function<void(int, int)>& progress = {});
    /** Trains on the images split.txt of `dir` marks `split` (one object per connected region when
     *  `components`); throws std::invalid_argument when `split` is empty or is `benchSplit`. */
    static ClickModel trainOnSplit(const std::string& dir, const std::string& split, const std::string& benchSplit,
                                   bool components, const ClickModelOptions& options = {});

    bool trained() const { return m_forest != nullptr; }
    int trainingObjects() const { return m_objects; }
    int trainingSamples() const { return m_samples; }
    double oddsScale() const { return m_oddsScale; }
    const ClickModelOptions& options() const { return m_options; }

    /** The object probability (CV_32FC1, `region`'s size) of `region`'s pixels, given the clicks so far
     *  and `previous` (CV_8UC1 image size, nonzero object; empty: none), the mask before the last click.
     *  Throws std::logic_error before training, std::invalid_argument on sizes that disagree. */
    cv::Mat probability(const Image& image, const cv::Mat& previous, const std::vector<Click>& clicks, cv::Rect region) const;

    /** The click-conditioned features of `region` (one CV_32FC1 plane each, region's size): the bank's
     *  planes cropped, then clickFeatureNames()'s. */
    std::vector<cv::Mat> features(const Image& image, const cv::Mat& previous, const std::vector<Click>& clicks,
                                  cv::Rect region) const;

private:
    ClickModelOptions m_options;
    std::shared_ptr<const PixelForest> m_forest;
    int m_objects = 0, m_samples = 0;
    double m_oddsScale = 1.0;
};

/** geocut's weight of the click model's prior: the best of 0.5 / 1 / 2 / 4 on the tuning quarter of the
 *  magnetic-tile train split (docs/labelling.md). */
constexpr float kClickModelWeight = 1.f;

/** geocut with the click model's weight (kClickModelWeight): the segmenter a ClickModelPrior goes with. */
std::unique_ptr<ClickSegmenter> makeClickModelSegmenter();

/** What the simulated user measured on held-out labelled objects with and without the click model: the mean
 *  IoU over clicks 1..clicks (the area under the IoU-against-clicks curve, over clicks). */
struct ClickModelCheck {
    int objects = 0;
    double withModel = 0, without = 0;
    bool better() const { return objects > 0 && withModel > without; }
};

/** Runs the protocol's user (clickbench) on `heldOut` with plain geocut and with geocut asking `model`
 *  (makeClickModelSegmenter), `clicks` clicks per object: whether the model helps on these images. */
ClickModelCheck checkClickModel(const std::shared_ptr<const ClickModel>& model, const std::vector<ClickSample>& heldOut,
                                int clicks = 10);

/** Does image `e` teach the click model: marked Reviewed, with a mask, and not `skipImage` (the image being
 *  segmented, project-relative)? The one rule of projectClickSamples and of the GUI's check for new ones. */
bool teachesClicks(const ImageEntry& e, const std::string& skipImage);

/** What a project's labelled images teach the click model: every image marked Reviewed that has a mask,
 *  but `skipImage` (the image being segmented, a project-relative path), one object per connected region
 *  of its mask (any class; the ignore index left out), at most `maxImages` of them in project order.
 *  An image or mask that cannot be read is skipped and named in `problems` (may be null). */
std::vector<ClickSample> projectClickSamples(const Project& project, const std::string& skipImage, int maxImages,
                                             std::vector<std::string>* problems = nullptr);

/** The click model's prior for one image (ClickQuery::stepPrior): prepares the image once, then answers
 *  each click's step. Keeps the model by shared pointer. */
class ClickModelPrior : public ClickStepPrior {
public:
    ClickModelPrior(std::shared_ptr<const ClickModel> model, const cv::Mat& image);
    cv::Mat probability(const cv::Mat& previous, const std::vector<Click>& clicks, cv::Rect region) override;

private:
    std::shared_ptr<const ClickModel> m_model;
    ClickModel::Image m_image;
};

} // namespace mf
