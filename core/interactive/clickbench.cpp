#include "interactive/clickbench.h"

#include "interactive/clickprior.h"
#include "interactive/clickprotocol.h"
#include "interactive/clicksegmenter.h"
#include "interactive/segmenters.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace mf {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

ObjectRun runObject(ClickSegmenter& segmenter, const ClickObject& object, int maxClicks, const cv::Mat& prior,
                    ClickStepPrior* stepPrior) {
    ObjectRun run{object.id, {}, 0, 0, 0, 0};
    cv::Mat prediction = cv::Mat::zeros(object.truth.size(), CV_8UC1);
    cv::Mat clicked = cv::Mat::zeros(object.truth.size(), CV_8UC1);
    ClickQuery query;
    if (!prior.empty())
        query.prior = &prior;
    query.stepPrior = stepPrior;
    while (static_cast<int>(run.ious.size()) < maxClicks) {
        Click click;
        if (!nextClick(prediction, object.truth, clicked, click)) {
            run.ious.push_back(run.ious.empty() ? clickIoU(prediction, object.truth) : run.ious.back());
            continue;
        }
        clicked.at<uchar>(click.pos) = 1;
        query.clicks.push_back(click);
        const Clock::time_point t = Clock::now();
        const std::clock_t cpu = std::clock();
        prediction = segmenter.segment(query);
        const double wall = since(t);
        run.seconds += wall;
        run.slowestSeconds = std::max(run.slowestSeconds, wall);
        const double cpuSeconds = static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC;
        run.cpuSeconds += cpuSeconds;
        run.slowestCpuSeconds = std::max(run.slowestCpuSeconds, cpuSeconds);
        ++run.clicks;
        run.ious.push_back(clickIoU(prediction, object.truth));
    }
    return run;
}

} // namespace

MethodRun runClickBench(const std::vector<ClickSample>& data, const std::string& method, int maxClicks,
                        const std::function<void(const ObjectRun&)>& progress) {
    ClickBenchOptions options;
    options.maxClicks = maxClicks;
    return runClickBench(data, method, options, progress);
}

MethodRun runClickBench(const std::vector<ClickSample>& data, const std::string& method, const ClickBenchOptions& options,
                        const std::function<void(const ObjectRun&)>& progress) {
    MethodRun out;
    out.method = method;
    std::unique_ptr<ClickSegmenter> segmenter = makeClickSegmenter(method);
    if (method == "geocut" && (options.priorWeight > 0 || options.priorFade >= 0 || options.seedRadius >= 0 || options.whole ||
                              options.priorOnly)) {
        GeoCutOptions geo;
        if (options.priorWeight > 0)
            geo.priorWeight = options.priorWeight;
        if (options.priorFade >= 0)
            geo.priorFade = options.priorFade;
        if (options.seedRadius >= 0)
            geo.seedRadius = geo.greySeedRadius = options.seedRadius;
        if (options.whole) {
            geo.local = false;
            geo.contrastWeight = 0;
            if (options.seedRadius < 0)
                geo.greySeedRadius = geo.seedRadius;
        }
        if (options.priorOnly && options.prior)
            geo.colourWeight = geo.geodesicWeight = geo.contrastWeight = 0;
        segmenter = makeGeoCut(geo);
    }
    const ClickPriorSource* source =
        options.prior && (options.prior->predict || options.prior->classProbabilities || options.prior->stepPrior)
            ? options.prior
            : nullptr;
    if (source) {
        out.prior = source->name;
        out.method += "+" + source->name;
    }
    for (const ClickSample& s : data) {
        cv::Mat prior;
        std::vector<cv::Mat> perClass;
        std::unique_ptr<ClickStepPrior> stepPrior;
        if (source && source->stepPrior) {
            const Clock::time_point t = Clock::now();
            stepPrior = source->stepPrior(s.image);
            out.priorSeconds += since(t);
        } else if (source) {
            const Clock::time_point t = Clock::now();
            // The image alone: the prior never sees the truth (only which class each object is).
            if (source->classProbabilities)
                perClass = source->classProbabilities(s.image);
            else
                prior = source->predict(s.image);
            out.priorSeconds += since(t);
            if (source->classProbabilities)
                prior = objectsPrior(perClass, s);
            checkPrior(&prior, s.image.size());
            out.priorIous.push_back(priorIoU(prior, sampleTruth(s)));
        }
        const Clock::time_point t = Clock::now();
        segmenter->setImage(s.image);
        out.setupSeconds += since(t);
        ++out.images;
        for (const ClickObject& o : s.objects) {
            out.objects.push_back(runObject(*segmenter, o, options.maxClicks,
                                            perClass.empty() ? prior : classPrior(perClass, o.classId, s.image.size()),
                                            stepPrior.get()));
            if (progress)
                progress(out.objects.back());
        }
    }
    return out;
}

ClickSummary summarize(const MethodRun& run, int maxClicks) {
    ClickSummary s;
    s.method = run.method;
    s.objects = static_cast<int>(run.objects.size());
    s.meanIou.assign(maxClicks, 0.0);
    double seconds = 0, cpu = 0;
    long clicks = 0;
    for (const ObjectRun& o : run.objects) {
        const int n85 = clicksToReach(o.ious, 0.85, maxClicks), n90 = clicksToReach(o.ious, 0.90, maxClicks);
        s.noc85 += n85, s.noc90 += n90;
        s.failed85 += n85 == maxClicks && (o.ious.size() < static_cast<std::size_t>(maxClicks) || o.ious[maxClicks - 1] < 0.85);
        s.failed90 += n90 == maxClicks && (o.ious.size() < static_cast<std::size_t>(maxClicks) || o.ious[maxClicks - 1] < 0.90);
        for (int k = 0; k < maxClicks && k < static_cast<int>(o.ious.size()); ++k)
            s.meanIou[k] += o.ious[k];
        seconds += o.seconds, cpu += o.cpuSeconds, clicks += o.clicks;
        s.slowestClickSeconds = std::max(s.slowestClickSeconds, o.slowestSeconds);
        s.slowestClickCpuSeconds = std::max(s.slowestClickCpuSeconds, o.slowestCpuSeconds);
    }
    if (s.objects > 0) {
        s.noc85 /= s.objects, s.noc90 /= s.objects;
        for (double& v : s.meanIou)
            v /= s.objects;
    }
    s.secondsPerClick = clicks > 0 ? seconds / clicks : 0.0;
    s.cpuSecondsPerClick = clicks > 0 ? cpu / clicks : 0.0;
    s.setupSecondsPerImage = run.images > 0 ? run.setupSeconds / run.images : 0.0;
    s.prior = run.prior;
    s.priorImages = static_cast<int>(run.priorIous.size());
    if (!run.priorIous.empty()) {
        for (double v : run.priorIous)
            s.priorIoU += v;
        s.priorIoU /= static_cast<double>(run.priorIous.size());
    }
    s.priorSecondsPerImage = run.images > 0 ? run.priorSeconds / run.images : 0.0;
    return s;
}

std::string clickBenchJson(const std::string& dataDir, int maxClicks, const std::vector<MethodRun>& runs) {
    using nlohmann::json;
    json methods = json::array();
    for (const MethodRun& r : runs) {
        const ClickSummary s = summarize(r, maxClicks);
        json objects = json::array();
        for (const ObjectRun& o : r.objects)
            objects.push_back({{"id", o.id}, {"ious", o.ious}, {"clicks", o.clicks}, {"seconds", o.seconds},
                               {"cpu_seconds", o.cpuSeconds}, {"slowest_seconds", o.slowestSeconds},
                               {"slowest_cpu_seconds", o.slowestCpuSeconds}});
        methods.push_back({{"method", s.method},
                           {"images", r.images},
                           {"objects", s.objects},
                           {"noc85", s.noc85},
                           {"noc90", s.noc90},
                           {"failed85", s.failed85},
                           {"failed90", s.failed90},
                           {"mean_iou", s.meanIou},
                           {"seconds_per_click", s.secondsPerClick},
                           {"cpu_seconds_per_click", s.cpuSecondsPerClick},
                           {"slowest_click_seconds", s.slowestClickSeconds},
                           {"slowest_click_cpu_seconds", s.slowestClickCpuSeconds},
                           {"setup_seconds_per_image", s.setupSecondsPerImage},
                           {"prior", s.prior},
                           {"prior_iou", s.priorIoU},
                           {"prior_seconds_per_image", s.priorSecondsPerImage},
                           {"prior_iou_per_image", r.priorIous},
                           {"per_object", objects}});
    }
    json doc = {{"data", dataDir},
                {"protocol", "RITM simulated user: click at the farthest point from the border of the larger "
                             "error region (1-px padding, L2 distance transform); ignore label 255 left out of IoU"},
                {"max_clicks", maxClicks},
                {"methods", methods}};
    return doc.dump(2) + "\n";
}

} // namespace mf
