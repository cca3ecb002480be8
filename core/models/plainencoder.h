#pragma once
#include "models/encoder.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>

namespace mf {

/** The reference U-Net encoder: block + maxpool per level, then the bottleneck block. */
class PlainEncoderImpl : public EncoderImpl {
public:
    struct Options {
        int inChannels = 3;
        int width = 32;
        int depth = 4;
    };
    explicit PlainEncoderImpl(const Options& options);

    std::vector<torch::Tensor> forward(torch::Tensor x) override;
    std::vector<std::int64_t> channels() const override;

private:
    Options m_options;
    torch::nn::ModuleList m_down;
    torch::nn::Sequential m_bottleneck{nullptr};
};
TORCH_MODULE(PlainEncoder);

} // namespace mf
