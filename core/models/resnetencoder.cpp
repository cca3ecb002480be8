#include "models/resnetencoder.h"

#include <torch/torch.h>

#include <stdexcept>

namespace mf {

namespace nn = torch::nn;

namespace {

nn::Conv2d conv(std::int64_t in, std::int64_t out, std::int64_t k, std::int64_t stride)
{
    return nn::Conv2d(nn::Conv2dOptions(in, out, k).stride(stride).padding(k / 2).bias(false));
}

std::vector<int> blocksPerLayer(int layers)
{
    if (layers == 18)
        return {2, 2, 2, 2};
    if (layers == 34)
        return {3, 4, 6, 3};
    throw std::invalid_argument("ResNetEncoder: layers must be 18 or 34, got "
                                + std::to_string(layers));
}

} // namespace

BasicBlockImpl::BasicBlockImpl(std::int64_t in, std::int64_t out, std::int64_t stride)
    : m_conv1(register_module("conv1", conv(in, out, 3, stride)))
    , m_bn1(register_module("bn1", nn::BatchNorm2d(out)))
    , m_conv2(register_module("conv2", conv(out, out, 3, 1)))
    , m_bn2(register_module("bn2", nn::BatchNorm2d(out)))
{
    if (stride != 1 || in != out)
        m_downsample = register_module(
            "downsample", nn::Sequential(conv(in, out, 1, stride), nn::BatchNorm2d(out)));
}

torch::Tensor BasicBlockImpl::forward(torch::Tensor x)
{
    auto y = torch::relu(m_bn1->forward(m_conv1->forward(x)));
    y = m_bn2->forward(m_conv2->forward(y));
    return torch::relu(y + (m_downsample ? m_downsample->forward(x) : x));
}

ResNetEncoderImpl::ResNetEncoderImpl(const Options& options)
    : m_options(options)
{
    const auto blocks = blocksPerLayer(options.layers);
    if (options.depth < 1 || options.depth > 5)
        throw std::invalid_argument("ResNetEncoder: depth must be in 1..5");
    m_conv1 = register_module("conv1", conv(options.inChannels, 64, 7, 2));
    m_bn1 = register_module("bn1", nn::BatchNorm2d(64));
    const auto ch = channels();
    for (int l = 0; l + 1 < options.depth; ++l) {
        nn::Sequential layer;
        for (int b = 0; b < blocks[l]; ++b)
            layer->push_back(b == 0 ? BasicBlock(ch[l + 1], ch[l + 2], l == 0 ? 1 : 2)
                                    : BasicBlock(ch[l + 2], ch[l + 2], 1));
        m_layers.push_back(register_module("layer" + std::to_string(l + 1), layer));
    }
}

std::vector<std::int64_t> ResNetEncoderImpl::channels() const
{
    const std::vector<std::int64_t> all{0, 64, 64, 128, 256, 512};
    return {all.begin(), all.begin() + m_options.depth + 1};
}

std::vector<std::string> ResNetEncoderImpl::droppedTorchvisionPrefixes() const
{
    std::vector<std::string> dropped{"fc."};
    for (int l = m_options.depth; l <= 4; ++l)
        dropped.push_back("layer" + std::to_string(l) + ".");
    return dropped;
}

std::vector<torch::Tensor> ResNetEncoderImpl::forward(torch::Tensor x)
{
    std::vector<torch::Tensor> features{torch::Tensor()};
    x = torch::relu(m_bn1->forward(m_conv1->forward(x)));
    features.push_back(x);
    x = torch::max_pool2d(x, 3, 2, 1);
    for (auto& layer : m_layers) {
        x = layer->forward(x);
        features.push_back(x);
    }
    return features;
}

} // namespace mf
