#include "models/modelfactory.h"

#include "models/efficientnetencoder.h"
#include "models/encoderdecoder.h"
#include "models/plainencoder.h"
#include "models/resnetencoder.h"
#include "models/unet.h"
#include "models/unetplusplus.h"

#include <torch/torch.h>

#include <stdexcept>

namespace mf {

namespace {

[[noreturn]] void fail(const std::string& field, const std::string& why)
{
    throw std::invalid_argument("ModelSpec." + field + ": " + why);
}

bool isPretrainedEncoder(const std::string& name)
{
    return name == "resnet18" || name == "resnet34" || name == "efficientnet_b0";
}

void validate(const ModelSpec& s)
{
    if (s.arch != "encdec" && s.arch != "unet" && s.arch != "unetpp")
        fail("arch", "unknown '" + s.arch + "' (encdec, unet, unetpp)");
    if (s.encoder != "plain" && !isPretrainedEncoder(s.encoder))
        fail("encoder", "unknown '" + s.encoder + "' (plain, resnet18, resnet34, efficientnet_b0)");
    if (s.inChannels < 1)
        fail("inChannels", "must be >= 1, got " + std::to_string(s.inChannels));
    if (s.classes < 1)
        fail("classes", "must be >= 1, got " + std::to_string(s.classes));
    if (s.width < 1 || s.width > 4096)
        fail("width", "must be in 1..4096, got " + std::to_string(s.width));
    const int maxDepth = s.encoder == "plain" ? 8 : 5;
    if (s.depth < 1 || s.depth > maxDepth)
        fail("depth", "must be in 1.." + std::to_string(maxDepth) + " for encoder '" + s.encoder
                          + "', got " + std::to_string(s.depth));
    if (s.arch != "unetpp" && s.attention)
        fail("attention", "only arch 'unetpp' has a bottleneck attention block");
    if (s.arch != "unetpp" && s.deepSupervision)
        fail("deepSupervision", "only arch 'unetpp' has deep supervision heads");
    if (s.attention && s.attentionHeads < 1)
        fail("attentionHeads", "must be >= 1, got " + std::to_string(s.attentionHeads));
}

Encoder makeEncoder(const ModelSpec& s)
{
    if (s.encoder == "resnet18" || s.encoder == "resnet34")
        return ResNetEncoder(ResNetEncoderImpl::Options{s.encoder == "resnet18" ? 18 : 34,
                                                        s.inChannels, s.depth}).ptr();
    if (s.encoder == "efficientnet_b0")
        return EfficientNetEncoder(EfficientNetEncoderImpl::Options{s.inChannels, s.depth}).ptr();
    return PlainEncoder(PlainEncoderImpl::Options{s.inChannels, s.width, s.depth}).ptr();
}

void validateAttention(const ModelSpec& s, const Encoder& encoder)
{
    const std::int64_t channels = encoder->channels().back();
    if (s.attention && channels % s.attentionHeads != 0)
        fail("attentionHeads", std::to_string(s.attentionHeads) + " heads do not divide the "
                                   + std::to_string(channels) + " bottleneck channels");
}

SegmentationNet makeUNetPlusPlus(const ModelSpec& s, Encoder encoder)
{
    validateAttention(s, encoder);
    UNetPlusPlusImpl::Options o;
    o.inChannels = s.inChannels;
    o.classes = s.classes;
    o.width = s.width;
    o.depth = s.depth;
    o.deepSupervision = s.deepSupervision;
    o.attention = s.attention;
    o.attentionHeads = s.attentionHeads;
    return std::make_shared<UNetPlusPlusImpl>(std::move(encoder), o);
}

} // namespace

SegmentationNet makeModel(const ModelSpec& spec)
{
    validate(spec);
    auto encoder = makeEncoder(spec);
    if (spec.arch == "unetpp")
        return makeUNetPlusPlus(spec, std::move(encoder));
    const UNetImpl::Options unet{spec.inChannels, spec.classes, spec.width, spec.depth, true};
    if (spec.arch == "encdec")
        return std::make_shared<EncoderDecoderImpl>(encoder, unet);
    return std::make_shared<UNetImpl>(encoder, unet);
}

std::string describe(const ModelSpec& spec)
{
    std::string s = spec.arch + "(" + spec.encoder + ", w=" + std::to_string(spec.width)
                    + ", d=" + std::to_string(spec.depth) + ", C=" + std::to_string(spec.classes);
    if (spec.inChannels != 3)
        s += ", in=" + std::to_string(spec.inChannels);
    if (spec.attention)
        s += ", attention " + std::to_string(spec.attentionHeads) + " heads";
    if (spec.deepSupervision)
        s += ", deep supervision";
    return s + ")";
}

std::int64_t parameterCount(const torch::nn::Module& m)
{
    std::int64_t n = 0;
    for (const auto& p : m.parameters())
        n += p.numel();
    return n;
}

} // namespace mf
