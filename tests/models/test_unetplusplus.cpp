#include "models/bottleneckattention.h"
#include "models/modelfactory.h"
#include "models/unetplusplus.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace {

std::int64_t blockParams(std::int64_t a, std::int64_t b)
{
    return 9 * a * b + 9 * b * b + 4 * b;
}

// UNet++ on the plain encoder: node X^{i,j} sees j same-level maps of ch(i) and one of ch(i+1).
std::int64_t referenceParams(int in, int classes, int w, int d, bool deepSupervision)
{
    auto ch = [w](int i) { return std::int64_t{w} << i; };
    std::int64_t n = blockParams(in, ch(0)) + blockParams(ch(d - 1), ch(d));
    for (int i = 1; i < d; ++i)
        n += blockParams(ch(i - 1), ch(i));
    for (int i = 0; i < d; ++i)
        for (int j = 1; j <= d - i; ++j)
            n += blockParams(j * ch(i) + ch(i + 1), ch(i));
    return n + (deepSupervision ? d : 1) * (ch(0) * classes + classes);
}

mf::UNetPlusPlusImpl::Options small(bool deepSupervision, bool attention)
{
    mf::UNetPlusPlusImpl::Options o;
    o.width = 8;
    o.depth = 3;
    o.deepSupervision = deepSupervision;
    o.attention = attention;
    return o;
}

} // namespace

TEST(UNetPlusPlus, ParameterCountsMatchClosedForm)
{
    for (int d : {1, 2, 4})
        for (bool ds : {false, true}) {
            auto o = small(ds, false);
            o.depth = d;
            o.width = 32;
            EXPECT_EQ(mf::parameterCount(*mf::UNetPlusPlus(o)), referenceParams(3, 2, 32, d, ds));
        }
    // Attention adds LayerNorm (2C) and MultiheadAttention (in 3C²+3C, out C²+C) on C = 64.
    const std::int64_t c = 64;
    EXPECT_EQ(mf::parameterCount(*mf::UNetPlusPlus(small(false, true)))
                  - mf::parameterCount(*mf::UNetPlusPlus(small(false, false))),
              2 * c + 4 * c * c + 4 * c);
}

TEST(UNetPlusPlus, DeepSupervisionReturnsOneHeadPerColumn)
{
    mf::UNetPlusPlus net(small(true, false));
    auto x = torch::randn({2, 3, 16, 24});
    auto all = net->forwardAll(x);
    ASSERT_EQ(all.size(), 3u);
    for (const auto& y : all)
        EXPECT_EQ(y.sizes(), (std::vector<std::int64_t>{2, 2, 16, 24}));
    net->eval();
    torch::NoGradGuard noGrad;
    EXPECT_TRUE(torch::allclose(net->forward(x), net->forwardAll(x).back()));
}

TEST(BottleneckAttention, ZeroOutputProjectionIsIdentity)
{
    mf::BottleneckAttention attention(mf::BottleneckAttentionImpl::Options{16, 4, true});
    torch::NoGradGuard noGrad;
    for (auto& p : attention->named_parameters())
        if (p.key().find("out_proj") != std::string::npos)
            p.value().zero_();
    auto x = torch::randn({2, 16, 3, 5});
    EXPECT_TRUE(torch::allclose(attention->forward(x), x));
}

TEST(BottleneckAttention, MixesDistantPositions)
{
    for (bool layerNorm : {true, false}) {
        torch::manual_seed(3);
        mf::BottleneckAttention attention(mf::BottleneckAttentionImpl::Options{16, 2, layerNorm});
        torch::NoGradGuard noGrad;
        auto x = torch::randn({1, 16, 4, 4});
        auto y = x.clone();
        y[0][0][3][3] += 5.0;
        auto dx = attention->forward(x), dy = attention->forward(y);
        EXPECT_GT((dx[0].select(1, 0).select(1, 0) - dy[0].select(1, 0).select(1, 0)).abs().max().item<double>(), 1e-4);
    }
}

TEST(BottleneckAttention, RejectsHeadsThatDoNotDivideChannels)
{
    EXPECT_THROW(mf::BottleneckAttention(mf::BottleneckAttentionImpl::Options{10, 4, true}),
                 std::invalid_argument);
    mf::ModelSpec s;
    s.arch = "unetpp";
    s.attention = true;
    s.attentionHeads = 3;
    EXPECT_THROW(mf::makeModel(s), std::invalid_argument);
}
