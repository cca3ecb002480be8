#include "train/losses.h"

#include <stdexcept>
#include <string>

namespace mf {
namespace {

namespace F = torch::nn::functional;

// Losses are computed in float32 even under autocast: a sum over millions of pixels in fp16/bf16
// loses the small terms.
torch::Tensor asFloat(const torch::Tensor& logits) {
    return logits.scalar_type() == torch::kFloat ? logits : logits.to(torch::kFloat);
}

void checkShapes(const torch::Tensor& logits, const torch::Tensor& target) {
    if (logits.dim() != 4 || target.dim() != 3 || logits.size(0) != target.size(0) ||
        logits.size(2) != target.size(1) || logits.size(3) != target.size(2))
        throw std::invalid_argument("loss: logits must be N×C×H×W and target N×H×W of the same N, H, W");
}

struct ValidTarget {
    torch::Tensor valid;   ///< N×H×W bool
    torch::Tensor target;  ///< ignored pixels replaced by class 0 so gathers stay in range
};

/** True when some pixel holds the ignore index (one pass over the target, no float work). Without
 *  one the losses skip the masking passes and use the fused kernels. */
bool anyIgnored(const torch::Tensor& target, int ignoreIndex) {
    return ignoreIndex >= 0 && (target == ignoreIndex).any().item<bool>();
}

ValidTarget validTarget(const torch::Tensor& target, int ignoreIndex) {
    torch::Tensor valid = target != ignoreIndex;
    return {valid, torch::where(valid, target, torch::zeros_like(target))};
}

/** Per-pixel weight w_y (0 at ignored pixels). */
torch::Tensor pixelWeights(const ValidTarget& t, const torch::Tensor& classWeights) {
    torch::Tensor valid = t.valid.to(torch::kFloat);
    if (!classWeights.defined())
        return valid;
    return classWeights.to(t.target.device(), torch::kFloat).index({t.target}) * valid;
}

/** Σ w·l / Σ w without a device sync: an all-ignored batch divides 0 by a tiny number, giving 0. */
torch::Tensor weightedMean(const torch::Tensor& perPixel, const torch::Tensor& weights) {
    return (perPixel * weights).sum() / weights.sum().clamp_min(1e-12);
}

} // namespace

torch::Tensor crossEntropyLoss(const torch::Tensor& logits, const torch::Tensor& target,
                               const torch::Tensor& classWeights, int ignoreIndex) {
    checkShapes(logits, target);
    if (!anyIgnored(target, ignoreIndex)) {
        // Same definition (Σ w_y·l / Σ w_y) in one fused log-softmax + NLL kernel.
        auto options = F::CrossEntropyFuncOptions();
        if (classWeights.defined())
            options.weight(classWeights.to(logits.device(), torch::kFloat));
        return F::cross_entropy(asFloat(logits), target, options);
    }
    ValidTarget t = validTarget(target, ignoreIndex);
    torch::Tensor logp = F::log_softmax(asFloat(logits), F::LogSoftmaxFuncOptions(1));
    torch::Tensor nll = -logp.gather(1, t.target.unsqueeze(1)).squeeze(1);
    return weightedMean(nll, pixelWeights(t, classWeights));
}

torch::Tensor diceLoss(const torch::Tensor& logits, const torch::Tensor& target, bool includeBackground,
                       double smooth, int ignoreIndex) {
    checkShapes(logits, target);
    const int64_t classes = logits.size(1);
    torch::Tensor p = torch::softmax(asFloat(logits), 1);
    torch::Tensor g;
    if (anyIgnored(target, ignoreIndex)) {
        ValidTarget t = validTarget(target, ignoreIndex);
        torch::Tensor valid = t.valid.unsqueeze(1).to(torch::kFloat);
        p = p * valid;
        g = F::one_hot(t.target, classes).permute({0, 3, 1, 2}).to(torch::kFloat) * valid;
    } else {
        g = F::one_hot(target, classes).permute({0, 3, 1, 2}).to(torch::kFloat);
    }
    const std::vector<int64_t> dims{0, 2, 3};
    torch::Tensor intersection = (p * g).sum(dims);
    torch::Tensor cardinality = p.sum(dims) + g.sum(dims);
    torch::Tensor dice = (2.0 * intersection + smooth) / (cardinality + smooth);
    // With a single class there is nothing but "background": keep it rather than average nothing.
    if (!includeBackground && classes > 1)
        dice = dice.slice(0, 1);
    return 1.0 - dice.mean();
}

torch::Tensor focalLoss(const torch::Tensor& logits, const torch::Tensor& target, double gamma,
                        const torch::Tensor& classWeights, int ignoreIndex) {
    checkShapes(logits, target);
    ValidTarget t = validTarget(target, ignoreIndex);
    torch::Tensor logp = F::log_softmax(asFloat(logits), F::LogSoftmaxFuncOptions(1));
    torch::Tensor logpt = logp.gather(1, t.target.unsqueeze(1)).squeeze(1);
    torch::Tensor modulation = (1.0 - logpt.exp()).clamp_min(0.0).pow(gamma);
    return weightedMean(-modulation * logpt, pixelWeights(t, classWeights));
}

SegmentationLoss::SegmentationLoss(const TrainConfig& config, int classes)
    : m_classes(classes), m_ignoreIndex(config.ignoreIndex), m_ceWeight(config.ceWeight),
      m_diceWeight(config.diceWeight), m_focalWeight(config.focalWeight), m_focalGamma(config.focalGamma),
      m_diceIncludeBackground(config.diceIncludeBackground), m_diceSmooth(config.diceSmooth) {
    if (classes < 1)
        throw std::invalid_argument("loss: the number of classes must be at least 1");
    if (!config.classWeights.empty()) {
        if (static_cast<int>(config.classWeights.size()) != classes)
            throw std::invalid_argument("classWeights: " + std::to_string(config.classWeights.size()) +
                                        " weights given for " + std::to_string(classes) + " classes");
        m_classWeights = torch::tensor(config.classWeights, torch::kDouble).to(torch::kFloat);
    }
}

torch::Tensor SegmentationLoss::operator()(const torch::Tensor& logits, const torch::Tensor& target) const {
    torch::Tensor x = logits;
    if (x.dim() == 4 && target.dim() == 3 && (x.size(2) != target.size(1) || x.size(3) != target.size(2)))
        x = F::interpolate(x, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{target.size(1), target.size(2)})
                                  .mode(torch::kBilinear)
                                  .align_corners(false));
    torch::Tensor total = torch::zeros({}, x.options().dtype(torch::kFloat));
    if (m_ceWeight != 0)
        total = total + m_ceWeight * crossEntropyLoss(x, target, m_classWeights, m_ignoreIndex);
    if (m_diceWeight != 0)
        total = total + m_diceWeight * diceLoss(x, target, m_diceIncludeBackground, m_diceSmooth, m_ignoreIndex);
    if (m_focalWeight != 0)
        total = total + m_focalWeight * focalLoss(x, target, m_focalGamma, m_classWeights, m_ignoreIndex);
    return total;
}

torch::Tensor SegmentationLoss::operator()(const std::vector<torch::Tensor>& outputs,
                                           const torch::Tensor& target) const {
    if (outputs.empty())
        throw std::invalid_argument("loss: no network outputs");
    torch::Tensor sum = (*this)(outputs.front(), target);
    for (std::size_t i = 1; i < outputs.size(); ++i)
        sum = sum + (*this)(outputs[i], target);
    return sum / static_cast<double>(outputs.size());
}

} // namespace mf
