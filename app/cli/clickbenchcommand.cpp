// maskforge-cli clickbench: clicks to a good mask, by the simulated user of interactive-segmentation
// papers (core/interactive/clickbench.h), for each click segmentation method.
#include "commands.h"

#include "interactive/clickbench.h"
#include "interactive/clickmodel.h"
#include "interactive/clickprior.h"
#include "interactive/clicksegmenter.h"
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "infer/predictor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

namespace mf::cli {
namespace {

struct ClickBenchArgs {
    std::string data, method = "geocut", json, plot, split, prior = "none", priorSplit = "train", run, device = "auto";
    int maxClicks = 20, limit = 0;
    std::string priorWeights = "0";
    float priorFade = -1;
    int seedRadius = -1;
    int modelClicks = 5, modelSamples = 120;
    bool components = false, quiet = false, withoutPrior = false, whole = false, priorOnly = false;
};

std::vector<std::string> methods(const std::string& list) {
    if (list == "all")
        return clickSegmenterNames();
    std::vector<std::string> out;
    std::stringstream words(list);
    for (std::string m; std::getline(words, m, ',');)
        if (!m.empty()) {
            makeClickSegmenter(m);  // an unknown name stops here, before any work
            out.push_back(m);
        }
    if (out.empty())
        throw std::invalid_argument("--method names no method");
    return out;
}

void printSummary(const ClickSummary& s, int maxClicks) {
    auto at = [&](int k) { return k <= maxClicks ? s.meanIou[k - 1] : s.meanIou.back(); };
    std::printf("%-20s %7d %7.2f %7.2f %7.3f %7.3f %7.3f %9.3f %9.3f   (%d, %d never reached 0.85, 0.90; slowest click %.3f s, %.3f s CPU; set-up %.3f s/image)\n",
                s.method.c_str(), s.objects, s.noc85, s.noc90, at(1), at(3), at(5), s.secondsPerClick,
                s.cpuSecondsPerClick, s.failed85, s.failed90, s.slowestClickSeconds, s.slowestClickCpuSeconds,
                s.setupSecondsPerImage);
    if (!s.prior.empty() && s.priorImages > 0)
        std::printf("%-10s the %s prior alone (>= 0.5): IoU %.3f per image; %.3f s per image to compute\n", "", s.prior.c_str(),
                    s.priorIoU, s.priorSecondsPerImage);
}

void runClickBenchCommand(const ClickBenchArgs& a) {
    const std::vector<std::string> names = methods(a.method);
    ClickDataOptions options;
    options.split = a.split;
    options.components = a.components;
    options.limit = a.limit;
    // The model first: a missing or foreign --run is named before any image is read.
    std::unique_ptr<Predictor> model;
    if (a.prior != "model" && !a.run.empty())
        throw std::invalid_argument("--run is the model of --prior model");
    if (a.prior == "model") {
        if (a.run.empty())
            throw std::invalid_argument("--prior model needs --run (a run folder or checkpoint)");
        model = Predictor::open(a.run, a.device);
        std::cout << "model prior: " << model->description() << std::endl;
    }
    const std::vector<ClickSample> data = loadClickData(a.data, options);
    std::size_t objects = 0;
    for (const ClickSample& s : data)
        objects += s.objects.size();
    std::cout << data.size() << " image(s), " << objects << " object(s), up to " << a.maxClicks << " clicks each\n";
    ClickBenchOptions bench;
    bench.maxClicks = a.maxClicks;
    bench.priorFade = a.priorFade;
    bench.seedRadius = a.seedRadius;
    bench.whole = a.whole;
    bench.priorOnly = a.priorOnly;
    std::unique_ptr<ClassifierPrior> classifier;
    std::shared_ptr<const ClickModel> clickModel;
    ClickPriorSource source;
    if (model) {
        Predictor* m = model.get();
        source.name = "model";
        source.classProbabilities = [m](const cv::Mat& image) { return m->predict(image).probabilities; };
        bench.prior = &source;
    } else if (a.prior == "classifier") {
        const auto t = std::chrono::steady_clock::now();
        classifier = std::make_unique<ClassifierPrior>(ClassifierPrior::trainOnSplit(a.data, a.priorSplit, a.split));
        std::cout << "classifier prior: trained on the true masks of " << classifier->trainingImages() << " '"
                  << a.priorSplit << "' image(s), " << classifier->trainingSamples() << " pixels, in "
                  << std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count() << " s (odds scaled by "
                  << classifier->oddsScale() << ")" << std::endl;
        const ClassifierPrior* c = classifier.get();
        source.name = "classifier";
        source.predict = [c](const cv::Mat& image) { return c->predict(image); };
        bench.prior = &source;
    } else if (a.prior == "clicks") {
        const auto t = std::chrono::steady_clock::now();
        ClickModelOptions o;
        o.clicksPerObject = a.modelClicks;
        o.samplesPerClass = a.modelSamples;
        clickModel = std::make_shared<const ClickModel>(ClickModel::trainOnSplit(a.data, a.priorSplit, a.split, a.components, o));
        std::cout << "click model: trained on " << clickModel->trainingObjects() << " object(s) of the '" << a.priorSplit
                  << "' images, " << a.modelClicks << " simulated clicks each, " << clickModel->trainingSamples()
                  << " pixels, in " << std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count()
                  << " s (odds scaled by " << clickModel->oddsScale() << ")" << std::endl;
        source.name = "clicks";
        source.stepPrior = [model = clickModel](const cv::Mat& image) -> std::unique_ptr<ClickStepPrior> {
            return std::make_unique<ClickModelPrior>(model, image);
        };
        bench.prior = &source;
    } else if (a.prior != "none") {
        throw std::invalid_argument("--prior: expected none, classifier, model or clicks, got '" + a.prior + "'");
    }
    std::vector<MethodRun> runs;
    std::vector<ClickSummary> summaries;
    std::vector<float> weights;
    std::stringstream weightWords(a.priorWeights);
    for (std::string w; std::getline(weightWords, w, ',');)
        weights.push_back(std::stof(w));
    if (weights.empty() || !bench.prior)
        weights = {0.f};
    const ClickPriorSource* prior = bench.prior;
    if (prior && a.withoutPrior)
        weights.insert(weights.begin(), -1.f);  // -1: the run without the prior
    for (const std::string& m : names)
        for (float w : weights) {
            std::size_t done = 0;
            bench.prior = w < 0 ? nullptr : prior;
            bench.priorWeight = std::max(w, 0.f);
            if (bench.priorWeight == 0 && a.prior == "clicks")
                bench.priorWeight = kClickModelWeight;  // the click model's tuned weight, not geocut's default
            runs.push_back(runClickBench(data, m, bench, [&](const ObjectRun& o) {
                ++done;
                if (!a.quiet)
                    std::cerr << m << " " << done << "/" << objects << " " << o.id << ": IoU " << o.ious.front() << " -> "
                              << o.ious.back() << "\n";
            }));
            if (a.priorOnly && w >= 0)
                runs.back().method += "~only";
            if (weights.size() > 1 && w >= 0) {
                std::ostringstream name;
                name << runs.back().method << "@" << w;
                runs.back().method = name.str();
            }
            summaries.push_back(summarize(runs.back(), a.maxClicks));
            std::cout << std::flush;
        }
    std::printf("%-20s %7s %7s %7s %7s %7s %7s %9s %9s\n", "method", "objects", "NoC@85", "NoC@90", "IoU@1", "IoU@3",
                "IoU@5", "s/click", "cpu-s/clk");
    for (const ClickSummary& s : summaries)
        printSummary(s, a.maxClicks);
    if (!a.json.empty()) {
        writeFileAtomic(a.json, clickBenchJson(a.data, a.maxClicks, runs));
        std::cout << "wrote " << a.json << "\n";
    }
    if (!a.plot.empty()) {
        const std::string title = "clicks to a mask: " + std::filesystem::path(a.data).lexically_normal().filename().string();
        writeImageAtomic(a.plot, clickBenchPlot(summaries, title));
        std::cout << "wrote " << a.plot << "\n";
    }
}

} // namespace

void addClickBenchCommand(CLI::App& app) {
    auto a = std::make_shared<ClickBenchArgs>();
    auto* cmd = app.add_subcommand(
        "clickbench",
        "Clicks to a mask, by the simulated user of interactive-segmentation papers (RITM): each next click at the "
        "point of the larger error region (missed object or false alarm, each padded by 1 px) farthest from its border, "
        "positive or negative accordingly. Prints NoC@85 and NoC@90 (mean clicks to IoU 0.85 / 0.90, max-clicks "
        "where never reached), the mean IoU after 1, 3 and 5 clicks and the seconds per click.\n"
        "--data layout: images/<stem>.<ext> and masks/<stem>.png (index masks: 0 background, 255 ignored, any "
        "other value object), optionally split.txt ('<stem> <split>' lines, used with --split)");
    cmd->add_option("--data", a->data, "data folder (images/, masks/, optional split.txt)")->required();
    cmd->add_option("--method", a->method, "geocut | grabcut | all, or a comma-separated list")->capture_default_str();
    cmd->add_option("--max-clicks", a->maxClicks, "clicks per object")->capture_default_str()->check(CLI::Range(1, 100));
    cmd->add_option("--split", a->split, "only the images of this split in split.txt (e.g. test)");
    cmd->add_flag("--components", a->components,
                  "one object per connected region of a mask (after a 5-px closing; e.g. magnetic-tile's defects) "
                  "instead of one object per mask (the GrabCut set)");
    cmd->add_option("--limit", a->limit, "at most this many images, in name order (0: all)")->capture_default_str();
    cmd->add_option("--json", a->json, "write the summary and every object's IoU sequence here");
    cmd->add_option("--plot", a->plot, "write the IoU-against-clicks plot here (PNG)");
    cmd->add_option("--prior", a->prior,
                    "none, or classifier: the pixel classifier (filter bank + forest of the live classifier) trained once "
                    "on the true masks of --prior-split's images, object against background; each benchmark image's "
                    "object probability is then the segmenter's prior for every click (reported as <method>+classifier, "
                    "with the prior's own IoU); or model: a trained model's (--run) probability of each object's class "
                    "(its mask value), as the click tool takes the active class's from the Predictions panel; or clicks: the click "
                    "model (core/interactive/clickmodel.h), the same forest on the filter bank plus planes of the clicks "
                    "and of the mask before each click, trained on --prior-split's objects by simulating this protocol's "
                    "user; geocut asks it at every click (reported as <method>+clicks)")
        ->capture_default_str();
    cmd->add_option("--run", a->run, "with --prior model: the run folder (its best.pt) or a checkpoint");
    cmd->add_option("--device", a->device, "with --prior model: auto | cpu | cuda")->capture_default_str();
    cmd->add_option("--model-clicks", a->modelClicks, "with --prior clicks: simulated clicks per training object")
        ->capture_default_str();
    cmd->add_option("--model-samples", a->modelSamples,
                    "with --prior clicks: object and background pixels drawn per simulated click")
        ->capture_default_str();
    cmd->add_option("--prior-split", a->priorSplit, "the split the classifier prior or click model learns from (must differ from --split)")
        ->capture_default_str();
    cmd->add_option("--prior-weight", a->priorWeights,
                    "geocut's weight of the prior (0: its default, or the click model's tuned 1 with --prior clicks); a comma-separated list runs once per weight with one "
                    "trained prior (method names get @<weight>)")
        ->capture_default_str();
    cmd->add_option("--prior-fade", a->priorFade,
                    "geocut: the prior's weight after n clicks is weight / (1 + fade (n - 1)) (negative: the default)")
        ->capture_default_str();
    cmd->add_option("--seed-radius", a->seedRadius,
                    "geocut: the clicks' seed disk radius in pixels, colour and grey images (negative: the defaults, 2 and 0)")
        ->capture_default_str();
    cmd->add_flag("--whole", a->whole,
                  "geocut: every click cuts the whole image afresh (no local refinement, no contrast term: as before issue 19)");
    cmd->add_flag("--prior-only", a->priorOnly,
                  "geocut: the prior is the whole data term (no colour, geodesic or contrast term): the prior's own answer, "
                  "smoothed by the boundary term (method names get ~only)");
    cmd->add_flag("--also-without-prior", a->withoutPrior,
                  "with --prior: each method also runs without it first (one table, one plot)");
    cmd->add_flag("--quiet", a->quiet, "no per-object progress on stderr");
    cmd->callback([a] { runClickBenchCommand(*a); });
}

} // namespace mf::cli
