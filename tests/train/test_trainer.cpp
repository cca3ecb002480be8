#include "io/errors.h"
#include "sample/samplegenerator.h"
#include "train/checkpoint.h"
#include "train/predictor.h"
#include "train/trainer.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

using namespace mf;
namespace fs = std::filesystem;

namespace {

fs::path tempRoot() {
    static const fs::path root = [] {
        auto p = fs::temp_directory_path() / ("mf_trainer_" + std::to_string(::getpid()));
        fs::remove_all(p);
        fs::create_directories(p);
        return p;
    }();
    return root;
}

/** The sample project, small: 32 images of 64 px (made once per test program). */
std::string sampleProject() {
    static const std::string dir = [] {
        SampleOptions o;
        o.outDir = (tempRoot() / "sample").string();
        o.count = 32;
        o.size = 64;
        makeSampleProject(o);
        return o.outDir;
    }();
    return dir;
}

TrainConfig tinyConfig(const std::string& run, int epochs) {
    TrainConfig c;
    c.data = sampleProject();
    c.size = 64;
    c.batch = 8;
    c.workers = 0;
    c.width = 8;
    c.depth = 3;
    c.lr = 3e-3;
    c.epochs = epochs;
    c.device = "cpu";
    c.seed = 5;
    c.out = (tempRoot() / run).string();
    return c;
}

/** Records every report. */
struct Recorder : TrainObserver {
    std::vector<StepReport> steps;
    std::vector<EpochReport> epochs;
    void onStep(const StepReport& r) override { steps.push_back(r); }
    void onEpoch(const EpochReport& r) override { epochs.push_back(r); }
};

int csvRows(const std::string& path) {
    std::ifstream in(path);
    int n = 0;
    for (std::string line; std::getline(in, line);)
        ++n;
    return n - 1;  // header
}

} // namespace

TEST(Trainer, TinyRunLowersLossAndFindsDefects) {
    Recorder rec;
    const TrainResult r = train(tinyConfig("learn", 6), &rec);
    ASSERT_EQ(r.status, TrainResult::Status::Finished) << r.message;
    ASSERT_EQ(rec.epochs.size(), 6u);
    EXPECT_LT(rec.epochs.back().trainLoss, 0.8 * rec.epochs.front().trainLoss);
    EXPECT_GT(rec.epochs.back().mIoU, 0.0);
    for (const char* f : {"config.yaml", "metrics.csv", "best.pt", "last.pt", "train.log"})
        EXPECT_TRUE(fs::is_regular_file(fs::path(r.runDir) / f)) << f;
    EXPECT_EQ(csvRows((fs::path(r.runDir) / "metrics.csv").string()), 6);
    const CheckpointMeta m = readCheckpointMeta((fs::path(r.runDir) / "last.pt").string());
    EXPECT_EQ(m.epoch, 6);
    EXPECT_EQ(m.spec.classes, 5);
    EXPECT_EQ(m.classNames.size(), 5u);
    std::cout << "foreground-class IoU after 6 epochs: " << rec.epochs.back().mIoUNoBackground
              << ", background IoU " << rec.epochs.back().classIoU[0] << "\n";
}
