#include "models/efficientnetencoder.h"

#include <torch/torch.h>

#include <stdexcept>

namespace mf {

namespace nn = torch::nn;

namespace {

// torchvision's Conv2dNormActivation: bias-free conv, BatchNorm, optional SiLU.
TensorSequential convNormAct(std::int64_t in, std::int64_t out, int k, int stride,
                             std::int64_t groups, bool activation)
{
    TensorSequential s(nn::Conv2d(nn::Conv2dOptions(in, out, k)
                                    .stride(stride)
                                    .padding((k - 1) / 2)
                                    .groups(groups)
                                    .bias(false)),
                     nn::BatchNorm2d(out));
    if (activation)
        s->push_back(nn::SiLU());
    return s;
}

struct StageConfig {
    int expandRatio, kernel, stride;
    std::int64_t in, out;
    int layers;
};

// efficientnet_b0 (width and depth multipliers 1.0).
const std::vector<StageConfig> kB0Stages{{1, 3, 1, 32, 16, 1},  {6, 3, 2, 16, 24, 2},
                                         {6, 5, 2, 24, 40, 2},  {6, 3, 2, 40, 80, 3},
                                         {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4},
                                         {6, 3, 1, 192, 320, 1}};
constexpr double kStochasticDepth = 0.2;
// Index in features of the last module of each level 1..5.
const std::vector<int> kLevelEnd{1, 2, 3, 5, 7};

} // namespace

SqueezeExcitationImpl::SqueezeExcitationImpl(std::int64_t channels, std::int64_t squeezed)
    : m_fc1(register_module("fc1", nn::Conv2d(nn::Conv2dOptions(channels, squeezed, 1))))
    , m_fc2(register_module("fc2", nn::Conv2d(nn::Conv2dOptions(squeezed, channels, 1))))
{
}

torch::Tensor SqueezeExcitationImpl::forward(torch::Tensor x)
{
    auto scale = torch::adaptive_avg_pool2d(x, {1, 1});
    scale = m_fc2->forward(torch::silu(m_fc1->forward(scale)));
    return x * torch::sigmoid(scale);
}

MBConvImpl::MBConvImpl(const Options& o)
    : m_options(o)
{
    const std::int64_t expanded = o.in * o.expandRatio;
    if (expanded != o.in)
        m_block->push_back(convNormAct(o.in, expanded, 1, 1, 1, true));
    m_block->push_back(convNormAct(expanded, expanded, o.kernel, o.stride, expanded, true));
    m_block->push_back(SqueezeExcitation(expanded, std::max<std::int64_t>(1, o.in / 4)));
    m_block->push_back(convNormAct(expanded, o.out, 1, 1, 1, false));
    register_module("block", m_block);
}

torch::Tensor MBConvImpl::forward(torch::Tensor x)
{
    auto y = m_block->forward(x);
    if (m_options.stride != 1 || m_options.in != m_options.out)
        return y;
    const double p = m_options.stochasticDepth;
    if (is_training() && p > 0.0) {
        // torchvision's StochasticDepth(p, "row"): drop whole samples, rescale survivors.
        auto keep = torch::empty({y.size(0), 1, 1, 1}, y.options()).bernoulli_(1.0 - p);
        y = y * keep / (1.0 - p);
    }
    return y + x;
}

EfficientNetEncoderImpl::EfficientNetEncoderImpl(const Options& options)
    : m_options(options)
{
    if (options.depth < 1 || options.depth > 5)
        throw std::invalid_argument("EfficientNetEncoder: depth must be in 1..5");
    m_features->push_back(convNormAct(options.inChannels, 32, 3, 2, 1, true));
    int total = 0;
    for (const auto& s : kB0Stages)
        total += s.layers;
    int blockId = 0;
    for (int stage = 0; stage < kLevelEnd[options.depth - 1]; ++stage) {
        const auto& s = kB0Stages[stage];
        TensorSequential blocks;
        for (int b = 0; b < s.layers; ++b, ++blockId)
            blocks->push_back(MBConv(MBConvImpl::Options{
                s.expandRatio, s.kernel, b == 0 ? s.stride : 1, b == 0 ? s.in : s.out, s.out,
                kStochasticDepth * blockId / total}));
        m_features->push_back(blocks);
    }
    register_module("features", m_features);
}

std::vector<std::int64_t> EfficientNetEncoderImpl::channels() const
{
    const std::vector<std::int64_t> all{0, 16, 24, 40, 112, 320};
    return {all.begin(), all.begin() + m_options.depth + 1};
}

std::vector<std::string> EfficientNetEncoderImpl::droppedTorchvisionPrefixes() const
{
    std::vector<std::string> dropped{"classifier."};
    for (int i = kLevelEnd[m_options.depth - 1] + 1; i <= 8; ++i)
        dropped.push_back("features." + std::to_string(i) + ".");
    return dropped;
}

std::vector<torch::Tensor> EfficientNetEncoderImpl::forward(torch::Tensor x)
{
    std::vector<torch::Tensor> features{torch::Tensor()};
    int index = 0;
    std::size_t level = 0;
    for (auto& module : *m_features) {
        x = module.forward(x);
        if (level < kLevelEnd.size() && index == kLevelEnd[level]) {
            features.push_back(x);
            ++level;
        }
        ++index;
    }
    return features;
}

} // namespace mf
