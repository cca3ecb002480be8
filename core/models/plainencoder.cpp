#include "models/plainencoder.h"

#include "models/block.h"

#include <torch/torch.h>

namespace mf {

PlainEncoderImpl::PlainEncoderImpl(const Options& options)
    : m_options(options)
{
    const auto ch = channels();
    std::int64_t prev = options.inChannels;
    for (int i = 0; i < options.depth; ++i) {
        m_down->push_back(block(prev, ch[i]));
        prev = ch[i];
    }
    register_module("down", m_down);
    m_bottleneck = register_module("bottleneck", block(prev, ch[options.depth]));
}

std::vector<std::int64_t> PlainEncoderImpl::channels() const
{
    std::vector<std::int64_t> ch;
    for (int i = 0; i <= m_options.depth; ++i)
        ch.push_back(std::int64_t{m_options.width} << i);
    return ch;
}

std::vector<torch::Tensor> PlainEncoderImpl::forward(torch::Tensor x)
{
    std::vector<torch::Tensor> features;
    for (const auto& level : *m_down) {
        x = level->as<torch::nn::Sequential>()->forward(x);
        features.push_back(x);
        x = torch::max_pool2d(x, 2);
    }
    features.push_back(m_bottleneck->forward(x));
    return features;
}

} // namespace mf
