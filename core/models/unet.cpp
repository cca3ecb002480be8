#include "models/unet.h"

#include "models/block.h"
#include "models/plainencoder.h"

#include <torch/torch.h>

namespace mf {

UNetImpl::UNetImpl(const Options& options)
    : UNetImpl(PlainEncoder(PlainEncoderImpl::Options{options.inChannels, options.width,
                                                      options.depth}).ptr(),
               options)
{
}

UNetImpl::UNetImpl(Encoder encoder, const Options& options)
    : m_options(options)
    , m_encoder(std::move(encoder))
{
    m_options.depth = m_encoder->depth();
    build();
}

void UNetImpl::build()
{
    register_module("encoder", m_encoder);
    const auto enc = m_encoder->channels();
    const int d = m_options.depth;
    std::int64_t below = enc[d];
    // Decoder blocks are stored deepest first, in the order forward() runs them.
    for (int i = d - 1; i >= 0; --i) {
        const std::int64_t out = std::int64_t{m_options.width} << i;
        m_decoder->push_back(block(below + (m_options.skips ? enc[i] : 0), out));
        below = out;
    }
    register_module("decoder", m_decoder);
    m_head = register_module("head", torch::nn::Conv2d(torch::nn::Conv2dOptions(
                                                           below, m_options.classes, 1)));
}

torch::Tensor UNetImpl::forward(torch::Tensor x)
{
    auto features = m_encoder->forward(x);
    const int d = m_options.depth;
    auto y = features[d];
    for (int i = d - 1; i >= 0; --i) {
        y = upsample2x(y);
        if (m_options.skips && features[i].defined())
            y = torch::cat({y, features[i]}, 1);
        y = m_decoder[d - 1 - i]->as<torch::nn::Sequential>()->forward(y);
    }
    return m_head->forward(y);
}

int UNetImpl::sizeDivisor() const
{
    return 1 << m_options.depth;
}

} // namespace mf
