#include "commands.h"
#include "consoleobserver.h"

#include "dist/launcher.h"
#include "dist/world.h"
#include "io/atomicfile.h"
#include "plan/speedprobe.h"
#include "models/checkpoint.h"
#include "machine/device.h"
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
    std::string config, data, val, arch, encoder, device, resume, out, supervision, budget = "15m";
    int epochs = 0, size = 0, width = 0, batch = 0;
    double lr = 0;
    std::uint64_t seed = 0;
    bool amp = false, channelsLast = false, overwrite = false;
    int nproc = 0, distTimeout = 300;
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
    addOverride(cmd, a, "--supervision", a.supervision,
                "auto (by status: coarse images learn from their boxes with BoxInst's losses, refined and reviewed "
                "ones from their masks) | masks (every mask file, box fills too) | boxes (every image from its boxes)",
                [&a](TrainConfig& c) { c.supervision = a.supervision; });
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
    cmd->add_option("--nproc", a.nproc, "start N local worker processes, one data-parallel rank each (Gloo on "
                    "loopback); under torchrun/srun/PyTorchJob leave it out: RANK, WORLD_SIZE, MASTER_ADDR, "
                    "MASTER_PORT are read from the environment")->check(CLI::Range(1, 1024));
    cmd->add_option("--dist-timeout", a.distTimeout, "seconds a rank waits for the others before the job fails "
                    "(default 300; MF_DIST_TIMEOUT overrides)")->check(CLI::Range(1, 7 * 24 * 3600));
    a.overrides.push_back({cmd->add_flag("--amp", a.amp, "mixed precision (fp16 on CUDA, bf16 on CPU)"),
                           [](TrainConfig& c) { c.mixedPrecision = true; }});
    a.overrides.push_back({cmd->add_flag("--overwrite", a.overwrite,
                                         "train into an --out folder that holds another run (its files are replaced)"),
                           [](TrainConfig& c) { c.overwrite = true; }});
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
    bool epochsGiven = false;
    for (const auto& entry : a.overrides)
        epochsGiven = epochsGiven || (entry.first->get_name() == "--epochs" && entry.first->count() > 0);
    if (epochsGiven && c.timeBudget > 0) {
        std::cerr << "note: --epochs " << c.epochs << " given, so the time budget of " << c.timeBudget
                  << " s is not applied (time_budget: 0)\n";
        c.timeBudget = 0;  // the user's epoch count wins over fitting it to the time left
    }
    if (!planYaml->empty()) {
        c.warmupEpochs = plannedWarmupEpochs(c.epochs);  // --epochs may have changed the planned count
    } else if (epochsGiven && c.warmupEpochs >= c.epochs) {
        // --epochs shorter than the warm-up of the config or checkpoint it overrides: the flag wins.
        const int was = c.warmupEpochs;
        c.warmupEpochs = plannedWarmupEpochs(c.epochs);
        std::cerr << "note: warm-up shortened from " << was << " to " << c.warmupEpochs << " epoch(s) to fit --epochs "
                  << c.epochs << "\n";
    }
    validateTrainConfig(c);
    return c;
}

/** --nproc N: this process only starts the ranks and waits for them. */
void launchWorkers(const TrainArgs& a, const TrainConfig& config, bool planned) {
    if (dist::worldFromEnvironment().distributed())
        throw std::invalid_argument("--nproc starts its own workers; leave it out when torchrun or srun has set "
                                    "WORLD_SIZE");
    std::vector<std::string> args = dist::withoutOption(dist::ownCommandLine(), "--nproc");
    std::string planFile;
    if (planned) {
        // Planned once here (with the flags applied), so that every rank trains the same run.
        planFile = (std::filesystem::temp_directory_path() /
                    ("maskforge-plan-" + std::to_string(::getpid()) + ".yaml")).string();
        writeFileAtomic(planFile, toYaml(config));
        args.push_back("--config");
        args.push_back(planFile);
    }
    const int code = dist::launchLocalWorkers(args, a.nproc, std::cerr);
    if (!planFile.empty())
        std::filesystem::remove(planFile);
    if (code != 0)
        throw CommandExit{code};
}

void runTrain(const TrainArgs& a) {
    std::string planYaml;
    if (a.config.empty() && a.resume.empty() && dist::worldFromEnvironment().distributed())
        throw std::invalid_argument("a distributed run needs --config: run `maskforge-cli plan` once and give every "
                                    "rank its YAML (ranks planning on their own could choose differently)");
    const TrainConfig config = resolveConfig(a, &planYaml);  // a bad config fails once, before any worker starts
    if (a.nproc > 0)
        return launchWorkers(a, config, !planYaml.empty());
    const auto group = dist::joinFromEnvironment(resolveDevice(config.device).is_cuda(),
                                                 dist::timeoutFromEnvironment(std::chrono::seconds(a.distTimeout)));
    const bool quiet = group && dist::worldFromEnvironment().rank != 0;  // rank 0 speaks for the job
    TrainControl control;
    PlannedRunObserver observer(planYaml);
    g_control = &control;
    std::signal(SIGINT, onInterrupt);
    const TrainResult result = train(config, quiet ? nullptr : &observer, &control, group);
    std::signal(SIGINT, SIG_DFL);
    g_control = nullptr;
    if (!quiet || result.status != TrainResult::Status::Finished)
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
