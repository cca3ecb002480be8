#include "models/encoderdecoder.h"
#include "models/modelfactory.h"
#include "models/unet.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <map>

namespace {

// Closed forms from specs/reference-models.md, independent of the modules.
// block(a, b): two bias-free 3×3 convs (9ab + 9b²) and two BatchNorms (2b affine each).
std::int64_t blockParams(std::int64_t a, std::int64_t b)
{
    return 9 * a * b + 9 * b * b + 4 * b;
}

std::int64_t referenceParams(int in, int classes, int w, int d, bool skips)
{
    auto ch = [w](int i) { return std::int64_t{w} << i; };
    std::int64_t n = blockParams(in, ch(0));
    for (int i = 1; i < d; ++i)
        n += blockParams(ch(i - 1), ch(i));
    n += blockParams(ch(d - 1), ch(d));
    for (int i = 0; i < d; ++i)
        n += blockParams(ch(i + 1) + (skips ? ch(i) : 0), ch(i));
    return n + ch(0) * classes + classes;
}

// Level (stride exponent) a convolution of the reference net runs at, from its module name.
int levelOf(const std::string& name, int depth)
{
    auto indexAfter = [&](const std::string& prefix) {
        return std::stoi(name.substr(prefix.size(), name.find('.', prefix.size())));
    };
    if (name.rfind("encoder.down.", 0) == 0)
        return indexAfter("encoder.down.");
    if (name.rfind("encoder.bottleneck", 0) == 0)
        return depth;
    if (name.rfind("decoder.", 0) == 0)
        return depth - 1 - indexAfter("decoder.");
    return 0; // head
}

double convGflop(torch::nn::Module& net, int depth, std::int64_t size)
{
    std::int64_t macs = 0;
    for (const auto& item : net.named_modules()) {
        auto* conv = item.value()->as<torch::nn::Conv2d>();
        if (!conv)
            continue;
        const std::int64_t side = size >> levelOf(item.key(), depth);
        macs += conv->weight.numel() * side * side;
    }
    return 2.0 * static_cast<double>(macs) / 1e9;
}

} // namespace

TEST(UNet, ParameterCountsMatchClosedForm)
{
    for (int d : {1, 3, 4}) {
        for (int w : {8, 32}) {
            mf::UNetImpl::Options o{3, 2, w, d, true};
            EXPECT_EQ(mf::parameterCount(*mf::UNet(o)), referenceParams(3, 2, w, d, true));
            EXPECT_EQ(mf::parameterCount(*mf::EncoderDecoder(o)), referenceParams(3, 2, w, d, false));
        }
    }
    EXPECT_EQ(referenceParams(3, 2, 32, 4, true), 7849634);
    EXPECT_EQ(referenceParams(3, 2, 32, 4, false), 7066274);
}

TEST(UNet, EncoderDecoderDiffersOnlyInDecoderBlockInputs)
{
    mf::UNetImpl::Options o{3, 2, 32, 4, true};
    auto a = mf::UNet(o)->named_parameters();
    auto b = mf::EncoderDecoder(o)->named_parameters();
    ASSERT_EQ(a.size(), b.size());
    int differing = 0;
    for (const auto& p : a) {
        const auto* q = b.find(p.key());
        ASSERT_NE(q, nullptr) << p.key();
        if (p.value().sizes() == q->sizes())
            continue;
        ++differing;
        // Only the first conv of each decoder block, and only its input channels (by ch[i]).
        const int i = 3 - std::stoi(p.key().substr(std::string("decoder.").size()));
        EXPECT_EQ(p.key(), "decoder." + std::to_string(3 - i) + ".0.weight");
        EXPECT_EQ(p.value().size(0), q->size(0));
        EXPECT_EQ(p.value().size(1) - q->size(1), std::int64_t{32} << i);
    }
    EXPECT_EQ(differing, 4);
}

TEST(UNet, ConvFlopsMatchReferenceFigures)
{
    mf::UNetImpl::Options o{3, 2, 32, 4, true};
    const double unet = convGflop(*mf::UNet(o), 4, 256);
    const double encdec = convGflop(*mf::EncoderDecoder(o), 4, 256);
    EXPECT_NEAR(unet, 27.9, 0.279);
    EXPECT_NEAR(encdec, 23.07, 0.2307);
}

TEST(UNet, OutputShapeAndSizeDivisor)
{
    mf::UNet net(mf::UNetImpl::Options{1, 3, 4, 3, true});
    EXPECT_EQ(net->sizeDivisor(), 8);
    auto y = net->forward(torch::randn({2, 1, 24, 40}));
    EXPECT_EQ(y.sizes(), (std::vector<std::int64_t>{2, 3, 24, 40}));
}
