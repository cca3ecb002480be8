#include "infer/batchnormfold.h"

#include <torch/torch.h>

#include <stdexcept>

namespace mf {

FoldedConv foldBatchNorm(const torch::Tensor& convWeight, const torch::Tensor& convBias,
                         const torch::nn::BatchNorm2d& bn) {
    torch::NoGradGuard noGrad;
    const auto& opts = bn->options;
    if (convWeight.dim() != 4 || convWeight.size(0) != opts.num_features())
        throw std::invalid_argument("foldBatchNorm: convolution has " + std::to_string(convWeight.size(0)) +
                                    " output channels, batch norm " +
                                    std::to_string(opts.num_features()));
    if (!opts.track_running_stats())
        throw std::invalid_argument("foldBatchNorm: batch norm keeps no running statistics");
    const auto dtype = convWeight.scalar_type();
    // Work in double so the folded weights round once, not at every step.
    auto var = bn->running_var.to(torch::kDouble);
    auto mean = bn->running_mean.to(torch::kDouble);
    auto scale = torch::rsqrt(var + opts.eps());
    auto beta = torch::zeros_like(mean);
    if (opts.affine()) {
        scale = scale * bn->weight.to(torch::kDouble);
        beta = bn->bias.to(torch::kDouble);
    }
    auto bias = convBias.defined() ? convBias.to(torch::kDouble) : torch::zeros_like(mean);
    FoldedConv out;
    out.weight = (convWeight.to(torch::kDouble) * scale.view({-1, 1, 1, 1})).to(dtype).contiguous();
    out.bias = ((bias - mean) * scale + beta).to(dtype).contiguous();
    return out;
}

} // namespace mf
