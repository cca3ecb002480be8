#pragma once
#include "models/torchvisionencoder.h"

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

namespace mf {

/** torchvision's ResNet BasicBlock: conv3x3-BN-ReLU-conv3x3-BN plus identity or downsample. */
class BasicBlockImpl : public torch::nn::Module {
public:
    BasicBlockImpl(std::int64_t in, std::int64_t out, std::int64_t stride);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d m_conv1{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr};
    torch::nn::Conv2d m_conv2{nullptr};
    torch::nn::BatchNorm2d m_bn2{nullptr};
    torch::nn::Sequential m_downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

/**
 * ResNet-18/34 trunk with torchvision's names (conv1, bn1, layer1..layer4; no fc). Levels:
 * 1 = ReLU after bn1 (64 ch, stride 2), 2..5 = layer1..layer4 (64/64/128/256/512 ch at
 * strides 4..32). Only the layers up to depth are built.
 */
class ResNetEncoderImpl : public TorchvisionEncoderImpl {
public:
    struct Options {
        int layers = 18; // 18 or 34
        int inChannels = 3;
        int depth = 5;   // 1..5
    };
    explicit ResNetEncoderImpl(const Options& options);

    std::vector<torch::Tensor> forward(torch::Tensor x) override;
    std::vector<std::int64_t> channels() const override;
    std::vector<std::string> droppedTorchvisionPrefixes() const override;

private:
    Options m_options;
    torch::nn::Conv2d m_conv1{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr};
    std::vector<torch::nn::Sequential> m_layers;
};
TORCH_MODULE(ResNetEncoder);

} // namespace mf
