#include "models/unetplusplus.h"

#include "models/block.h"
#include "models/plainencoder.h"

#include <torch/torch.h>

namespace mf {

namespace nn = torch::nn;

UNetPlusPlusImpl::UNetPlusPlusImpl(const Options& options)
    : UNetPlusPlusImpl(PlainEncoder(PlainEncoderImpl::Options{options.inChannels, options.width,
                                                              options.depth}).ptr(),
                       options)
{
}

UNetPlusPlusImpl::UNetPlusPlusImpl(Encoder encoder, const Options& options)
    : m_options(options)
    , m_encoder(std::move(encoder))
{
    m_options.depth = m_encoder->depth();
    register_module("encoder", m_encoder);
    if (m_options.attention)
        m_attention = register_module(
            "attention", BottleneckAttention(BottleneckAttentionImpl::Options{
                             m_encoder->channels().back(), m_options.attentionHeads,
                             m_options.attentionLayerNorm}));
    buildNodes();
    const int headCount = m_options.deepSupervision ? m_options.depth : 1;
    for (int k = 0; k < headCount; ++k)
        m_heads->push_back(nn::Conv2d(nn::Conv2dOptions(m_options.width, m_options.classes, 1)));
    register_module("heads", m_heads);
}

std::int64_t UNetPlusPlusImpl::nodeInputChannels(int i, int j) const
{
    const auto enc = m_encoder->channels();
    const std::int64_t levelWidth = std::int64_t{m_options.width} << i;
    // Same-level predecessors X^{i,0..j-1}, then the upsampled X^{i+1,j-1}.
    std::int64_t in = enc[i] + (j - 1) * levelWidth;
    in += j == 1 ? enc[i + 1] : levelWidth * 2;
    return in;
}

void UNetPlusPlusImpl::buildNodes()
{
    const int d = m_options.depth;
    m_nodes.resize(d);
    for (int i = 0; i < d; ++i) {
        m_nodes[i].push_back(nullptr);
        for (int j = 1; j <= d - i; ++j) {
            auto node = block(nodeInputChannels(i, j), std::int64_t{m_options.width} << i);
            m_nodes[i].push_back(register_module(
                "node" + std::to_string(i) + "_" + std::to_string(j), node));
        }
    }
}

std::vector<torch::Tensor> UNetPlusPlusImpl::topRow(torch::Tensor x)
{
    const int d = m_options.depth;
    auto features = m_encoder->forward(x);
    if (m_attention)
        features[d] = m_attention->forward(features[d]);
    std::vector<std::vector<torch::Tensor>> grid(d + 1);
    for (int i = 0; i <= d; ++i)
        grid[i].push_back(features[i]);
    for (int j = 1; j <= d; ++j) {
        for (int i = 0; i + j <= d; ++i) {
            std::vector<torch::Tensor> inputs;
            for (const auto& same : grid[i])
                if (same.defined()) // a pretrained encoder has no stride-1 feature
                    inputs.push_back(same);
            inputs.push_back(upsample2x(grid[i + 1][j - 1]));
            grid[i].push_back(m_nodes[i][j]->forward(torch::cat(inputs, 1)));
        }
    }
    return {grid[0].begin() + 1, grid[0].end()};
}

torch::Tensor UNetPlusPlusImpl::forward(torch::Tensor x)
{
    return m_heads[m_heads->size() - 1]->as<nn::Conv2d>()->forward(topRow(x).back());
}

std::vector<torch::Tensor> UNetPlusPlusImpl::forwardAll(torch::Tensor x)
{
    if (!m_options.deepSupervision)
        return {forward(x)};
    auto row = topRow(x);
    std::vector<torch::Tensor> logits;
    for (std::size_t k = 0; k < row.size(); ++k)
        logits.push_back(m_heads[k]->as<nn::Conv2d>()->forward(row[k]));
    return logits;
}

int UNetPlusPlusImpl::sizeDivisor() const
{
    return 1 << m_options.depth;
}

} // namespace mf
