#include "train/losses.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace mf;

namespace {

// One image, two classes, one row of two pixels:
//   pixel A logits (0, 0)     -> p = (0.5, 0.5)
//   pixel B logits (0, ln 3)  -> p = (0.25, 0.75)
torch::Tensor tinyLogits() {
    return torch::tensor({0.0f, 0.0f, 0.0f, static_cast<float>(std::log(3.0))}).reshape({1, 2, 1, 2});
}
// Target: A is class 0, B is class 1.
torch::Tensor tinyTarget(int64_t b = 1) { return torch::tensor({int64_t(0), b}).reshape({1, 1, 2}); }

double value(const torch::Tensor& t) { return t.item<double>(); }

} // namespace

TEST(Losses, CrossEntropyByHand) {
    // A: -ln 0.5 = 0.693147; B: -ln 0.75 = 0.287682; mean = 0.490415.
    EXPECT_NEAR(value(crossEntropyLoss(tinyLogits(), tinyTarget())), 0.490415, 1e-5);
}

TEST(Losses, CrossEntropyClassWeights) {
    // w = (1, 3): (1·0.693147 + 3·0.287682) / (1 + 3) = 1.556193 / 4 = 0.389048.
    torch::Tensor w = torch::tensor({1.0f, 3.0f});
    EXPECT_NEAR(value(crossEntropyLoss(tinyLogits(), tinyTarget(), w)), 0.389048, 1e-5);
}

TEST(Losses, CrossEntropyIgnoreIndex) {
    // B ignored: only A counts, -ln 0.5 = 0.693147.
    EXPECT_NEAR(value(crossEntropyLoss(tinyLogits(), tinyTarget(255), {}, 255)), std::log(2.0), 1e-5);
    // A different ignore index: B at 7 is ignored the same way.
    EXPECT_NEAR(value(crossEntropyLoss(tinyLogits(), tinyTarget(7), {}, 7)), std::log(2.0), 1e-5);
}

TEST(Losses, CrossEntropyMatchesTorch) {
    torch::manual_seed(3);
    torch::Tensor logits = torch::randn({2, 4, 5, 6});
    torch::Tensor target = torch::randint(0, 4, {2, 5, 6}, torch::kLong);
    target.index_put_({0, 0}, 255);  // one ignored row
    torch::Tensor w = torch::tensor({0.5f, 1.0f, 2.0f, 4.0f});
    namespace F = torch::nn::functional;
    torch::Tensor expected = F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().weight(w).ignore_index(255));
    EXPECT_NEAR(value(crossEntropyLoss(logits, target, w, 255)), value(expected), 1e-5);
}

TEST(Losses, AllIgnoredGivesZeroAndFiniteGradient) {
    torch::Tensor logits = tinyLogits().requires_grad_(true);
    torch::Tensor target = torch::full({1, 1, 2}, 255, torch::kLong);
    TrainConfig config;
    config.focalWeight = 1.0;
    torch::Tensor loss = SegmentationLoss(config, 2)(logits, target);
    // CE and focal: 0/ε = 0. Dice (bg out): class 1 has no valid pixel, (0 + 1)/(0 + 1) = 1 -> loss 0.
    EXPECT_NEAR(value(loss), 0.0, 1e-6);
    loss.backward();
    EXPECT_TRUE(torch::isfinite(logits.grad()).all().item<bool>());
}

TEST(Losses, DiceBackgroundOut) {
    // Class 1: p = (0.5, 0.75), g = (0, 1). Σpg = 0.75, Σp = 1.25, Σg = 1.
    // s = 1: (1.5 + 1)/(2.25 + 1) = 0.769231 -> loss 0.230769.
    EXPECT_NEAR(value(diceLoss(tinyLogits(), tinyTarget(), false, 1.0)), 0.230769, 1e-5);
    // s = 0: 1.5/2.25 = 0.666667 -> loss 0.333333.
    EXPECT_NEAR(value(diceLoss(tinyLogits(), tinyTarget(), false, 0.0)), 0.333333, 1e-5);
}

TEST(Losses, DiceBackgroundIn) {
    // Class 0: p = (0.5, 0.25), g = (1, 0): (2·0.5 + 1)/(0.75 + 1 + 1) = 2/2.75 = 0.727273.
    // Mean with class 1 (0.769231): 0.748252 -> loss 0.251748.
    EXPECT_NEAR(value(diceLoss(tinyLogits(), tinyTarget(), true, 1.0)), 0.251748, 1e-5);
}

TEST(Losses, DiceIgnoreIndex) {
    // B ignored: class 1 sees only A: p = 0.5, g = 0 -> (0 + 1)/(0.5 + 0 + 1) = 0.666667 -> loss 0.333333.
    EXPECT_NEAR(value(diceLoss(tinyLogits(), tinyTarget(255), false, 1.0, 255)), 0.333333, 1e-5);
}

TEST(Losses, DicePerfectPredictionIsNearZero) {
    torch::Tensor target = torch::tensor({int64_t(0), int64_t(1), int64_t(2), int64_t(1)}).reshape({1, 2, 2});
    torch::Tensor logits = 50.0 * torch::nn::functional::one_hot(target, 3).permute({0, 3, 1, 2}).to(torch::kFloat);
    EXPECT_NEAR(value(diceLoss(logits, target, false, 1.0)), 0.0, 1e-5);
    EXPECT_NEAR(value(diceLoss(logits, target, true, 1.0)), 0.0, 1e-5);
}

TEST(Losses, FocalByHand) {
    // γ = 2: A: (1 − 0.5)²·0.693147 = 0.173287; B: (1 − 0.75)²·0.287682 = 0.017980; mean 0.095634.
    EXPECT_NEAR(value(focalLoss(tinyLogits(), tinyTarget(), 2.0)), 0.095634, 1e-5);
    // γ = 0 is cross-entropy, with weights too: 0.389048.
    torch::Tensor w = torch::tensor({1.0f, 3.0f});
    EXPECT_NEAR(value(focalLoss(tinyLogits(), tinyTarget(), 0.0, w)), 0.389048, 1e-5);
    // γ = 2, w = (1, 3): (0.173287 + 3·0.017980)/4 = 0.056807.
    EXPECT_NEAR(value(focalLoss(tinyLogits(), tinyTarget(), 2.0, w)), 0.056807, 1e-5);
    // B ignored: A only, 0.173287.
    EXPECT_NEAR(value(focalLoss(tinyLogits(), tinyTarget(255), 2.0, {}, 255)), 0.173287, 1e-5);
}

TEST(Losses, CombinedSeed002Weights) {
    TrainConfig config;
    config.ceWeight = 0.7;
    config.diceWeight = 0.3;
    SegmentationLoss loss(config, 2);
    // 0.7·0.490415 + 0.3·0.230769 = 0.343291 + 0.069231 = 0.412521.
    EXPECT_NEAR(value(loss(tinyLogits(), tinyTarget())), 0.412521, 1e-5);
}

TEST(Losses, CombinedWithFocalAndWeights) {
    TrainConfig config;
    config.ceWeight = 1.0;
    config.diceWeight = 0.0;
    config.focalWeight = 2.0;
    config.classWeights = {1.0, 3.0};
    // CE 0.389048 + 2·focal 0.056807 = 0.502662.
    EXPECT_NEAR(value(SegmentationLoss(config, 2)(tinyLogits(), tinyTarget())), 0.502662, 1e-5);
}

TEST(Losses, DeepSupervisionAverages) {
    TrainConfig config;  // CE + Dice, weights 1 and 1
    SegmentationLoss loss(config, 2);
    torch::Tensor a = tinyLogits();
    torch::Tensor b = torch::zeros({1, 2, 1, 2});  // p = 0.5 everywhere
    // b: CE = ln 2 = 0.693147; Dice class 1: p = (0.5, 0.5), g = (0, 1): (1 + 1)/(1 + 1 + 1) = 0.666667,
    // loss 0.333333 -> 1.026481. a: 0.490415 + 0.230769 = 0.721184. Mean: 0.873832.
    EXPECT_NEAR(value(loss(std::vector<torch::Tensor>{a, b}, tinyTarget())), 0.873832, 1e-5);
    EXPECT_THROW(loss(std::vector<torch::Tensor>{}, tinyTarget()), std::invalid_argument);
}

TEST(Losses, LowResolutionHeadIsUpsampled) {
    TrainConfig config;
    SegmentationLoss loss(config, 3);
    torch::Tensor target = torch::randint(0, 3, {2, 8, 8}, torch::kLong);
    torch::Tensor small = torch::randn({2, 3, 4, 4}, torch::requires_grad());
    torch::Tensor value = loss(small, target);
    value.backward();
    EXPECT_TRUE(std::isfinite(value.item<double>()));
    EXPECT_TRUE(torch::isfinite(small.grad()).all().item<bool>());
}

TEST(Losses, GradientFiniteAndReducesLoss) {
    TrainConfig config;
    config.focalWeight = 0.5;
    config.classWeights = {0.2, 1.0, 2.0};
    SegmentationLoss loss(config, 3);
    torch::manual_seed(1);
    torch::Tensor logits = torch::randn({2, 3, 6, 6}, torch::requires_grad());
    torch::Tensor target = torch::randint(0, 3, {2, 6, 6}, torch::kLong);
    target.index_put_({1}, 255);
    torch::Tensor before = loss(logits, target);
    before.backward();
    ASSERT_TRUE(torch::isfinite(logits.grad()).all().item<bool>());
    torch::Tensor stepped = (logits - 0.5 * logits.grad()).detach();
    EXPECT_LT(loss(stepped, target).item<double>(), before.item<double>());
}

TEST(Losses, HalfPrecisionLogitsComputeInFloat) {
    TrainConfig config;
    torch::Tensor logits = tinyLogits().to(torch::kBFloat16);
    torch::Tensor value = SegmentationLoss(config, 2)(logits, tinyTarget());
    EXPECT_EQ(value.scalar_type(), torch::kFloat);
    EXPECT_NEAR(value.item<double>(), 0.721184, 1e-2);  // bf16 rounding of ln 3
}

TEST(Losses, WrongClassWeightCountThrows) {
    TrainConfig config;
    config.classWeights = {1.0, 2.0};
    EXPECT_THROW(SegmentationLoss(config, 3), std::invalid_argument);
}

// Without ignored pixels the losses take a shorter path (fused cross-entropy, no masks): it must
// give the values and gradients of the masked definition, which a single ignored pixel switches to.
TEST(Losses, UnmaskedPathMatchesTheMaskedDefinition) {
    torch::manual_seed(4);
    const auto logits = torch::randn({2, 3, 5, 6}, torch::requires_grad());
    const auto target = torch::randint(0, 3, {2, 5, 6}, torch::kLong);
    const auto w = torch::tensor({0.5f, 2.0f, 1.0f});
    // The masked path on a copy with one extra pixel column that is entirely ignored.
    const auto padLogits = torch::cat({logits, torch::zeros({2, 3, 5, 1})}, 3);
    const auto padTarget = torch::cat({target, torch::full({2, 5, 1}, 255, torch::kLong)}, 2);
    struct Case {
        torch::Tensor fast, masked;
    };
    const std::vector<Case> cases{
        {crossEntropyLoss(logits, target, w, 255), crossEntropyLoss(padLogits, padTarget, w, 255)},
        {crossEntropyLoss(logits, target, {}, -1), crossEntropyLoss(padLogits, padTarget, {}, 255)},
        {diceLoss(logits, target, false, 1.0, 255), diceLoss(padLogits, padTarget, false, 1.0, 255)}};
    for (const auto& c : cases) {
        EXPECT_NEAR(value(c.fast), value(c.masked), 1e-5);
        const auto gFast = torch::autograd::grad({c.fast}, {logits})[0];
        const auto gMasked = torch::autograd::grad({c.masked}, {logits})[0];
        EXPECT_LT((gFast - gMasked).abs().max().item<double>(), 1e-6);
    }
}
