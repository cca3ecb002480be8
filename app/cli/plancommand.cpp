#include "commands.h"

#include "io/atomicfile.h"
#include "plan/speedprobe.h"

#include <iostream>
#include <memory>

namespace mf::cli {
namespace {

struct PlanArgs {
    std::string data, val, budget = "15m", out;
};

void runPlan(const PlanArgs& a) {
    PlanRequest request;
    request.data = a.data;
    request.val = a.val;
    request.budgetSeconds = parseDuration(a.budget);
    const TrainingPlan plan = planTraining(request);
    const std::string yaml = planToYaml(plan);
    if (a.out.empty()) {
        std::cout << yaml;
        return;
    }
    writeFileAtomic(a.out, yaml);
    std::cout << "wrote " << a.out << " (" << plan.config.input << " at " << plan.config.size << " px, "
              << plan.config.arch << " width " << plan.config.width << ", " << plan.config.epochs
              << " epochs, about " << static_cast<int>(plan.estimatedSeconds) << " s)\n";
}

} // namespace

void addPlanCommand(CLI::App& app) {
    auto args = std::make_shared<PlanArgs>();
    auto* cmd = app.add_subcommand("plan", "Plan a training run from the dataset's fingerprint and a time budget; "
                                           "writes the run YAML with the reason for each choice");
    cmd->add_option("--data", args->data, "dataset: project folder or images/ + masks/")->required();
    cmd->add_option("--val", args->val, "explicit validation folder");
    cmd->add_option("--budget", args->budget, "wall-clock budget for training: 15m, 900s, 1h30m")->capture_default_str();
    cmd->add_option("--out", args->out, "YAML file to write (default: print it)");
    cmd->callback([args] { runPlan(*args); });
}

} // namespace mf::cli
