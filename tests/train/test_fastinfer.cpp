#include "models/modelfactory.h"
#include "machine/cpucache.h"
#include "machine/cpuinfo.h"
#include "infer/fastinfer.h"
#include "infer/predictor.h"
#include "models/checkpoint.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>

using namespace mf;
namespace fs = std::filesystem;

namespace {

/** A network with random weights and non-trivial batch-norm statistics, in eval mode. */
SegmentationNet randomNet(const ModelSpec& spec) {
    torch::manual_seed(11);
    auto net = makeModel(spec);
    torch::NoGradGuard noGrad;
    for (auto& m : net->modules(false))
        if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get())) {
            bn->running_mean.uniform_(-0.2, 0.2);
            bn->running_var.uniform_(0.5, 1.5);
            if (bn->weight.defined()) {
                bn->weight.uniform_(0.5, 1.5);
                bn->bias.uniform_(-0.2, 0.2);
            }
        }
    net->eval();
    return net;
}

ModelSpec spec(const std::string& arch, const std::string& encoder, int depth) {
    ModelSpec s;
    s.arch = arch;
    s.encoder = encoder;
    s.width = 8;
    s.depth = depth;
    s.classes = 3;
    return s;
}

double maxRelativeError(const torch::Tensor& a, const torch::Tensor& b) {
    return ((a - b).abs().max() / b.abs().max().clamp_min(1e-6)).item<double>();
}

/** A random depth-2 U-Net (3 classes, trained at 64 px) saved as `dir`/`name`; returns the file. */
std::string savedUNetCheckpoint(const fs::path& dir, const std::string& name) {
    fs::create_directories(dir);
    ModelSpec s = spec("unet", "plain", 2);
    auto net = randomNet(s);
    CheckpointMeta meta;
    meta.spec = s;
    meta.classNames = {"background", "a", "b"};
    meta.size = 64;
    meta.epoch = 1;
    const auto path = (dir / name).string();
    saveCheckpoint(path, *net, nullptr, meta);
    return path;
}

} // namespace

class FastInferenceArch : public ::testing::TestWithParam<ModelSpec> {};

TEST_P(FastInferenceArch, EqualsThePlainModuleInBothLayouts) {
    const ModelSpec s = GetParam();
    auto net = randomNet(s);
    const int side = 64;
    torch::manual_seed(3);
    const auto x = torch::randn({2, 3, side, side});
    torch::Tensor expected;
    {
        torch::NoGradGuard noGrad;
        expected = net->forward(x);
    }
    for (InferLayout layout : {InferLayout::Contiguous, InferLayout::ChannelsLast}) {
        FastInferOptions o;
        o.measureLayout = false;
        o.forceLayout = layout;
        FastInference fast(net, o);
        const auto y = fast.forward(x);
        EXPECT_EQ(y.sizes(), expected.sizes());
        EXPECT_TRUE(y.is_contiguous());
        EXPECT_LT(maxRelativeError(y, expected), 1e-4) << describe(s) << " " << layoutName(layout);
        const bool reference = (s.arch == "unet" || s.arch == "encdec") && s.encoder == "plain";
        EXPECT_EQ(fast.fused(), reference) << describe(s);
        EXPECT_EQ(fast.flopsPerImage(side, side) > 0, reference);
    }
}

INSTANTIATE_TEST_SUITE_P(Archs, FastInferenceArch,
                         ::testing::Values(spec("unet", "plain", 3), spec("encdec", "plain", 3),
                                           spec("unetpp", "plain", 2), spec("unet", "resnet18", 3),
                                           spec("encdec", "efficientnet_b0", 3)));

TEST(FastInference, Bf16StaysCloseToFp32) {
    auto net = randomNet(spec("unet", "plain", 2));
    const auto x = torch::randn({1, 3, 32, 32});
    torch::Tensor expected;
    {
        torch::NoGradGuard noGrad;
        expected = net->forward(x);
    }
    FastInferOptions o;
    o.measureLayout = false;
    o.bf16 = true;
    FastInference fast(net, o);
    const auto y = fast.forward(x);
    EXPECT_EQ(y.scalar_type(), torch::kFloat);
    EXPECT_LT(maxRelativeError(y, expected), 0.05);  // bf16 keeps 8 bits of mantissa
}

TEST(FastInference, MeasuresALayoutAndCountsFlops) {
    auto net = randomNet(spec("unet", "plain", 2));
    FastInferOptions o;
    o.probeSize = 32;
    FastInference fast(net, o);
    EXPECT_NE(fast.describe().find("fused"), std::string::npos);
    // Level 0: 3->8 and 8->8 3×3 convs at 32², as the first two terms of the count.
    const double level0 = 2.0 * (8 * 3 * 9 + 8 * 8 * 9) * 32 * 32;
    EXPECT_GT(fast.flopsPerImage(32, 32), level0);
}

TEST(FastInference, SharesNoStateWithTheTrainingNetwork) {
    auto net = randomNet(spec("encdec", "plain", 2));
    const auto x = torch::randn({1, 3, 32, 32});
    FastInferOptions o;
    o.measureLayout = false;
    FastInference fast(net, o);
    const auto before = fast.forward(x);
    {
        torch::NoGradGuard noGrad;
        for (auto& p : net->parameters())
            p.add_(1.0);
    }
    EXPECT_TRUE(torch::equal(fast.forward(x), before));
}

TEST(PredictorTiles, BatchedTilesGiveTheSameMaskAsOneByOne) {
    const auto dir = fs::temp_directory_path() / ("mf_fastinfer_" + std::to_string(::getpid()));
    const auto path = savedUNetCheckpoint(dir, "tiles.pt");
    auto predictor = Predictor::open(path, "cpu", "fp32");
    cv::Mat img(150, 170, CV_8UC3);
    cv::RNG rng(5);
    rng.fill(img, cv::RNG::UNIFORM, 0, 255);
    cv::GaussianBlur(img, img, cv::Size(5, 5), 1.5);
    PredictOptions o;
    o.tile = 64;
    o.overlap = 16;
    o.batchTiles = 1;
    const Prediction one = predictor->predict(img, o);
    for (int batch : {3, 0}) {
        o.batchTiles = batch;
        const Prediction batched = predictor->predict(img, o);
        EXPECT_EQ(cv::countNonZero(one.labels != batched.labels), 0) << "batch " << batch;
        for (std::size_t c = 0; c < one.probabilities.size(); ++c)
            EXPECT_LT(cv::norm(one.probabilities[c], batched.probabilities[c], cv::NORM_INF), 1e-5);
    }
    fs::remove_all(dir);
}

TEST(InferPrecision, AutoIsBf16OnlyOnACpuWithBf16Units) {
    EXPECT_EQ(resolveInferPrecision("auto", false, true), "bf16");   // AVX-512 BF16 / AMX
    EXPECT_EQ(resolveInferPrecision("auto", false, false), "fp32");  // AVX2 only: bf16 is slower there
    EXPECT_EQ(resolveInferPrecision("auto", true, true), "fp32");    // CUDA: fp16 not measured
    EXPECT_EQ(resolveInferPrecision("fp32", false, true), "fp32");
    EXPECT_EQ(resolveInferPrecision("bf16", false, false), "bf16");  // asked for: runs (slowly) anywhere
    EXPECT_THROW(resolveInferPrecision("fp16", false, true), std::invalid_argument);
    EXPECT_THROW(resolveInferPrecision("", false, true), std::invalid_argument);
}

TEST(InferPrecision, PredictorRunsInTheAskedPrecisionAndAgreesWithFp32) {
    const auto dir = fs::temp_directory_path() / ("mf_precision_" + std::to_string(::getpid()));
    const auto path = savedUNetCheckpoint(dir, "p.pt");
    auto fp32 = Predictor::open(path, "cpu", "fp32");
    auto bf16 = Predictor::open(path, "cpu", "bf16");
    auto autoPrecision = Predictor::open(path, "cpu");
    EXPECT_EQ(fp32->precision(), "fp32");
    EXPECT_EQ(bf16->precision(), "bf16");
    EXPECT_EQ(autoPrecision->precision(), cpuInfo().hasBf16Units() ? "bf16" : "fp32");
    EXPECT_NE(bf16->description().find("bf16"), std::string::npos);
    cv::Mat img(96, 80, CV_8UC3);
    cv::RNG rng(7);
    rng.fill(img, cv::RNG::UNIFORM, 0, 255);
    cv::GaussianBlur(img, img, cv::Size(7, 7), 2.0);
    const Prediction a = fp32->predict(img), b = bf16->predict(img);
    double worst = 0;
    for (std::size_t c = 0; c < a.probabilities.size(); ++c)
        worst = std::max(worst, cv::norm(a.probabilities[c], b.probabilities[c], cv::NORM_INF));
    EXPECT_GT(worst, 0.0) << "bf16 gave bit-identical probabilities: it did not run in bf16";
    EXPECT_LT(worst, 0.1);
    EXPECT_LT(cv::countNonZero(a.labels != b.labels), img.total() / 50);  // under 2 % of the pixels differ
    EXPECT_THROW(Predictor::open(path, "cpu", "int8"), std::invalid_argument);
    fs::remove_all(dir);
}

TEST(CpuInfo, ReadsFlagsAndTheNominalLimit) {
    const std::string text = "vendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel name\t: AMD EPYC\n"
                             "cpu MHz\t\t: 2500.000\nflags\t\t: fpu avx2 fma avx512f avx512_bf16\n";
    const CpuInfo zen4 = parseCpuInfo(text, 2);
    EXPECT_EQ(zen4.model, "AMD EPYC");
    EXPECT_TRUE(zen4.hasBf16Units());
    EXPECT_EQ(zen4.isa(), "avx512");
    EXPECT_EQ(zen4.flopsPerCycle(), 32);  // AVX-512 as two 256-bit halves
    EXPECT_DOUBLE_EQ(zen4.nominalGflops(), 2 * 2.5 * 32);
    const CpuInfo avx2 = parseCpuInfo("vendor_id\t: GenuineIntel\ncpu MHz\t\t: 2000\nflags\t\t: avx2 fma\n", 4);
    EXPECT_FALSE(avx2.hasBf16Units());
    EXPECT_EQ(avx2.flopsPerCycle(), 32);
    EXPECT_GT(cpuInfo().cores, 0);
}

TEST(CpuCache, ReusesLargeBlocksAndKeepsSmallOnesWorking) {
    ASSERT_TRUE(installCpuCache());
    EXPECT_TRUE(installCpuCache());  // idempotent
    const auto before = cpuCacheStats();
    for (int i = 0; i < 3; ++i) {
        auto big = torch::full({3, 1000, 1000}, static_cast<float>(i));  // 12 MB
        auto small = torch::full({10}, 2.0f);
        EXPECT_EQ(big.sum().item<double>(), 3e6 * i);
        EXPECT_EQ(small.sum().item<float>(), 20.0f);
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(big.data_ptr()) % 64, 0u);
    }
    const auto after = cpuCacheStats();
    EXPECT_GE(after.hits, before.hits + 2);  // the second and third big tensor reuse the first's block
    EXPECT_GT(after.cachedBytes, 0u);
    releaseCpuCache();
    EXPECT_EQ(cpuCacheStats().cachedBytes, 0u);
}
