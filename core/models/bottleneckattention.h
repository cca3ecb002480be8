#pragma once
#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/normalization.h>

namespace mf {

/**
 * Multi-head self-attention over the H·W positions of a feature map (one token per position,
 * its channels the embedding), optionally pre-LayerNorm, added back residually:
 * y = x + MHA(LN(x)). Shape-preserving: N×C×H×W -> N×C×H×W.
 */
class BottleneckAttentionImpl : public torch::nn::Module {
public:
    struct Options {
        std::int64_t channels = 512;
        int heads = 4;          // must divide channels
        bool layerNorm = true;
    };
    explicit BottleneckAttentionImpl(const Options& options);

    torch::Tensor forward(torch::Tensor x);

private:
    Options m_options;
    torch::nn::LayerNorm m_norm{nullptr};
    torch::nn::MultiheadAttention m_attention{nullptr};
};
TORCH_MODULE(BottleneckAttention);

} // namespace mf
