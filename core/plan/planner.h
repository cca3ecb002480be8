#pragma once
#include "plan/fingerprint.h"
#include "runs/trainconfig.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace mf {

/** How fast this machine trains, measured at plan time (plan/speedprobe.h) or given by a test. */
struct MachineSpeed {
    /** Seconds per megapixel of input for one training step (forward, loss, backward, Adam) of a
     *  depth-4 U-Net of width 16 and of width 32 (a batch of B images of S² costs B·S²/1e6 times it). */
    double trainSecondsPerMegapixel16 = 0;
    double trainSecondsPerMegapixel32 = 0;
    /** The numerics and memory layout the speeds were measured in: the fastest training mode of this
     *  machine (bf16 autocast only where the CPU has bf16 units, measured against fp32). */
    bool bf16 = false;
    bool channelsLast = false;
    std::string modes;  ///< every mode measured at width 16 and its speed, for the plan's reasons
    std::string note;  ///< how it was measured (threads, load)
};

/** One training mode the speed probe timed: numerics, memory layout and images per second. */
struct TrainingModeSpeed {
    bool bf16 = false;
    bool channelsLast = false;
    double imagesPerSecond = 0;
};

/** The mode a plan trains in, as an index into `modes` (the probe's, fp32 contiguous first): fp32
 *  contiguous unless another fp32 layout beats it by 5 %, and bf16 autocast only where it beats the
 *  chosen fp32 mode by 5 %: two timed steps are noisy, and a tie (38.2 against 38.1 img/s) must not
 *  flip the plan between precisions from one planning to the next; at equal speed fp32 is exact. */
std::size_t chooseTrainingMode(const std::vector<TrainingModeSpeed>& modes);

/** What the planner is asked for. */
struct PlanRequest {
    std::string data, val;     ///< as in TrainConfig
    double budgetSeconds = 900;
};

/** A run config with the reason for each choice: `reasons` pairs a YAML key (`augment.hflip` for the
 *  nested section) with a sentence; `header` lines describe the fingerprint and the time estimate. */
struct TrainingPlan {
    TrainConfig config;
    std::vector<std::pair<std::string, std::string>> reasons;
    std::vector<std::string> header;
    double estimatedSeconds = 0;  ///< training plus per-epoch validation, by the measured speed
};

/** Derives a run from the fingerprint, the budget and the machine's speed (pure: no I/O, no timing). */
TrainingPlan makePlan(const DatasetFingerprint& fingerprint, const PlanRequest& request, const MachineSpeed& speed,
                      int valImages, double valMegapixels);

/** The plan as the run YAML of trainconfig.h, each choice preceded by its reason as a comment
 *  (parseTrainConfig reads it back to plan.config). */
std::string planToYaml(const TrainingPlan& plan);

/** The plan's warm-up for `epochs` epochs: about 5 % of them, none below 10 epochs (also used when a
 *  flag overrides a planned run's epochs). */
int plannedWarmupEpochs(int epochs);

/** Parses "15m", "900s", "900", "1h", "1h30m" into seconds; throws std::invalid_argument otherwise. */
double parseDuration(const std::string& text);

} // namespace mf
