#pragma once
#include "runs/trainconfig.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace mf {

/** Adam, AdamW or SGD with momentum over `params`, as `config` says (lr, weight decay, momentum). */
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const TrainConfig& config, std::vector<torch::Tensor> params);

/** The learning rate of one step: linear warm-up over `warmupEpochs`, then constant, cosine
 *  annealing to 0 at the last epoch, or ×stepGamma every stepSize epochs. `epoch` is 0-based,
 *  `step` 0-based within it. */
double scheduledLearningRate(const TrainConfig& config, int epoch, int step, int stepsPerEpoch);

/** Sets the rate of every parameter group. */
void setLearningRate(torch::optim::Optimizer& optimizer, double lr);

} // namespace mf
