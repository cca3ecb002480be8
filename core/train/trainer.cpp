#include "train/trainer.h"

#include "dist/dataparallel.h"
#include "infer/livepredictor.h"
#include "io/atomicfile.h"
#include "io/errors.h"
#include "machine/describedevice.h"
#include "machine/device.h"
#include "metrics/metrics.h"
#include "models/checkpoint.h"
#include "models/modelfactory.h"
#include "models/torchvisionweights.h"
#include "runs/runfolder.h"
#include "train/boxlosses.h"
#include "train/calibraterun.h"
#include "train/loader.h"
#include "train/losses.h"
#include "train/nativevalidation.h"
#include "train/optim.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <thread>

namespace mf {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

bool lowerIsBetter(const std::string& monitor) { return monitor == "val_loss"; }

double monitoredValue(const EpochReport& r, const std::string& monitor) {
    if (monitor == "val_loss")
        return r.valLoss;
    if (monitor == "miou")
        return r.mIoU;
    if (monitor == "micro_imagewise_iou")
        return r.microImagewiseIoU;
    if (monitor == "pixel_accuracy")
        return r.pixelAccuracy;
    return r.mIoUNoBackground;
}

ModelSpec specOf(const TrainConfig& c, int classes) {
    ModelSpec s;
    s.arch = c.arch;
    s.encoder = c.encoder;
    s.classes = classes;
    s.width = c.width;
    s.depth = c.depth;
    s.attention = c.attention;
    s.attentionHeads = c.attentionHeads;
    s.deepSupervision = c.deepSupervision;
    return s;
}

/** Throws naming the config key when a checkpoint to resume from was trained differently. */
void checkResumable(const CheckpointMeta& m, const ModelSpec& s, const std::string& file) {
    auto differ = [&](const char* key, const std::string& ours, const std::string& theirs) {
        if (ours != theirs)
            throw std::invalid_argument("config key '" + std::string(key) + "': " + ours + " does not match the " +
                                        theirs + " of the checkpoint " + file + " to resume from");
    };
    differ("classes (the dataset's class count)", std::to_string(s.classes), std::to_string(m.spec.classes));
    differ("arch", s.arch, m.spec.arch);
    differ("encoder", s.encoder, m.spec.encoder);
    differ("width", std::to_string(s.width), std::to_string(m.spec.width));
    differ("depth", std::to_string(s.depth), std::to_string(m.spec.depth));
}

/** Everything one run holds; train() drives it epoch by epoch. */
class Session {
public:
    Session(const TrainConfig& config, TrainObserver* observer, TrainControl* control,
            std::shared_ptr<dist::Communicator> group)
        : m_config(config), m_observer(observer), m_control(control), m_device(resolveDevice(config.device)),
          m_group(std::move(group)) {}

    TrainResult run();

private:
    void prepare();
    void loadEncoderWeights();
    void resume();
    enum class StepsEnd { Done, Cancelled, NotFinite };
    StepsEnd trainEpoch(int epoch, double& meanLoss);
    void validate(EpochReport& report);
    static void setFigures(EpochReport& report, const MetricsReport& m, double loss, bool native);
    void endEpoch(EpochReport& report);
    void fitEpochsToBudget(int epoch, double epochSeconds);
    void writeCheckpoints(bool best, bool interrupted);
    /** Fits and stores the calibration of last.pt and best.pt (config.calibrate); a failure or a cancel
     *  is logged and leaves them uncalibrated. */
    void calibrate();
    CheckpointMeta meta(bool interrupted) const;
    bool waitWhilePaused();
    /** Wall seconds since `t`, less the time spent paused since then (`pausedAtT`: m_pausedSeconds at t). */
    double activeSecondsSince(Clock::time_point t, double pausedAtT) const { return secondsSince(t) - (m_pausedSeconds - pausedAtT); }
    void log(const std::string& line);
    /** config.yaml: the config, headed by a comment saying how the images are supervised. */
    std::string configText() const { return "# " + m_split.supervisionNote + "\n" + toYaml(m_config); }
    double pairwiseRamp(int steps) const;

    TrainConfig m_config;
    TrainObserver* m_observer;
    TrainControl* m_control;
    torch::Device m_device;
    DataSplit m_split;
    ModelSpec m_spec;
    SegmentationNet m_model;
    std::unique_ptr<torch::optim::Optimizer> m_optimizer;
    std::unique_ptr<SegmentationLoss> m_loss;
    std::unique_ptr<BoxSupervisionLoss> m_boxLoss;  // set when some training item learns from its boxes
    std::unique_ptr<RunFolder> m_run;
    std::unique_ptr<DataLoader> m_trainLoader, m_valLoader;
    std::shared_ptr<dist::Communicator> m_group;
    std::unique_ptr<dist::DataParallel> m_ddp;  // set when m_group has more than one rank
    std::unique_ptr<Predictor> m_livePredictor;  // native-resolution validation over m_model
    int m_epochsDone = 0;
    long long m_globalStep = 0;
    int m_stepsInEpoch = 0;          // steps of the epoch under way, and the sum of their losses:
    double m_lossSumInEpoch = 0;     // an interrupted checkpoint keeps them, the resumed run goes on from there
    int m_bestEpoch = 0;
    double m_bestScore = 0;
    double m_lr = 0;
    Clock::time_point m_start = Clock::now();
    double m_trainSeconds = 0, m_valSeconds = 0;  // this process's, for the ETA
    double m_pausedSeconds = 0;                    // spent waiting in waitWhilePaused
    long long m_stepsTimed = 0;
    int m_epochsTimed = 0;
    int m_configuredEpochs = 0;              // config.epochs before any fitting to time_budget
    std::vector<double> m_epochSecondsSeen;  // this process's epochs, for fitting to time_budget
    std::vector<std::string> m_pendingLog;  // said before the run folder's log exists
};

void Session::log(const std::string& line) {
    if (m_run)  // only rank 0 of a distributed run has one
        m_run->log(line);
    if (m_observer)
        m_observer->onLog(line);
}

void Session::loadEncoderWeights() {
    if (m_config.encoder == "plain")
        throw std::invalid_argument("config key 'encoder_weights': the plain encoder has no torchvision weights; "
                                    "choose encoder resnet18, resnet34 or efficientnet_b0");
    StateDictLoadReport report = loadTorchvisionStateDict(*m_model, m_config.encoderWeights);
    m_pendingLog.push_back("encoder weights: " + std::to_string(report.loaded.size()) + " tensors loaded from " +
                           m_config.encoderWeights + ", " + std::to_string(report.dropped.size()) + " dropped");
}

/** With overwrite: removes the files an earlier run left that this run writes or that score the old
 *  weights (checkpoints, metrics, log, evaluations), so the folder never mixes two runs. Other files
 *  (the plan written beside it, the user's own) stay. */
void clearReplacedRun(const TrainConfig& c) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!c.overwrite || !c.resume.empty() || c.out.empty() || !fs::is_directory(c.out, ec))
        return;
    for (const auto& entry : fs::directory_iterator(c.out, ec)) {
        const std::string name = entry.path().filename().string();
        const bool evaluation = name.rfind("eval_", 0) == 0 && (entry.path().extension() == ".csv" ||
                                                                entry.path().extension() == ".json");
        if (name == "best.pt" || name == "last.pt" || name == "metrics.csv" || name == "train.log" || evaluation)
            if (!fs::remove(entry.path(), ec) && ec)
                throw FileError(entry.path().string(), "could not remove the replaced run's file: " + ec.message());
    }
}

/** Refuses to train into a folder holding another run's files unless resuming or told to overwrite. */
void checkRunFolderFree(const TrainConfig& c) {
    std::error_code ec;
    if (c.out.empty() || !c.resume.empty() || c.overwrite || !std::filesystem::exists(c.out, ec))
        return;
    if (!std::filesystem::is_directory(c.out, ec))
        throw FileError(c.out, "the run folder is a file");
    if (!std::filesystem::is_empty(c.out, ec))
        throw FileError(c.out, "the run folder already holds files (another run's checkpoints and metrics); "
                               "pass --resume to continue that run or --overwrite to replace it");
}

void Session::prepare() {
    validateTrainConfig(m_config);
    // Only rank 0 of a distributed run writes the run folder: the others never check or create it
    // (they would find the folder rank 0 has just made, or claim folders of their own).
    const bool writer = !m_group || m_group->worldSize() <= 1 || m_group->rank() == 0;
    if (writer)
        checkRunFolderFree(m_config);
    m_split = loadDataSplit(m_config);
    if (m_split.train.empty())
        throw FileError(m_config.data, "no labelled training images");
    if (m_split.val.empty())
        throw FileError(m_config.val.empty() ? m_config.data : m_config.val, "no labelled validation images");
    m_config.ignoreIndex = m_split.ignoreIndex;  // the project's word on what to ignore wins
    useThreads(m_config.threads);
    m_spec = specOf(m_config, m_split.classCount);
    if (!m_config.resume.empty())
        checkResumable(readCheckpointMeta(m_config.resume), m_spec, m_config.resume);
    torch::manual_seed(m_config.seed);
    m_model = makeModel(m_spec);
    if (!m_config.encoderWeights.empty() && m_config.resume.empty())
        loadEncoderWeights();
    if (m_config.size % m_model->sizeDivisor() != 0)
        throw std::invalid_argument("config key 'size': " + std::to_string(m_config.size) + " must be a multiple of " +
                                    std::to_string(m_model->sizeDivisor()) + " for this network (depth " +
                                    std::to_string(m_config.depth) + ")");
    m_model->to(m_device);
    if (m_config.channelsLast)
        toChannelsLast(*m_model);
    m_optimizer = makeOptimizer(m_config, m_model->parameters());
    const bool boxes = std::any_of(m_split.train.begin(), m_split.train.end(), [](const LoaderItem& i) { return i.boxSupervised; });
    TrainConfig lossConfig = m_config;
    if (boxes) {
        // Box-supervised samples are ignored inside their boxes by the mask loss: it needs an ignore value.
        lossConfig.ignoreIndex = boxIgnoreIndex(m_config.ignoreIndex);
        m_boxLoss = std::make_unique<BoxSupervisionLoss>(m_config);
    }
    m_loss = std::make_unique<SegmentationLoss>(lossConfig, m_split.classCount);
    m_lr = m_config.lr;
    if (m_config.out.empty() && (writer || !m_config.resume.empty()))
        m_config.out = m_config.resume.empty() ? defaultRunDir(m_config.arch)
                                               : std::filesystem::path(m_config.resume).parent_path().string();
    if (writer) {
        clearReplacedRun(m_config);  // after every check of the config and data: a refused run removes nothing
        m_run = std::make_unique<RunFolder>(m_config.out);
    }
    if (!m_config.resume.empty())
        resume();
    if (m_run)
        m_run->writeConfig(configText());
    m_trainLoader = std::make_unique<DataLoader>(m_split.train, m_config, true, m_split.classCount);
    m_valLoader = std::make_unique<DataLoader>(m_split.val, m_config, false, m_split.classCount);
    if (!writer || (m_group && m_group->worldSize() > 1)) {
        m_ddp = std::make_unique<dist::DataParallel>(m_group, *m_model);  // rank 0's weights everywhere
        m_trainLoader->setShard(m_ddp->rank(), m_ddp->worldSize());
        m_valLoader->setShard(m_ddp->rank(), m_ddp->worldSize());
    }
    if (!m_split.splitNote.empty())
        log(m_split.splitNote);
    if (!m_split.supervisionNote.empty())
        log(m_split.supervisionNote);
    for (const auto& line : m_pendingLog)
        log(line);
}

void Session::resume() {
    const CheckpointMeta m = loadCheckpoint(m_config.resume, *m_model, m_optimizer.get(), true, m_device);
    m_epochsDone = m.epoch;
    m_globalStep = m.globalStep;
    m_bestEpoch = m.bestEpoch;
    m_bestScore = m.bestScore;
    if (m_run)
        m_run->restoreMetrics(m.metricsCsv);
    if (m.interrupted && m.epochStep > 0) {
        // Cancelled in the middle of an epoch: go on with its next batch, not from its start (the
        // finished steps would be trained twice and counted twice).
        m_stepsInEpoch = m.epochStep;
        m_lossSumInEpoch = m.epochLossSum;
        log("resumed from " + m_config.resume + " in the middle of epoch " + std::to_string(m.epoch + 1) +
            ", after its step " + std::to_string(m.epochStep));
        return;
    }
    log("resumed from " + m_config.resume + " after epoch " + std::to_string(m.epoch) +
        (m.interrupted ? " (it was interrupted in epoch " + std::to_string(m.epoch + 1) + ", which restarts)" : ""));
}

/** BoxInst ramps the pairwise term up over its first 10k of 90k iterations: here over the first 10 %
 *  of the run's steps, so the projection term has found the objects before neighbours must agree. */
double Session::pairwiseRamp(int steps) const {
    const double total = std::max(1.0, 0.1 * double(m_config.epochs) * double(std::max(1, steps)));
    return std::min(1.0, double(m_globalStep + 1) / total);
}

bool Session::waitWhilePaused() {
    if (!m_control || !m_control->pause.load() || m_control->cancel.load())
        return !(m_control && m_control->cancel.load());
    const auto t0 = Clock::now();
    if (m_observer)
        m_observer->onPaused(true);
    // Polling is fine here: a paused run has nothing else to do, and 50 ms is below notice.
    while (m_control->pause.load() && !m_control->cancel.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    m_pausedSeconds += secondsSince(t0);
    if (m_observer)
        m_observer->onPaused(false);
    return !m_control->cancel.load();
}

Session::StepsEnd Session::trainEpoch(int epoch, double& meanLoss) {
    m_model->train();
    const int steps = static_cast<int>(m_trainLoader->batchesPerEpoch());
    // 0 unless this epoch was interrupted and resumed: then its first steps are done already.
    const int first = std::min(m_stepsInEpoch, steps);
    m_trainLoader->startEpoch(epoch, static_cast<std::size_t>(first));
    double lossSum = m_lossSumInEpoch;
    int done = first;
    Batch batch;
    for (int step = first; step < steps; ++step) {
        const bool stop = !waitWhilePaused();
        if (m_ddp ? m_ddp->stopAgreed() : stop)  // a distributed run stops where all ranks agree
            return StepsEnd::Cancelled;
        const auto t0 = Clock::now();
        if (!m_trainLoader->next(batch))
            break;
        m_lr = scheduledLearningRate(m_config, epoch - 1, step, steps);
        setLearningRate(*m_optimizer, m_lr);
        auto x = batch.images.to(m_device, true);
        if (m_config.channelsLast)
            x = x.contiguous(at::MemoryFormat::ChannelsLast);
        const auto y = batch.masks.to(m_device, true);
        m_optimizer->zero_grad();
        torch::Tensor loss;
        {
            AutocastScope autocast(m_config.mixedPrecision, m_device);
            auto outputs = m_model->forwardAll(x);
            loss = (*m_loss)(outputs, y);
            if (m_boxLoss && !batch.boxSamples.empty())
                loss = loss + (*m_boxLoss)(outputs, batch.boxes, batch.lab, batch.boxSamples, pairwiseRamp(steps));
        }
        loss.backward();
        if (m_ddp)
            loss = m_ddp->afterBackward(loss, stop);  // gradients and loss averaged over the ranks
        if (m_config.clipNorm > 0)
            torch::nn::utils::clip_grad_norm_(m_model->parameters(), m_config.clipNorm);
        m_optimizer->step();
        // The one host sync of a step, after the work is queued. A non-finite loss has spoilt the
        // weights in memory, but they are never written: the checkpoints on disk stay the last good ones.
        const double value = loss.item<double>();
        if (!std::isfinite(value)) {
            log("loss is " + std::to_string(value) + " at epoch " + std::to_string(epoch) + " step " +
                std::to_string(step + 1));
            return StepsEnd::NotFinite;
        }
        lossSum += value;
        ++done;
        ++m_globalStep;
        m_stepsInEpoch = done;
        m_lossSumInEpoch = lossSum;
        m_trainSeconds += secondsSince(t0);
        ++m_stepsTimed;
        if (m_observer) {
            StepReport r;
            r.epoch = epoch;
            r.step = step + 1;
            r.stepsPerEpoch = steps;
            r.epochs = m_config.epochs;
            r.globalStep = m_globalStep;
            r.loss = value;
            r.lr = m_lr;
            r.secondsElapsed = activeSecondsSince(m_start, 0);
            const double perStep = m_trainSeconds / m_stepsTimed;
            const double perVal = m_epochsTimed ? m_valSeconds / m_epochsTimed : perStep * steps * 0.15;
            r.etaSeconds = perStep * ((m_config.epochs - epoch) * double(steps) + (steps - step - 1)) +
                           perVal * (m_config.epochs - epoch + 1);
            m_observer->onStep(r);
        }
    }
    meanLoss = done ? lossSum / done : 0.0;
    m_stepsInEpoch = 0;
    m_lossSumInEpoch = 0;
    return StepsEnd::Done;
}

void Session::validate(EpochReport& report) {
    const auto t0 = Clock::now();
    torch::NoGradGuard noGrad;
    if (m_ddp)
        m_ddp->averageBuffers(*m_model);
    m_model->eval();
    if (m_config.valResolution == "native") {
        // Scored as `evaluate` will score the run: each image at its own resolution.
        if (!m_livePredictor)
            m_livePredictor = makeLivePredictor(m_model, meta(false), m_device);
        // Each rank predicts its share of the images; the figures are gathered (ddp null: one process).
        const NativeValidation v = validateAtNativeResolution(*m_livePredictor, m_split.val, *m_loss,
                                                              m_split.classCount, m_split.ignoreIndex, m_ddp.get());
        setFigures(report, v.report, v.loss, true);
        m_valSeconds += secondsSince(t0);
        ++m_epochsTimed;
        return;
    }
    MetricsAccumulator acc(m_split.classCount, m_split.ignoreIndex);
    m_valLoader->startEpoch(1);
    Batch batch;
    torch::Tensor lossSum = torch::zeros({}, torch::kDouble);
    int batches = 0;
    while (m_valLoader->next(batch)) {
        auto x = batch.images.to(m_device, true);
        if (m_config.channelsLast)
            x = x.contiguous(at::MemoryFormat::ChannelsLast);
        const auto y = batch.masks.to(m_device, true);
        torch::Tensor logits;
        {
            AutocastScope autocast(m_config.mixedPrecision, m_device);
            logits = m_model->forward(x);
        }
        logits = logits.to(torch::kFloat);
        lossSum += (*m_loss)(logits, y).to(torch::kCPU, torch::kDouble);
        ++batches;
        const auto pred = logits.argmax(1).to(torch::kCPU, torch::kUInt8).contiguous();
        const auto truth = batch.masks.to(torch::kUInt8).contiguous();  // ignore 255 survives; -1 means none
        const int h = static_cast<int>(pred.size(1)), w = static_cast<int>(pred.size(2));
        for (int i = 0; i < pred.size(0); ++i)
            acc.add(cv::Mat(h, w, CV_8UC1, truth[i].data_ptr<uint8_t>()),
                    cv::Mat(h, w, CV_8UC1, pred[i].data_ptr<uint8_t>()));
    }
    double lossTotal = lossSum.item<double>();
    if (m_ddp) {
        acc = m_ddp->gather(acc, m_split.val.size());
        const auto sums = m_ddp->sum({lossTotal, double(batches)});
        lossTotal = sums[0];
        batches = static_cast<int>(sums[1]);
    }
    setFigures(report, makeReport(acc), batches ? lossTotal / batches : 0.0, false);
    m_valSeconds += secondsSince(t0);
    ++m_epochsTimed;
}

void Session::setFigures(EpochReport& report, const MetricsReport& m, double loss, bool native) {
    report.valLoss = loss;
    report.mIoU = m.mIoU;
    report.mIoUNoBackground = m.mIoUNoBackground;
    report.mIoUPresentNoBackground = m.mIoUPresentNoBackground;
    report.microImagewiseIoU = m.microImagewiseIoU;
    report.pixelAccuracy = m.pixelAccuracy;
    report.classIoU = m.iou;
    report.valNative = native;
}

CheckpointMeta Session::meta(bool interrupted) const {
    CheckpointMeta m;
    m.spec = m_spec;
    m.classNames = m_split.classNames;
    m.size = m_config.size;
    m.mean = m_config.mean;
    m.std = m_config.std;
    m.ignoreIndex = m_split.ignoreIndex;
    m.epoch = m_epochsDone;
    m.globalStep = m_globalStep;
    m.bestEpoch = m_bestEpoch;
    m.bestScore = m_bestScore;
    m.monitor = m_config.monitor;
    m.configYaml = toYaml(m_config);
    m.metricsCsv = m_run ? m_run->metricsCsv() : std::string();
    m.interrupted = interrupted;
    m.epochStep = interrupted ? m_stepsInEpoch : 0;
    m.epochLossSum = interrupted ? m_lossSumInEpoch : 0;
    return m;
}

void Session::writeCheckpoints(bool best, bool interrupted) {
    if (!m_run)
        return;
    const std::string bytes = checkpointBytes(*m_model, m_optimizer.get(), meta(interrupted));
    writeFileAtomic(m_run->path("last.pt"), bytes);
    if (best)
        writeFileAtomic(m_run->path("best.pt"), bytes);
}

void Session::calibrate() {
    if (m_split.calibration.empty()) {
        log("calibration: no trusted masks to fit it on; the checkpoints are left uncalibrated");
        return;
    }
    log("calibrating on " + m_split.calibrationNote + " (calibrate: false skips this)");
    auto progress = [this](int, int) { return !(m_control && m_control->cancel.load()); };
    try {
        const std::string last = m_run->path("last.pt"), best = m_run->path("best.pt");
        const CalibrationFit fit = calibrateCheckpoint(last, m_split.calibration, m_split.calibrationNote, m_config.device,
                                                       true, progress);
        log("last.pt: " + fit.note);
        if (!std::filesystem::is_regular_file(best))
            return;
        const CalibrationFit b = m_bestEpoch == m_epochsDone  // the same weights: the same fit
                                     ? fit
                                     : calibrateCheckpoint(best, m_split.calibration, m_split.calibrationNote,
                                                           m_config.device, false, progress);
        writeCheckpointCalibration(best, b);
        log("best.pt: " + b.note);
    } catch (const std::exception& e) {
        log(std::string("calibration not done, the checkpoints are left uncalibrated: ") + e.what());
    }
}

void Session::fitEpochsToBudget(int epoch, double epochSeconds) {
    m_epochSecondsSeen.push_back(epochSeconds);
    if (!(m_config.timeBudget > 0) || !m_config.resume.empty())
        return;
    // The pace: the mean of the last three epochs, leaving out the first (it fills the caches) once
    // there are others.
    const std::size_t n = m_epochSecondsSeen.size();
    const std::size_t from = n > 1 ? std::max<std::size_t>(1, n >= 3 ? n - 3 : 1) : 0;
    double sum = 0;
    for (std::size_t i = from; i < n; ++i)
        sum += m_epochSecondsSeen[i];
    const double pace = std::max(1e-6, sum / double(n - from));
    const double left = m_config.timeBudget - activeSecondsSince(m_start, 0);
    double fitted = epoch + std::max(0.0, std::floor(left / pace));
    fitted = std::clamp(fitted, double(epoch), 3.0 * m_configuredEpochs);
    if (m_ddp)  // every rank must stop after the same epoch: the mean of their fits, the same number everywhere
        fitted = std::floor(m_ddp->sum({fitted})[0] / m_ddp->worldSize());
    const int total = static_cast<int>(fitted);
    if (total == m_config.epochs)
        return;
    char line[256];
    std::snprintf(line, sizeof line, "time budget: %.0f s left at %.1f s per epoch: %d epochs in all instead of %d", left,
                  pace, total, m_config.epochs);
    log(line);
    m_config.epochs = total;
    m_config.warmupEpochs = std::min(m_config.warmupEpochs, std::max(0, total - 1));
    if (m_run)
        m_run->writeConfig(configText());  // config.yaml and the checkpoints say the count the run ends at
}

void Session::endEpoch(EpochReport& r) {
    const double score = monitoredValue(r, m_config.monitor);
    r.best = m_bestEpoch == 0 || (lowerIsBetter(m_config.monitor) ? score < m_bestScore : score > m_bestScore);
    if (r.best) {
        m_bestEpoch = r.epoch;
        m_bestScore = score;
    }
    m_epochsDone = r.epoch;
    if (m_run)
        m_run->addEpoch(r, m_split.classNames);
    writeCheckpoints(r.best, false);
    std::ostringstream line;
    line << "epoch " << r.epoch << "/" << r.epochs << " train_loss " << r.trainLoss << " val_loss " << r.valLoss
         << " miou " << r.mIoU << " miou_no_bg " << r.mIoUNoBackground << " lr " << r.lr << " " << r.seconds << " s"
         << (r.best ? " (best)" : "");
    log(line.str());
    if (m_ddp)
        log(m_ddp->takeCommunicationReport());
    if (m_observer)
        m_observer->onEpoch(r);
}

TrainResult Session::run() {
    prepare();
    TrainResult result;
    result.runDir = m_config.out;
    const std::string deviceText = describeDevice(m_config.device, m_config.threads) +
                                   (m_ddp ? " × " + m_ddp->describe() + " (rank " + std::to_string(m_ddp->rank()) + ")" : "");
    log("training " + describe(m_spec) + " (" + std::to_string(parameterCount(*m_model)) + " parameters) on " +
        deviceText + ", " + std::to_string(m_split.train.size()) + " train / " + std::to_string(m_split.val.size()) +
        " val images");
    if (m_observer)
        m_observer->onStart(m_config.out, deviceText);
    int sinceBest = 0;
    m_configuredEpochs = m_config.epochs;
    if (m_config.timeBudget > 0 && !m_config.resume.empty())
        log("time_budget: not applied to a resumed run; it keeps its " + std::to_string(m_config.epochs) + " epochs");
    for (int epoch = m_epochsDone + 1; epoch <= m_config.epochs; ++epoch) {
        const auto t0 = Clock::now();
        const double pausedBefore = m_pausedSeconds;
        EpochReport r;
        r.epoch = epoch;
        r.epochs = m_config.epochs;
        const StepsEnd end = trainEpoch(epoch, r.trainLoss);
        if (end == StepsEnd::Cancelled) {
            writeCheckpoints(false, true);  // the weights after the last finished step are good
            log("cancelled during epoch " + std::to_string(epoch) + "; last.pt holds the weights so far");
            result.status = TrainResult::Status::Cancelled;
            result.message = "cancelled during epoch " + std::to_string(epoch);
            break;
        }
        if (end == StepsEnd::NotFinite) {
            result.status = TrainResult::Status::Failed;
            result.message = "the loss became NaN or infinite in epoch " + std::to_string(epoch) +
                             " (try a lower lr or clip_norm); the last good checkpoint is kept in " + m_config.out;
            log(result.message);
            break;
        }
        validate(r);
        r.lr = m_lr;
        r.seconds = activeSecondsSince(t0, pausedBefore);
        fitEpochsToBudget(epoch, r.seconds);
        r.epochs = m_config.epochs;
        r.etaSeconds = (m_config.epochs - epoch) * activeSecondsSince(m_start, 0) / std::max(1, m_epochsTimed);
        endEpoch(r);
        sinceBest = r.best ? 0 : sinceBest + 1;
        if (m_config.patience > 0 && sinceBest >= m_config.patience && epoch < m_config.epochs) {
            result.status = TrainResult::Status::EarlyStopped;
            result.message = "no better " + m_config.monitor + " for " + std::to_string(m_config.patience) +
                             " epochs; stopped after epoch " + std::to_string(epoch);
            log(result.message);
            break;
        }
    }
    if (m_config.calibrate && m_run && m_epochsDone > 0 &&
        (result.status == TrainResult::Status::Finished || result.status == TrainResult::Status::EarlyStopped))
        calibrate();
    result.epochsDone = m_epochsDone;
    result.bestEpoch = m_bestEpoch;
    result.bestScore = m_bestScore;
    if (result.status == TrainResult::Status::Finished)
        result.message = "finished " + std::to_string(m_epochsDone) + " epochs; best " + m_config.monitor + " " +
                         std::to_string(m_bestScore) + " at epoch " + std::to_string(m_bestEpoch);
    return result;
}

} // namespace

TrainResult train(const TrainConfig& config, TrainObserver* observer, TrainControl* control,
                  std::shared_ptr<dist::Communicator> group) {
    Session session(config, observer, control, std::move(group));
    return session.run();
}

} // namespace mf
