#pragma once
#include <torch/nn/module.h>

#include <cstdint>
#include <vector>

namespace mf {

/**
 * A feature extractor feeding a U-Net style decoder. Level i has stride 2^i, i = 0..depth();
 * the last level is the bottleneck. A level without a feature map has 0 channels and an
 * undefined tensor (pretrained encoders start at stride 2).
 */
class EncoderImpl : public torch::nn::Module {
public:
    /** Feature maps per level (size depth() + 1). */
    virtual std::vector<torch::Tensor> forward(torch::Tensor x) = 0;
    /** Channels per level; 0 where forward() returns an undefined tensor. */
    virtual std::vector<std::int64_t> channels() const = 0;
    int depth() const { return static_cast<int>(channels().size()) - 1; }
};
using Encoder = std::shared_ptr<EncoderImpl>;

} // namespace mf
