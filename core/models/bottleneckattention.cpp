#include "models/bottleneckattention.h"

#include <torch/torch.h>

#include <stdexcept>

namespace mf {

BottleneckAttentionImpl::BottleneckAttentionImpl(const Options& options)
    : m_options(options)
{
    if (options.heads < 1 || options.channels % options.heads != 0)
        throw std::invalid_argument("BottleneckAttention: " + std::to_string(options.heads)
                                    + " heads do not divide " + std::to_string(options.channels)
                                    + " channels");
    if (options.layerNorm)
        m_norm = register_module("norm", torch::nn::LayerNorm(
                                             torch::nn::LayerNormOptions({options.channels})));
    m_attention = register_module(
        "attention", torch::nn::MultiheadAttention(
                         torch::nn::MultiheadAttentionOptions(options.channels, options.heads)));
}

torch::Tensor BottleneckAttentionImpl::forward(torch::Tensor x)
{
    const auto n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    // LibTorch's MultiheadAttention takes sequence-first tokens: (H·W) × N × C.
    auto tokens = x.flatten(2).permute({2, 0, 1});
    auto normed = m_norm ? m_norm->forward(tokens) : tokens;
    auto attended = std::get<0>(m_attention->forward(normed, normed, normed, {}, false));
    return (tokens + attended).permute({1, 2, 0}).reshape({n, c, h, w});
}

} // namespace mf
