#pragma once
#include "runs/trainconfig.h"

#include <torch/torch.h>
#include <vector>

namespace mf {

// All losses take logits N×C×H×W (any floating type; computed in float32) and a target N×H×W int64
// holding class indices in [0, C) or the ignore index. Pixels at the ignore index count nowhere. A
// batch where every pixel is ignored gives 0 (with a graph), never NaN. `classWeights` is either
// undefined (uniform) or a float tensor of C weights.

/** Cross-entropy, mean over the valid pixels weighted as PyTorch does: Σ w_y·l / Σ w_y. */
torch::Tensor crossEntropyLoss(const torch::Tensor& logits, const torch::Tensor& target,
                               const torch::Tensor& classWeights = {}, int ignoreIndex = 255);

/** Soft Dice loss on softmax probabilities: 1 − mean over classes (1..C−1, or 0..C−1 with the
 *  background) of (2·Σp·g + s)/(Σp + Σg + s), sums over batch and valid pixels. */
torch::Tensor diceLoss(const torch::Tensor& logits, const torch::Tensor& target, bool includeBackground = false,
                       double smooth = 1.0, int ignoreIndex = 255);

/** Focal loss −w_y·(1−p_y)^γ·log p_y, normalised like crossEntropyLoss (γ = 0 gives exactly CE). */
torch::Tensor focalLoss(const torch::Tensor& logits, const torch::Tensor& target, double gamma = 2.0,
                        const torch::Tensor& classWeights = {}, int ignoreIndex = 255);

/** The training loss of a run: ceWeight·CE + diceWeight·Dice + focalWeight·Focal from a TrainConfig.
 *  Stateless after construction; a term with weight 0 is not computed. */
class SegmentationLoss {
public:
    /** Throws std::invalid_argument when config.classWeights is non-empty and not `classes` long. */
    SegmentationLoss(const TrainConfig& config, int classes);

    /** Loss of one output. Logits of another spatial size than the target (a deep-supervision head)
     *  are resized bilinearly to the target first. */
    torch::Tensor operator()(const torch::Tensor& logits, const torch::Tensor& target) const;
    /** Deep supervision: the mean of the loss over the outputs (throws for an empty list). */
    torch::Tensor operator()(const std::vector<torch::Tensor>& outputs, const torch::Tensor& target) const;

    int classes() const { return m_classes; }
    int ignoreIndex() const { return m_ignoreIndex; }

private:
    int m_classes;
    int m_ignoreIndex;
    double m_ceWeight, m_diceWeight, m_focalWeight;
    double m_focalGamma;
    bool m_diceIncludeBackground;
    double m_diceSmooth;
    torch::Tensor m_classWeights;  ///< CPU float, undefined when uniform
};

} // namespace mf
