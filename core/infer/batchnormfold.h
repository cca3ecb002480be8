#pragma once
#include <torch/nn/modules/batchnorm.h>

namespace mf {

/** A convolution's weight and bias after an eval-mode batch norm that followed it was folded in. */
struct FoldedConv {
    torch::Tensor weight;  // same shape as the convolution's weight ([out, in/groups, kh, kw])
    torch::Tensor bias;    // [out], always defined
};

/**
 * Folds BatchNorm2d(conv(x)) into one convolution, using the batch norm's running statistics
 * (inference semantics): w' = w * g / sqrt(var + eps), b' = (b - mean) * g / sqrt(var + eps) + beta.
 * `convBias` may be undefined (a convolution without bias). Only for Conv2d weights laid out
 * [out, in/groups, kh, kw], not for transposed convolutions. The one implementation of this idea:
 * the ONNX exporter and the inference fast path both use it.
 */
FoldedConv foldBatchNorm(const torch::Tensor& convWeight, const torch::Tensor& convBias,
                         const torch::nn::BatchNorm2d& bn);

} // namespace mf
