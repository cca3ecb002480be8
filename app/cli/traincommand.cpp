#include "commands.h"
#include "consoleobserver.h"

#include "io/atomicfile.h"
#include "plan/speedprobe.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

#include <csignal>
#include <filesystem>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <unistd.h>

namespace mf::cli {
namespace {

/** Flags of `train`; each one given overrides the config file. */
struct TrainArgs {
    std::string config, data, val, arch, encoder, device, resume, out, budget = "15m";
    int epochs = 0, size = 0, width = 0, batch = 0;
    double lr = 0;
    std::uint64_t seed = 0;
    bool amp = false, channelsLast = false;
    std::vector<std::pair<CLI::Option*, std::function<void(TrainConfig&)>>> overrides;
};

TrainControl* g_control = nullptr;

extern "C" void onInterrupt(int) {
    if (g_control)
        g_control->cancel.store(true);
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl+C ends the program at once
}

template <class T>
void addOverride(CLI::App* cmd, TrainArgs& a, const std::string& flag, T& value, const std::string& help,
                 std::function<void(TrainConfig&)> apply) {
    a.overrides.push_back({cmd->add_option(flag, value, help), std::move(apply)});
}

void addTrainOptions(CLI::App* cmd, TrainArgs& a) {
    cmd->add_option("--config", a.config, "run YAML (see configs/); flags below override it. Without --config "
                                          "and --resume the run is planned from the dataset (see `plan`)");
    cmd->add_option("--budget", a.budget, "time budget for a planned run (15m, 900s, 1h)")->capture_default_str();
    addOverride(cmd, a, "--data", a.data, "dataset: project folder or images/ + masks/", [&a](TrainConfig& c) { c.data = a.data; });
    addOverride(cmd, a, "--val", a.val, "explicit validation folder", [&a](TrainConfig& c) { c.val = a.val; });
    addOverride(cmd, a, "--arch", a.arch, "encdec | unet | unetpp", [&a](TrainConfig& c) { c.arch = a.arch; });
    addOverride(cmd, a, "--encoder", a.encoder, "plain | resnet18 | resnet34 | efficientnet_b0",
                [&a](TrainConfig& c) { c.encoder = a.encoder; });
    addOverride(cmd, a, "--epochs", a.epochs, "number of epochs", [&a](TrainConfig& c) { c.epochs = a.epochs; });
    addOverride(cmd, a, "--size", a.size, "network input side in pixels", [&a](TrainConfig& c) { c.size = a.size; });
    addOverride(cmd, a, "--width", a.width, "channels of the first level", [&a](TrainConfig& c) { c.width = a.width; });
    addOverride(cmd, a, "--batch", a.batch, "batch size", [&a](TrainConfig& c) { c.batch = a.batch; });
    addOverride(cmd, a, "--lr", a.lr, "learning rate", [&a](TrainConfig& c) { c.lr = a.lr; });
    addOverride(cmd, a, "--device", a.device, "auto | cpu | cuda", [&a](TrainConfig& c) { c.device = a.device; });
    addOverride(cmd, a, "--seed", a.seed, "random seed", [&a](TrainConfig& c) { c.seed = a.seed; });
    addOverride(cmd, a, "--resume", a.resume, "checkpoint to resume from (its config is the base without --config)",
                [&a](TrainConfig& c) { c.resume = a.resume; });
    addOverride(cmd, a, "--out", a.out, "run folder (default runs/<arch>-<time>)", [&a](TrainConfig& c) { c.out = a.out; });
    a.overrides.push_back({cmd->add_flag("--amp", a.amp, "mixed precision (fp16 on CUDA, bf16 on CPU)"),
                           [](TrainConfig& c) { c.mixedPrecision = true; }});
    a.overrides.push_back({cmd->add_flag("--channels-last", a.channelsLast, "channels-last memory layout"),
                           [](TrainConfig& c) { c.channelsLast = true; }});
}

/** Writes the plan, with its reasons, into the run folder once the trainer has made it. */
class PlannedRunObserver : public ConsoleObserver {
public:
    explicit PlannedRunObserver(std::string planYaml) : m_planYaml(std::move(planYaml)) {}
    void onStart(const std::string& runDir, const std::string& device) override {
        ConsoleObserver::onStart(runDir, device);
        if (!m_planYaml.empty())
            writeFileAtomic((std::filesystem::path(runDir) / "plan.yaml").string(), m_planYaml);
    }

private:
    std::string m_planYaml;
};

TrainConfig resolveConfig(const TrainArgs& a, std::string* planYaml) {
    TrainConfig c;
    if (!a.config.empty()) {
        c = loadTrainConfig(a.config);
    } else if (!a.resume.empty()) {
        c = parseTrainConfig(readCheckpointMeta(a.resume).configYaml, a.resume + " (embedded config)");
    } else if (!a.data.empty()) {
        TrainConfig where;  // a missing dataset is named by its key before any planning work
        where.data = a.data;
        where.val = a.val;
        validateTrainConfig(where);
        PlanRequest request;
        request.data = a.data;
        request.val = a.val;
        request.budgetSeconds = parseDuration(a.budget);
        std::cout << "planning the run from the dataset (budget " << a.budget << ")...\n";
        const TrainingPlan plan = planTraining(request);
        *planYaml = planToYaml(plan);
        std::cout << *planYaml;
        c = plan.config;
    }
    for (const auto& [option, apply] : a.overrides)
        if (option->count() > 0)
            apply(c);
    if (!planYaml->empty())
        c.warmupEpochs = plannedWarmupEpochs(c.epochs);  // --epochs may have changed the planned count
    validateTrainConfig(c);
    return c;
}

void runTrain(const TrainArgs& a) {
    std::string planYaml;
    const TrainConfig config = resolveConfig(a, &planYaml);
    TrainControl control;
    PlannedRunObserver observer(planYaml);
    g_control = &control;
    std::signal(SIGINT, onInterrupt);
    const TrainResult result = train(config, &observer, &control);
    std::signal(SIGINT, SIG_DFL);
    g_control = nullptr;
    std::cout << result.message << "\nrun folder: " << result.runDir << "\n";
    if (result.status == TrainResult::Status::Cancelled)
        throw CommandExit{130};
    if (result.status == TrainResult::Status::Failed)
        throw CommandExit{1};
}

} // namespace

void addTrainCommand(CLI::App& app) {
    auto args = std::make_shared<TrainArgs>();
    auto* cmd = app.add_subcommand("train", "Train a segmentation network (config file and/or flags)");
    addTrainOptions(cmd, *args);
    cmd->callback([args] { runTrain(*args); });
}

} // namespace mf::cli
