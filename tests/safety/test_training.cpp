// Issue 8 defects 8 and 12 (training): an existing run folder is never trained over unasked, default
// run names never collide, and a run resumed from a checkpoint saved mid-epoch goes on where it stopped.
#include "io/atomicfile.h"
#include "io/errors.h"
#include "sample/samplegenerator.h"
#include "models/checkpoint.h"
#include "runs/runfolder.h"
#include "train/trainer.h"
#include "../testutil.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <cmath>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace mf;
using mf::test::TempDir;

namespace {

TrainConfig tinyConfig(const std::string& data, const std::string& out) {
    TrainConfig c;
    c.data = data;
    c.out = out;
    c.arch = "encdec";
    c.size = 32;
    c.width = 4;
    c.depth = 2;
    c.batch = 4;
    c.epochs = 3;
    c.device = "cpu";
    c.threads = 1;
    c.workers = 0;
    return c;
}

/** Cancels at a given step of a given epoch. */
struct CancelAt : TrainObserver {
    CancelAt(TrainControl* c, int epoch, int step) : control(c), epoch(epoch), step(step) {}
    void onStep(const StepReport& r) override {
        steps.push_back({r.epoch, r.step});
        if (r.epoch == epoch && r.step == step)
            control->cancel.store(true);
    }
    TrainControl* control;
    int epoch, step;
    std::vector<std::pair<int, int>> steps;
};

/** metrics.csv without the wall-clock column (seconds), row by row. */
std::vector<std::vector<std::string>> metricsWithoutTime(const std::string& runDir) {
    std::istringstream in(readFileBytes((fs::path(runDir) / "metrics.csv").string()));
    std::vector<std::vector<std::string>> rows;
    int secondsColumn = -1;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::istringstream cellsIn(line);
        for (std::string cell; std::getline(cellsIn, cell, ',');)
            cells.push_back(cell);
        if (secondsColumn < 0)
            for (std::size_t i = 0; i < cells.size(); ++i)
                if (cells[i] == "seconds")
                    secondsColumn = static_cast<int>(i);
        if (secondsColumn >= 0 && secondsColumn < static_cast<int>(cells.size()))
            cells.erase(cells.begin() + secondsColumn);
        rows.push_back(cells);
    }
    return rows;
}

class TrainingSafety : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new TempDir;
        SampleOptions o;
        o.outDir = (*s_dir) / "sample";
        o.count = 16;
        o.size = 32;
        makeSampleProject(o);
    }
    static void TearDownTestSuite() {
        delete s_dir;
        s_dir = nullptr;
    }
    static std::string data() { return (*s_dir) / "sample"; }
    static TempDir* s_dir;
};
TempDir* TrainingSafety::s_dir = nullptr;

} // namespace

TEST(RunFolderNames, UniqueEvenWithinOneSecond) {
    TempDir dir;
    std::set<std::string> names;
    for (int i = 0; i < 5; ++i)
        names.insert(defaultRunDir("unet", dir.path().string()));
    std::vector<std::thread> threads;
    std::mutex mutex;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            const std::string name = defaultRunDir("unet", dir.path().string());
            std::lock_guard<std::mutex> lock(mutex);
            names.insert(name);
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(names.size(), 9u);
    for (const auto& n : names)
        EXPECT_TRUE(fs::is_directory(n) && fs::is_empty(n)) << n;
}

TEST_F(TrainingSafety, ExistingRunFolderIsRefusedUnlessResumeOrOverwrite) {
    TempDir out;
    const std::string run = out / "run";
    fs::create_directories(run);
    writeFileAtomic(run + "/metrics.csv", "epoch,miou\n1,0.9\n");
    writeFileAtomic(run + "/best.pt", "precious");
    TrainConfig c = tinyConfig(data(), run);
    c.epochs = 1;
    try {
        train(c);
        FAIL() << "trained over an existing run";
    } catch (const FileError& e) {
        EXPECT_EQ(e.file(), run);
        EXPECT_NE(e.problem().find("--overwrite"), std::string::npos) << e.problem();
    }
    EXPECT_EQ(readFileBytes(run + "/best.pt"), "precious");
    EXPECT_EQ(readFileBytes(run + "/metrics.csv"), "epoch,miou\n1,0.9\n");
    // An empty folder is fine, and so is --overwrite.
    const std::string empty = out / "empty";
    fs::create_directories(empty);
    TrainConfig intoEmpty = tinyConfig(data(), empty);
    intoEmpty.epochs = 1;
    EXPECT_EQ(train(intoEmpty).status, TrainResult::Status::Finished);
    c.overwrite = true;
    writeFileAtomic(run + "/train.log", "old run's line\n");
    writeFileAtomic(run + "/eval_val.json", "{\"old\": true}\n");
    writeFileAtomic(run + "/notes.txt", "the user's own file\n");
    EXPECT_EQ(train(c).status, TrainResult::Status::Finished);
    EXPECT_NE(readFileBytes(run + "/best.pt"), "precious");
    // Replaced, not mixed: no line or score of the old run is left beside the new one's.
    EXPECT_EQ(readFileBytes(run + "/train.log").find("old run's line"), std::string::npos);
    EXPECT_FALSE(fs::exists(run + "/eval_val.json"));
    EXPECT_EQ(readFileBytes(run + "/notes.txt"), "the user's own file\n");
}

// Issue 8 defect 12: a checkpoint saved on a cancel in the middle of an epoch resumed that epoch from
// its start, training its first steps twice and counting them twice.
TEST_F(TrainingSafety, ResumeFromAMidEpochCheckpointGoesOnWhereItStopped) {
    TempDir out;
    const TrainResult straight = train(tinyConfig(data(), out / "straight"));
    ASSERT_EQ(straight.status, TrainResult::Status::Finished);
    const CheckpointMeta full = readCheckpointMeta(out / "straight/last.pt");

    TrainControl control;
    CancelAt cancel(&control, 2, 1);
    const TrainResult cut = train(tinyConfig(data(), out / "cut"), &cancel, &control);
    ASSERT_EQ(cut.status, TrainResult::Status::Cancelled);
    const CheckpointMeta mid = readCheckpointMeta(out / "cut/last.pt");
    EXPECT_TRUE(mid.interrupted);
    EXPECT_EQ(mid.epoch, 1);
    EXPECT_EQ(mid.epochStep, 1);

    TrainConfig resume = tinyConfig(data(), "");
    resume.resume = out / "cut/last.pt";
    CancelAt watch(&control, -1, -1);
    control.cancel.store(false);
    ASSERT_EQ(train(resume, &watch, &control).status, TrainResult::Status::Finished);
    ASSERT_FALSE(watch.steps.empty());
    EXPECT_EQ(watch.steps.front(), std::make_pair(2, 2)) << "the resumed run starts after the steps already done";
    const CheckpointMeta resumed = readCheckpointMeta(out / "cut/last.pt");
    EXPECT_EQ(resumed.globalStep, full.globalStep) << "no step trained or counted twice";
    EXPECT_FALSE(resumed.interrupted);
    // Same batches, same weights, same RNG: the resumed history is the uninterrupted one.
    const auto a = metricsWithoutTime(out / "straight"), b = metricsWithoutTime(out / "cut");
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t r = 0; r < a.size(); ++r) {
        ASSERT_EQ(a[r].size(), b[r].size());
        for (std::size_t c = 0; c < a[r].size(); ++c)
            if (r == 0)
                EXPECT_EQ(a[r][c], b[r][c]);
            else
                EXPECT_NEAR(std::stod(a[r][c]), std::stod(b[r][c]), 1e-4 * (1 + std::abs(std::stod(a[r][c]))))
                    << "row " << r << " column " << a[0][c];
    }
}
