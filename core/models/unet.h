#pragma once
#include "models/encoder.h"
#include "models/segmentationnet.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>

namespace mf {

/**
 * U-Net as in specs/reference-models.md: encoder levels, bilinear ×2 upsampling, concat with the
 * same-level encoder feature, `block`, and a 1×1 head. With skips off it is the reference
 * encoder-decoder (see EncoderDecoder). Decoder level i has width·2^i channels.
 */
class UNetImpl : public SegmentationNetImpl {
public:
    struct Options {
        int inChannels = 3;
        int classes = 2;
        int width = 32;
        int depth = 4;
        bool skips = true;
    };
    /** The reference network with the plain encoder. */
    explicit UNetImpl(const Options& options);
    /** A decoder on a given encoder (its depth wins; inChannels is the encoder's business). */
    UNetImpl(Encoder encoder, const Options& options);

    torch::Tensor forward(torch::Tensor x) override;
    int sizeDivisor() const override;
    const Options& options() const { return m_options; }

private:
    void build();

    Options m_options;
    Encoder m_encoder;
    torch::nn::ModuleList m_decoder;
    torch::nn::Conv2d m_head{nullptr};
};
TORCH_MODULE(UNet);

} // namespace mf
