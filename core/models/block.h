#pragma once
#include <torch/nn/modules/container/sequential.h>

#include <cstdint>

namespace mf {

/**
 * The reference building block: Conv3x3(no bias) -> BN -> ReLU, twice. Children are named
 * "0".."5" like Python's nn.Sequential, so a Python reference maps name for name.
 */
torch::nn::Sequential block(std::int64_t cin, std::int64_t cout);

/** Bilinear ×2 upsampling with align_corners = false, as the reference decoder uses. */
torch::Tensor upsample2x(const torch::Tensor& x);

} // namespace mf
