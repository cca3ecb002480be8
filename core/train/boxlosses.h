#pragma once
#include "runs/trainconfig.h"

#include <torch/torch.h>
#include <utility>
#include <vector>

namespace mf {

// The two losses of BoxInst (Tian et al., "BoxInst: High-Performance Instance Segmentation with Box
// Annotations", CVPR 2021), written for semantic segmentation: a softmax over C classes instead of one
// sigmoid per instance, and per class the union of the image's boxes of that class instead of one box.
//
// Shared arguments: `logits` N×C×H×W (any floating type, computed in float32, also under autocast);
// `boxes` N×C×H×W (bool or 0/1 of any type): channel k ≥ 1 is 1 inside a box of class k, channel 0 is 1
// where no box covers the pixel. A pixel with no channel set (a border invented by an augmentation)
// counts nowhere. Losses are 0 (with a graph) when nothing counts.

/** Projection loss: for each image and each class k ≥ 1 with at least one box, the maximum of the
 *  predicted probability of k along every row and along every column is compared with the row and
 *  column projections of the class's box mask by Dice (1 − 2Σpt / (Σp² + Σt²), BoxInst's form), the x
 *  and y terms added; mean over the (image, class) pairs that have boxes. Invalid pixels are left out
 *  of the maxima. */
torch::Tensor boxProjectionLoss(const torch::Tensor& logits, const torch::Tensor& boxes);

/** LAB colour similarity of each pixel with its 8 neighbours at `dilation` (BoxInst: 2): a float
 *  tensor N×8×H×W of exp(−‖lab_i − lab_j‖ / θ), θ = `theta` (BoxInst: 2), 0 where the neighbour is
 *  outside the image. `lab` N×3×H×W float in CIE L*a*b* (L in 0..100). Neighbour order: the offsets of
 *  pairwiseOffsets(). */
torch::Tensor colorSimilarity(const torch::Tensor& lab, int dilation = 2, double theta = 2.0);

/** Pairwise affinity loss: for every pixel i inside a box (any class) and each of its 8 dilated
 *  neighbours j with colour similarity ≥ `threshold` (BoxInst: 0.3), −log P(i and j have the same
 *  label) with P = Σ_c p_ic·p_jc (the multi-class form of p_i·p_j + (1−p_i)(1−p_j)); mean over such
 *  pairs. `similarity` from colorSimilarity with the same dilation. */
torch::Tensor boxPairwiseLoss(const torch::Tensor& logits, const torch::Tensor& boxes, const torch::Tensor& similarity,
                              int dilation = 2, double threshold = 0.3);

/** Box exclusion: inside the boxes, the classes no box covers there are pushed out: mean over the
 *  pixels inside some box of −log(p_background + Σ_{k boxed at the pixel} p_k). (Outside every box the
 *  ordinary mask loss on a background target does the same for the background.) */
torch::Tensor boxExclusionLoss(const torch::Tensor& logits, const torch::Tensor& boxes);

/** The (dy, dx) of the 8 neighbours at `dilation`, in the order colorSimilarity uses. */
std::vector<std::pair<int, int>> pairwiseOffsets(int dilation);

/** The box term of a run's loss for its box-supervised samples (added to SegmentationLoss, which sees
 *  them as background outside their boxes and ignored inside):
 *  w_proj·(projection + exclusion) + ramp·w_pair·pairwise, with the weights, threshold and dilation of
 *  a TrainConfig. Stateless after construction. */
class BoxSupervisionLoss {
public:
    explicit BoxSupervisionLoss(const TrainConfig& config);

    /** `outputs` the network's outputs for the whole batch (logits of another size than the boxes are
     *  resized bilinearly first), `boxes`/`lab` as Batch holds them, `samples` the positions of the
     *  box-supervised samples; `ramp` in [0, 1] scales the pairwise term (BoxInst warms it up). The mean
     *  over the outputs; 0 when `samples` is empty. */
    torch::Tensor operator()(const std::vector<torch::Tensor>& outputs, const torch::Tensor& boxes,
                             const torch::Tensor& lab, const std::vector<std::int64_t>& samples, double ramp) const;

private:
    double m_projectionWeight, m_pairwiseWeight, m_threshold;
    int m_dilation;
};

} // namespace mf
