#include "train/optim.h"

#include <cmath>
#include <stdexcept>

namespace mf {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const TrainConfig& c, std::vector<torch::Tensor> params) {
    namespace o = torch::optim;
    if (c.optimizer == "adam")
        return std::make_unique<o::Adam>(std::move(params), o::AdamOptions(c.lr).weight_decay(c.weightDecay));
    if (c.optimizer == "adamw")
        return std::make_unique<o::AdamW>(std::move(params), o::AdamWOptions(c.lr).weight_decay(c.weightDecay));
    if (c.optimizer == "sgd")
        return std::make_unique<o::SGD>(std::move(params),
                                        o::SGDOptions(c.lr).momentum(c.momentum).weight_decay(c.weightDecay));
    throw std::invalid_argument("config key 'optimizer': '" + c.optimizer + "' is not one of adam, adamw, sgd");
}

double scheduledLearningRate(const TrainConfig& c, int epoch, int step, int stepsPerEpoch) {
    const double perEpoch = std::max(1, stepsPerEpoch);
    const double t = epoch + step / perEpoch;  // fractional epochs done before this step
    if (c.warmupEpochs > 0 && t < c.warmupEpochs)
        return c.lr * (t + 1.0 / perEpoch) / c.warmupEpochs;
    if (c.schedule == "cosine") {
        const double span = std::max(1e-9, double(c.epochs - c.warmupEpochs));
        const double progress = std::min(1.0, (t - c.warmupEpochs) / span);
        return c.lr * 0.5 * (1.0 + std::cos(M_PI * progress));
    }
    if (c.schedule == "step")
        return c.lr * std::pow(c.stepGamma, epoch / std::max(1, c.stepSize));
    return c.lr;
}

void setLearningRate(torch::optim::Optimizer& optimizer, double lr) {
    for (auto& group : optimizer.param_groups())
        group.options().set_lr(lr);
}

} // namespace mf
