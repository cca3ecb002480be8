#include "models/encoderdecoder.h"

namespace mf {

namespace {
UNetImpl::Options withoutSkips(UNetImpl::Options options)
{
    options.skips = false;
    return options;
}
} // namespace

EncoderDecoderImpl::EncoderDecoderImpl(const Options& options)
    : UNetImpl(withoutSkips(options))
{
}

EncoderDecoderImpl::EncoderDecoderImpl(Encoder encoder, const Options& options)
    : UNetImpl(std::move(encoder), withoutSkips(options))
{
}

} // namespace mf
