#pragma once
#include "plan/planner.h"

namespace mf {

/** Measures this machine's training speed for the planner: the benchmark protocol (random batch of 4
 *  at 128², one warm-up and two timed steps) for U-Nets of width 16 and 32, with `threads` as
 *  TrainConfig::threads. Takes a few seconds on two CPU cores. */
MachineSpeed measureMachineSpeed(int threads = 0, const std::string& device = "auto");

/** Fingerprint of `request`'s training images, the speed (measured unless given), and the plan. */
TrainingPlan planTraining(const PlanRequest& request, const MachineSpeed* speed = nullptr);

} // namespace mf
