#pragma once
#include "models/unet.h"

namespace mf {

/** The reference encoder-decoder: the U-Net's layers without the skip concatenations. */
class EncoderDecoderImpl : public UNetImpl {
public:
    using Options = UNetImpl::Options;
    /** The reference network (options.skips is ignored). */
    explicit EncoderDecoderImpl(const Options& options);
    /** A skip-free decoder on a given encoder. */
    EncoderDecoderImpl(Encoder encoder, const Options& options);
};
TORCH_MODULE(EncoderDecoder);

} // namespace mf
