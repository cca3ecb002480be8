#pragma once
#include "models/tensorsequential.h"
#include "models/torchvisionencoder.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

namespace mf {

/** torchvision's SqueezeExcitation with SiLU: x · sigmoid(fc2(silu(fc1(avgpool(x))))). */
class SqueezeExcitationImpl : public torch::nn::Module {
public:
    SqueezeExcitationImpl(std::int64_t channels, std::int64_t squeezed);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d m_fc1{nullptr};
    torch::nn::Conv2d m_fc2{nullptr};
};
TORCH_MODULE(SqueezeExcitation);

/** torchvision's MBConv: [expand 1×1] -> depthwise k×k -> SE -> project 1×1, as "block". */
class MBConvImpl : public torch::nn::Module {
public:
    struct Options {
        int expandRatio = 1;
        int kernel = 3;
        int stride = 1;
        std::int64_t in = 32;
        std::int64_t out = 16;
        double stochasticDepth = 0.0; // row-wise drop probability in training
    };
    explicit MBConvImpl(const Options& options);
    torch::Tensor forward(torch::Tensor x);

private:
    Options m_options;
    TensorSequential m_block;
};
TORCH_MODULE(MBConv);

/**
 * EfficientNet-B0 trunk with torchvision's names ("features.0".."features.7"; the 1280-channel
 * features.8 and the classifier are not built). Levels 1..5 are the outputs of features
 * 1, 2, 3, 5, 7: 16/24/40/112/320 channels at strides 2..32. Only stages up to depth are built.
 */
class EfficientNetEncoderImpl : public TorchvisionEncoderImpl {
public:
    struct Options {
        int inChannels = 3;
        int depth = 5; // 1..5
    };
    explicit EfficientNetEncoderImpl(const Options& options);

    std::vector<torch::Tensor> forward(torch::Tensor x) override;
    std::vector<std::int64_t> channels() const override;
    std::vector<std::string> droppedTorchvisionPrefixes() const override;

private:
    Options m_options;
    TensorSequential m_features;
};
TORCH_MODULE(EfficientNetEncoder);

} // namespace mf
