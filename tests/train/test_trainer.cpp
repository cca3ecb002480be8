#include "io/errors.h"
#include "sample/samplegenerator.h"
#include "models/modelfactory.h"
#include "models/checkpoint.h"
#include "infer/evaluate.h"
#include "infer/predictor.h"
#include "train/trainer.h"

#include <gtest/gtest.h>

#include <chrono>
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
    const TrainResult r = train(tinyConfig("learn", 8), &rec);
    ASSERT_EQ(r.status, TrainResult::Status::Finished) << r.message;
    ASSERT_EQ(rec.epochs.size(), 8u);
    EXPECT_LT(rec.epochs.back().trainLoss, 0.85 * rec.epochs.front().trainLoss);
    for (const char* f : {"config.yaml", "metrics.csv", "best.pt", "last.pt", "train.log"})
        EXPECT_TRUE(fs::is_regular_file(fs::path(r.runDir) / f)) << f;
    EXPECT_EQ(csvRows((fs::path(r.runDir) / "metrics.csv").string()), 8);
    const CheckpointMeta m = readCheckpointMeta((fs::path(r.runDir) / "last.pt").string());
    EXPECT_EQ(m.epoch, 8);
    EXPECT_EQ(m.spec.classes, 5);
    EXPECT_EQ(m.classNames.size(), 5u);

    // Defect versus wall, at the images' own resolution through the Predictor.
    const Evaluation e = evaluate(r.runDir, "val");
    EXPECT_EQ(e.precision, "fp32");  // scores are fp32 unless asked: the same on every machine
    const auto& conf = e.report.confusion;
    const int c = e.report.classCount;
    std::int64_t tp = 0, fp = 0, fn = 0;
    for (int t = 0; t < c; ++t)
        for (int p = 0; p < c; ++p) {
            if (t > 0 && p > 0)
                tp += conf[t * c + p];
            else if (p > 0)
                fp += conf[t * c + p];
            else if (t > 0)
                fn += conf[t * c + p];
        }
    const double foreground = double(tp) / double(tp + fp + fn);
    std::cout << "defect IoU " << foreground << ", mIoU no bg " << rec.epochs.back().mIoUNoBackground << "\n";
    EXPECT_GT(foreground, 0.35);
}

TEST(Trainer, SameSeedSameMetricsOnCpu) {
    Recorder a, b;
    ASSERT_EQ(train(tinyConfig("seed-a", 2), &a).status, TrainResult::Status::Finished);
    ASSERT_EQ(train(tinyConfig("seed-b", 2), &b).status, TrainResult::Status::Finished);
    ASSERT_EQ(a.steps.size(), b.steps.size());
    for (std::size_t i = 0; i < a.steps.size(); ++i)
        EXPECT_DOUBLE_EQ(a.steps[i].loss, b.steps[i].loss) << "step " << i;
    EXPECT_DOUBLE_EQ(a.epochs.back().valLoss, b.epochs.back().valLoss);
    EXPECT_EQ(a.epochs.back().classIoU, b.epochs.back().classIoU);
}

TEST(Trainer, ResumeContinuesWhereItStopped) {
    Recorder straight, first, second;
    ASSERT_EQ(train(tinyConfig("straight", 3), &straight).status, TrainResult::Status::Finished);
    ASSERT_EQ(train(tinyConfig("halves", 2), &first).status, TrainResult::Status::Finished);
    TrainConfig more = tinyConfig("halves", 3);
    more.resume = (tempRoot() / "halves" / "last.pt").string();
    const TrainResult r = train(more, &second);
    ASSERT_EQ(r.status, TrainResult::Status::Finished) << r.message;
    EXPECT_EQ(r.epochsDone, 3);
    ASSERT_EQ(second.epochs.size(), 1u);
    EXPECT_EQ(second.epochs[0].epoch, 3);
    EXPECT_EQ(second.steps.front().globalStep, straight.steps[first.steps.size()].globalStep);
    // Same weights, optimiser moments and data order: the resumed epoch repeats the straight one.
    EXPECT_NEAR(second.epochs[0].trainLoss, straight.epochs[2].trainLoss, 1e-5);
    EXPECT_NEAR(second.epochs[0].valLoss, straight.epochs[2].valLoss, 1e-5);
    EXPECT_EQ(csvRows((tempRoot() / "halves" / "metrics.csv").string()), 3);
}

TEST(Trainer, SpentTimeBudgetEndsTheRunAfterTheEpochThatSpentIt) {
    TrainConfig c = tinyConfig("budget-spent", 20);
    c.schedule = "cosine";
    c.timeBudget = 1e-3;  // spent before the first epoch ends
    Recorder rec;
    const TrainResult r = train(c, &rec);
    ASSERT_EQ(r.status, TrainResult::Status::Finished) << r.message;
    EXPECT_EQ(r.epochsDone, 1);
    ASSERT_EQ(rec.epochs.size(), 1u);
    EXPECT_EQ(rec.epochs[0].epochs, 1) << "the epoch report says the count the run ends at";
    EXPECT_EQ(csvRows((tempRoot() / "budget-spent" / "metrics.csv").string()), 1);
    // The run folder's config and the checkpoint say 1 epoch: resuming them trains no more.
    EXPECT_EQ(loadTrainConfig((tempRoot() / "budget-spent" / "config.yaml").string()).epochs, 1);
    const CheckpointMeta m = readCheckpointMeta((tempRoot() / "budget-spent" / "last.pt").string());
    EXPECT_EQ(parseTrainConfig(m.configYaml, "last.pt").epochs, 1);
}

TEST(Trainer, TimeBudgetLeftOverGrowsTheEpochsUpToThreeTimes) {
    TrainConfig c = tinyConfig("budget-left", 2);
    c.schedule = "cosine";
    c.timeBudget = 1e6;
    Recorder rec;
    const TrainResult r = train(c, &rec);
    ASSERT_EQ(r.status, TrainResult::Status::Finished) << r.message;
    EXPECT_EQ(r.epochsDone, 6);
    EXPECT_EQ(rec.steps.front().epochs, 2) << "the first epoch runs under the configured count";
    EXPECT_EQ(rec.steps.back().epochs, 6);
    EXPECT_EQ(rec.epochs.back().epochs, 6);
    // The cosine schedule follows the fitted count: the last step's rate is near 0, not half-way.
    EXPECT_LT(rec.steps.back().lr, 0.05 * c.lr);
}

TEST(Trainer, ResumedRunKeepsItsEpochsWhateverItsTimeBudget) {
    ASSERT_EQ(train(tinyConfig("budget-resume", 1)).status, TrainResult::Status::Finished);
    TrainConfig more = tinyConfig("budget-resume", 3);
    more.timeBudget = 1e-3;
    more.resume = (tempRoot() / "budget-resume" / "last.pt").string();
    const TrainResult r = train(more);
    ASSERT_EQ(r.status, TrainResult::Status::Finished) << r.message;
    EXPECT_EQ(r.epochsDone, 3);
}

TEST(Trainer, CancelFromAnotherThreadKeepsLoadableCheckpoint) {
    struct Signal : TrainObserver {
        std::mutex m;
        std::condition_variable cv;
        int steps = 0;
        void onStep(const StepReport&) override {
            std::lock_guard<std::mutex> lock(m);
            ++steps;
            cv.notify_all();
        }
    } signal;
    TrainControl control;
    TrainResult result;
    std::thread worker([&] { result = train(tinyConfig("cancel", 50), &signal, &control); });
    int stepsAtCancel = 0;
    {
        std::unique_lock<std::mutex> lock(signal.m);
        signal.cv.wait(lock, [&] { return signal.steps >= 2; });
        control.cancel = true;
        stepsAtCancel = signal.steps;
    }
    worker.join();
    EXPECT_EQ(result.status, TrainResult::Status::Cancelled);
    EXPECT_LE(signal.steps, stepsAtCancel + 1);  // at most the step under way finishes
    const auto last = (fs::path(result.runDir) / "last.pt").string();
    const CheckpointMeta m = readCheckpointMeta(last);
    EXPECT_TRUE(m.interrupted);
    EXPECT_EQ(m.globalStep, signal.steps);
    EXPECT_EQ(Predictor::open(last, "cpu")->classCount(), 5);
}

TEST(Trainer, ConfigErrorsStopBeforeAnyWork) {
    TrainConfig noData = tinyConfig("bad-data", 1);
    noData.data = (tempRoot() / "missing").string();
    try {
        train(noData);
        FAIL() << "no error for a missing dataset";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'data'"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(tempRoot() / "bad-data"));

    // A checkpoint with another class count cannot be resumed on this dataset.
    ModelSpec spec;
    spec.classes = 3;
    spec.width = 8;
    spec.depth = 3;
    CheckpointMeta meta;
    meta.spec = spec;
    const auto other = (tempRoot() / "three-classes.pt").string();
    saveCheckpoint(other, *makeModel(spec), nullptr, meta);
    TrainConfig resume = tinyConfig("bad-resume", 2);
    resume.resume = other;
    try {
        train(resume);
        FAIL() << "no error for a class-count mismatch";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("classes"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(tempRoot() / "bad-resume"));
}

TEST(Trainer, NonFiniteLossStopsAndKeepsLastGoodCheckpoint) {
    ASSERT_EQ(train(tinyConfig("nan", 1)).status, TrainResult::Status::Finished);
    const auto last = (tempRoot() / "nan" / "last.pt").string();
    TrainConfig poisoned = tinyConfig("nan", 3);
    poisoned.resume = last;
    poisoned.mean = {1e38, 1e38, 1e38};  // (x − mean)/std overflows float: the first loss is not finite
    const TrainResult r = train(poisoned);
    EXPECT_EQ(r.status, TrainResult::Status::Failed);
    EXPECT_NE(r.message.find("NaN"), std::string::npos) << r.message;
    const CheckpointMeta m = readCheckpointMeta(last);
    EXPECT_EQ(m.epoch, 1);
    EXPECT_FALSE(m.interrupted);
    EXPECT_EQ(Predictor::open(last, "cpu")->classCount(), 5);
}

TEST(Trainer, UnwritableRunFolderIsFileError) {
    TrainConfig c = tinyConfig("unused", 1);
    c.out = "/proc/maskforge-run";
    EXPECT_THROW(train(c), FileError);
}

// Encoder weights in torch.save's format (a pickled dict of tensors, as torchvision's state_dict is
// saved) are loaded into the network before training; the plain encoder has none to load.
TEST(Trainer, LoadsEncoderWeightsBeforeTraining) {
    TrainConfig c = tinyConfig("encoder-weights", 1);
    c.encoder = "resnet18";
    c.depth = 3;
    c.size = 64;
    ModelSpec spec;
    spec.arch = "unet";
    spec.encoder = "resnet18";
    spec.classes = 5;
    spec.width = c.width;
    spec.depth = c.depth;
    torch::manual_seed(123);
    SegmentationNet donor = makeModel(spec);
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto& item : donor->named_parameters())
        if (item.key().rfind("encoder.", 0) == 0)
            dict.insert(item.key().substr(8), item.value().detach().clone());
    for (const auto& item : donor->named_buffers())
        if (item.key().rfind("encoder.", 0) == 0)
            dict.insert(item.key().substr(8), item.value().clone());
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
    c.encoderWeights = (tempRoot() / "resnet18-encoder.pth").string();
    std::ofstream(c.encoderWeights, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));

    const TrainResult r = train(c);
    ASSERT_EQ(r.status, TrainResult::Status::Finished) << r.message;
    std::ifstream log(fs::path(c.out) / "train.log");
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("tensors loaded from"), std::string::npos) << text;

    TrainConfig plain = tinyConfig("plain-weights", 1);
    plain.encoderWeights = c.encoderWeights;
    EXPECT_THROW(train(plain), std::invalid_argument);
}

namespace {
constexpr double kPause = 1.5;  // seconds the test keeps the trainer paused
} // namespace

TEST(Trainer, PausedTimeIsNotCountedAndThePauseIsReported) {
    struct Pauser : TrainObserver {
        TrainControl* control = nullptr;
        std::thread resumer;
        std::vector<bool> pauses;
        std::chrono::steady_clock::time_point start;
        double wallEpochSeconds = 0, reportedSeconds = 0;
        void onStart(const std::string&, const std::string&) override { start = std::chrono::steady_clock::now(); }
        void onStep(const StepReport& r) override {
            if (r.globalStep == 1)
                control->pause = true;  // honoured before the second step
        }
        void onPaused(bool paused) override {
            pauses.push_back(paused);
            if (paused)
                resumer = std::thread([this] {
                    std::this_thread::sleep_for(std::chrono::duration<double>(kPause));
                    control->pause = false;
                });
        }
        void onEpoch(const EpochReport& r) override {
            if (r.epoch != 1)
                return;
            wallEpochSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            reportedSeconds = r.seconds;
        }
    } pauser;
    TrainControl control;
    pauser.control = &control;
    const TrainResult r = train(tinyConfig("pause", 1), &pauser, &control);
    if (pauser.resumer.joinable())
        pauser.resumer.join();
    ASSERT_EQ(r.status, TrainResult::Status::Finished);
    EXPECT_EQ(pauser.pauses, (std::vector<bool>{true, false}));
    EXPECT_GT(pauser.wallEpochSeconds, kPause);
    EXPECT_LT(pauser.reportedSeconds, pauser.wallEpochSeconds - kPause + 0.1);
    EXPECT_GT(pauser.reportedSeconds, 0.0);
}

namespace {

/** The sample in every workflow state (coarse box fills among the masks), 40 images of 64 px. */
std::string workflowProject() {
    static const std::string dir = [] {
        SampleOptions o;
        o.outDir = (tempRoot() / "workflow").string();
        o.count = 40;
        o.size = 64;
        o.workflowStates = true;
        makeSampleProject(o);
        return o.outDir;
    }();
    return dir;
}

std::string readText(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST(Trainer, AutoSupervisionTrainsCoarseImagesFromTheirBoxesAndSaysSo) {
    TrainConfig c = tinyConfig("boxsup", 2);
    c.data = workflowProject();
    c.mixedPrecision = true;  // bf16 autocast on this CPU, as planned runs train
    const TrainResult r = train(c);
    ASSERT_EQ(r.status, TrainResult::Status::Finished) << r.message;
    const std::string log = readText(fs::path(r.runDir) / "train.log");
    const std::string config = readText(fs::path(r.runDir) / "config.yaml");
    EXPECT_NE(config.find("supervision: \"auto\""), std::string::npos) << config;
    // 30 % of the sample is coarse: the training images among them learn from their boxes.
    const auto from = log.find("supervision auto: ");
    ASSERT_NE(from, std::string::npos) << log;
    const int boxImages = std::stoi(log.substr(from + 18));
    EXPECT_GT(boxImages, 3);
    EXPECT_NE(config.find("# supervision auto: " + std::to_string(boxImages) + " training images from their boxes"),
              std::string::npos) << config;

    c.supervision = "masks";
    c.out = (tempRoot() / "boxfills").string();
    const TrainResult m = train(c);
    ASSERT_EQ(m.status, TrainResult::Status::Finished) << m.message;
    EXPECT_NE(readText(fs::path(m.runDir) / "train.log").find("supervision masks: 0 training images from their boxes"),
              std::string::npos);
}

TEST(Trainer, BoxSupervisionAloneLearnsTheDefects) {
    // Every image from its boxes (the true masks' region boxes where there is no box file): the model
    // must still find defects inside them, scored against the true masks of the val split.
    TrainConfig c = tinyConfig("boxesonly", 8);
    c.supervision = "boxes";
    Recorder rec;
    const TrainResult r = train(c, &rec);
    ASSERT_EQ(r.status, TrainResult::Status::Finished) << r.message;
    EXPECT_LT(rec.epochs.back().trainLoss, rec.epochs.front().trainLoss);
    std::cout << "box-supervised mIoU no bg " << rec.epochs.back().mIoUNoBackground << "\n";
    EXPECT_GT(rec.epochs.back().mIoUNoBackground, 0.05);  // 0.11 measured; nothing learnt gives 0
}
