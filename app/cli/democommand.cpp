#include "commands.h"
#include "comparison.h"
#include "consoleobserver.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "project/dataset.h"
#include "sample/samplegenerator.h"
#include "infer/predictor.h"
#include "train/trainer.h"
#include "viz/overlay.h"

#include <opencv2/imgproc.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

namespace fs = std::filesystem;

namespace mf::cli {
namespace {

/** Sized so that both networks train in about 3-5 minutes on 2 CPU cores. */
struct DemoArgs {
    std::string out = "maskforge-demo";
    int count = 160;
    int size = 128;
    int epochs = 12;
    int width = 16;
    int overlays = 6;
};

void makeSample(const DemoArgs& a, const std::string& dir) {
    SampleOptions options;
    options.outDir = dir;
    options.count = a.count;
    options.size = a.size;
    std::cout << "[demo] generating the sample project in " << dir << "\n";
    makeSampleProject(options);
    const auto problems = validateDataset(dir);
    for (const auto& p : problems)
        std::cout << p.file << ": " << p.message << "\n";
    std::cout << "[demo] validation: " << (problems.empty() ? "clean" : std::to_string(problems.size()) + " problem(s)")
              << "\n";
    if (!problems.empty())
        throw CommandExit{1};
}

std::string trainOne(const DemoArgs& a, const std::string& data, const std::string& arch) {
    TrainConfig c;
    c.data = data;
    c.arch = arch;
    c.size = a.size;
    c.width = a.width;
    c.depth = 4;
    c.batch = 8;
    c.epochs = a.epochs;
    c.lr = 2e-3;
    c.schedule = "cosine";
    c.device = "cpu";
    c.augment.hflip = 0.5;
    c.augment.vflip = 0.5;
    c.out = (fs::path(a.out) / "runs" / arch).string();
    c.overwrite = true;  // the demo's own output folder: a second demo replaces the first
    std::cout << "\n[demo] training " << arch << " (" << a.epochs << " epochs at " << a.size << " px, width "
              << a.width << ")\n";
    ConsoleObserver observer;
    const auto t0 = std::chrono::steady_clock::now();
    const TrainResult r = train(c, &observer);
    std::cout << "[demo] " << arch << ": " << r.message << " in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s\n";
    if (r.status == TrainResult::Status::Failed || r.status == TrainResult::Status::Cancelled)
        throw CommandExit{1};
    return c.out;
}

/** Image | truth | encoder-decoder | U-Net, side by side, for the images where the two differ most. */
void writeOverlays(const DemoArgs& a, const Comparison& cmp, const std::string& data) {
    const Project project = openDataset(data);
    auto encdec = Predictor::open(cmp.a.checkpoint, "cpu"), unet = Predictor::open(cmp.b.checkpoint, "cpu");
    const fs::path dir = fs::path(a.out) / "overlays";
    makeDirs(dir.string());
    const std::vector<Rgb> palette = classPalette();
    auto tint = [&](const cv::Mat& rgb, const cv::Mat& labels) { return tintLabels(rgb, labels, palette); };
    for (std::size_t i = 0; i < cmp.images.size() && int(i) < a.overlays; ++i) {
        for (const auto& e : project.images()) {
            if (fs::path(e.image).stem().string() != cmp.images[i].name)
                continue;
            const cv::Mat rgb = readImageRgb(project.absolute(e.image)), truth = readMask(project.absolute(e.mask), project.maskEncoding());
            cv::Mat row;
            cv::hconcat(std::vector<cv::Mat>{rgb, tint(rgb, truth), tint(rgb, encdec->predict(rgb).labels),
                                             tint(rgb, unet->predict(rgb).labels)},
                        row);
            writeImageAtomic((dir / (cmp.images[i].name + "_image_truth_encdec_unet.png")).string(), row);
        }
    }
    std::cout << "[demo] overlays (image | truth | encoder-decoder | U-Net) in " << dir.string() << "\n";
}

void runDemo(const DemoArgs& a) {
    const std::string data = (fs::path(a.out) / "sample").string();
    makeSample(a, data);
    const std::string encdec = trainOne(a, data, "encdec");
    const std::string unet = trainOne(a, data, "unet");
    std::cout << "\n[demo] comparing on the test split (A = encoder-decoder, B = U-Net)\n";
    PredictOptions cpu;
    cpu.device = "cpu";
    const Comparison cmp = compareRuns(encdec, unet, "test", {}, cpu);
    const std::string text = comparisonText(cmp, 10);
    std::cout << text;
    writeFileAtomic((fs::path(a.out) / "report.txt").string(), text);
    writeFileAtomic((fs::path(a.out) / "report.json").string(), comparisonJson(cmp) + "\n");
    writeOverlays(a, cmp, data);
    std::cout << "[demo] report in " << (fs::path(a.out) / "report.txt").string() << "\n";
}

} // namespace

void addDemoCommand(CLI::App& app) {
    auto a = std::make_shared<DemoArgs>();
    auto* cmd = app.add_subcommand("demo", "Sample project, encoder-decoder vs U-Net trained on the CPU, compared");
    cmd->add_option("--out", a->out, "folder for the demo project and its results")->capture_default_str();
    cmd->add_option("--count", a->count, "sample images")->capture_default_str();
    cmd->add_option("--size", a->size, "image side and network input side")->capture_default_str();
    cmd->add_option("--epochs", a->epochs, "epochs per network")->capture_default_str();
    cmd->add_option("--width", a->width, "network width")->capture_default_str();
    cmd->callback([a] { runDemo(*a); });
}

} // namespace mf::cli
