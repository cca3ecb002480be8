#include "train/boxlosses.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

using namespace mf;
using torch::indexing::Slice;

namespace {

constexpr int kH = 12, kW = 14;

/** One image, classes background + 2: a box of class 1 over rows 3..8, columns 2..9. */
torch::Tensor oneBox() {
    torch::Tensor b = torch::zeros({1, 3, kH, kW});
    b.index_put_({0, 1, Slice(3, 9), Slice(2, 10)}, 1.0);
    b.index_put_({0, 0}, 1.0 - b[0][1]);
    return b;
}

/** Logits of a confident prediction of `labels` (H×W int64 of class indices). */
torch::Tensor confident(const torch::Tensor& labels, int classes = 3) {
    return torch::one_hot(labels, classes).permute({2, 0, 1}).unsqueeze(0).to(torch::kFloat) * 40.0 - 20.0;
}

/** A thin diagonal-ish object touching all four sides of the box: its tight box is the box. */
torch::Tensor tightObject() {
    torch::Tensor labels = torch::zeros({kH, kW}, torch::kLong);
    for (int x = 2; x < 10; ++x)
        labels.index_put_({3 + (x - 2) * 5 / 7, x}, 1);
    return labels;
}

double value(const torch::Tensor& t) { return t.item<double>(); }

} // namespace

TEST(BoxLosses, ProjectionIsZeroForTheBoxsTightObjectAndLargeForNothing) {
    const torch::Tensor boxes = oneBox();
    EXPECT_NEAR(value(boxProjectionLoss(confident(tightObject()), boxes)), 0.0, 1e-4);
    // The object need not fill the box: a thin line still meets every row and column of it.
    EXPECT_NEAR(value(boxProjectionLoss(confident(torch::zeros({kH, kW}, torch::kLong)), boxes)), 2.0, 1e-4);
    // The filled box is also a perfect answer; the box shifted by 3 columns is not.
    torch::Tensor shiftedBox = torch::zeros({kH, kW}, torch::kLong);
    shiftedBox.index_put_({Slice(3, 9), Slice(5, 13)}, 1);
    EXPECT_GT(value(boxProjectionLoss(confident(shiftedBox), boxes)), 0.3);
}

TEST(BoxLosses, ProjectionGradientRaisesTheBoxAndLowersOutside) {
    torch::manual_seed(5);
    // Class 1 a little likelier inside the box, so the box's rows and columns peak there.
    torch::Tensor start = torch::zeros({1, 3, kH, kW});
    start.index_put_({0, 1}, torch::rand({kH, kW}) * 0.1 + oneBox()[0][1]);
    torch::Tensor logits = start.clone().requires_grad_(true);
    boxProjectionLoss(logits, oneBox()).backward();
    const torch::Tensor g = logits.grad()[0][1];  // descent moves class-1 logits by −g
    EXPECT_LT(value(g.index({Slice(3, 9), Slice(2, 10)}).sum()), 0.0);  // inside the box: raised
    EXPECT_GT(value(g.index({0, Slice()}).sum()), 0.0);                 // row 0 crosses no box: lowered
    EXPECT_GT(value(g.index({Slice(), 12}).sum()), 0.0);                 // column 12 neither
    // One step of descent lowers the loss.
    torch::Tensor after = start - 50.0 * logits.grad();
    EXPECT_LT(value(boxProjectionLoss(after, oneBox())), value(boxProjectionLoss(start, oneBox())));
}

TEST(BoxLosses, ProjectionCountsOnlyClassesWithBoxesAndIgnoresInventedPixels) {
    torch::Tensor boxes = oneBox();
    // Class 2 has no box: a prediction of it outside the box costs nothing in this term.
    torch::Tensor labels = tightObject();
    labels.index_put_({0, 0}, 2);
    EXPECT_NEAR(value(boxProjectionLoss(confident(labels), boxes)), 0.0, 1e-4);
    // A pixel no channel claims (an augmentation's border) does not count in the maxima.
    torch::Tensor invented = boxes.clone();
    invented.index_put_({0, Slice(), 0, 12}, 0.0);
    labels = tightObject();
    labels.index_put_({0, 12}, 1);
    EXPECT_NEAR(value(boxProjectionLoss(confident(labels), invented)), 0.0, 1e-4);
    EXPECT_GT(value(boxProjectionLoss(confident(labels), boxes)), 0.05);
    // Nothing boxed in the batch: 0, not NaN.
    torch::Tensor none = torch::zeros({1, 3, kH, kW});
    none.index_put_({0, 0}, 1.0);
    EXPECT_EQ(value(boxProjectionLoss(confident(labels), none)), 0.0);
}

TEST(BoxLosses, PairwiseIsZeroForAConstantLabelAndPositiveAcrossAUniformColour) {
    const torch::Tensor boxes = oneBox();
    const torch::Tensor lab = torch::full({1, 3, kH, kW}, 50.0);  // one colour everywhere
    const torch::Tensor sim = colorSimilarity(lab);
    EXPECT_NEAR(value(sim.index({0, Slice(), 5, 5}).min()), 1.0, 1e-6);
    EXPECT_NEAR(value(boxPairwiseLoss(confident(torch::zeros({kH, kW}, torch::kLong)), boxes, sim)), 0.0, 1e-6);
    EXPECT_NEAR(value(boxPairwiseLoss(confident(torch::ones({kH, kW}, torch::kLong)), boxes, sim)), 0.0, 1e-6);
    // A label boundary through a region of one colour costs: pairs across it disagree.
    torch::Tensor split = torch::zeros({kH, kW}, torch::kLong);
    split.index_put_({Slice(), Slice(0, 6)}, 1);
    EXPECT_GT(value(boxPairwiseLoss(confident(split), boxes, sim)), 1.0);
    // The same boundary along a colour edge is free: no pair across it is similar enough.
    torch::Tensor edge = lab.clone();
    edge.index_put_({0, 0, Slice(), Slice(0, 6)}, 10.0);
    EXPECT_NEAR(value(boxPairwiseLoss(confident(split), boxes, colorSimilarity(edge))), 0.0, 1e-6);
}

TEST(BoxLosses, PairwiseCountsOnlyPairsInsideBoxes) {
    torch::Tensor boxes = oneBox();
    const torch::Tensor sim = colorSimilarity(torch::full({1, 3, kH, kW}, 50.0));
    // A boundary far outside the box (rows 0..1 against the rest) does not count.
    torch::Tensor labels = torch::zeros({kH, kW}, torch::kLong);
    labels.index_put_({Slice(0, 1), Slice()}, 2);
    EXPECT_NEAR(value(boxPairwiseLoss(confident(labels), boxes, sim)), 0.0, 1e-6);
    // Uniform probabilities: P(same) = Σ 1/9 · 3 = 1/3 for every pair, −log(1/3).
    EXPECT_NEAR(value(boxPairwiseLoss(torch::zeros({1, 3, kH, kW}), boxes, sim)), std::log(3.0), 1e-5);
}

TEST(BoxLosses, ColourSimilarityFollowsTheLabDistanceAndTheDilation) {
    torch::Tensor lab = torch::zeros({1, 3, 5, 5});
    lab.index_put_({0, 0, 2, 4}, 4.0);  // ΔL = 4 between (2, 2) and its neighbour at (0, +2)
    const torch::Tensor sim = colorSimilarity(lab, 2, 2.0);
    const auto offsets = pairwiseOffsets(2);
    const auto right = std::find(offsets.begin(), offsets.end(), std::make_pair(0, 2)) - offsets.begin();
    EXPECT_NEAR(value(sim.index({0, right, 2, 2})), std::exp(-2.0), 1e-6);
    EXPECT_NEAR(value(sim.index({0, right, 1, 1})), 1.0, 1e-6);
    EXPECT_EQ(value(sim.index({0, right, 2, 3})), 0.0);  // its neighbour would be outside the image
    EXPECT_THROW(colorSimilarity(torch::zeros({1, 1, 5, 5})), std::invalid_argument);
}

TEST(BoxLosses, ExclusionPushesOutClassesWithoutABoxThere) {
    const torch::Tensor boxes = oneBox();
    torch::Tensor labels = torch::zeros({kH, kW}, torch::kLong);
    EXPECT_NEAR(value(boxExclusionLoss(confident(labels), boxes)), 0.0, 1e-6);
    labels.index_put_({Slice(3, 9), Slice(2, 10)}, 1);
    EXPECT_NEAR(value(boxExclusionLoss(confident(labels), boxes)), 0.0, 1e-6);
    labels.index_put_({Slice(3, 9), Slice(2, 10)}, 2);  // class 2 inside a class-1 box
    EXPECT_GT(value(boxExclusionLoss(confident(labels), boxes)), 10.0);
}

TEST(BoxLosses, Bf16LogitsAreScoredInFloat32WithGradients) {
    torch::manual_seed(1);
    const torch::Tensor boxes = oneBox().repeat({2, 1, 1, 1});
    const torch::Tensor sim = colorSimilarity(torch::rand({2, 3, kH, kW}) * 100);
    const torch::Tensor base = torch::randn({2, 3, kH, kW});
    torch::Tensor half = base.to(torch::kBFloat16).requires_grad_(true);
    const torch::Tensor projection = boxProjectionLoss(half, boxes);
    const torch::Tensor pairwise = boxPairwiseLoss(half, boxes.to(torch::kBool), sim);
    const torch::Tensor exclusion = boxExclusionLoss(half, boxes.to(torch::kUInt8));
    for (const torch::Tensor& t : {projection, pairwise, exclusion}) {
        EXPECT_EQ(t.scalar_type(), torch::kFloat);
        EXPECT_EQ(t.dim(), 0);
        EXPECT_TRUE(std::isfinite(value(t)));
    }
    const torch::Tensor ref = base.to(torch::kBFloat16).to(torch::kFloat);
    EXPECT_NEAR(value(projection), value(boxProjectionLoss(ref, boxes)), 1e-6);
    EXPECT_NEAR(value(pairwise), value(boxPairwiseLoss(ref, boxes, sim)), 1e-6);
    (projection + pairwise + exclusion).backward();
    ASSERT_TRUE(half.grad().defined());
    EXPECT_EQ(half.grad().scalar_type(), torch::kBFloat16);
    EXPECT_GT(value(half.grad().to(torch::kFloat).abs().sum()), 0.0);
}

TEST(BoxLosses, RejectsShapesThatDoNotMatch) {
    EXPECT_THROW(boxProjectionLoss(torch::zeros({1, 3, 4, 4}), torch::zeros({1, 2, 4, 4})), std::invalid_argument);
    EXPECT_THROW(boxPairwiseLoss(torch::zeros({1, 3, 4, 4}), torch::zeros({1, 3, 4, 4}), torch::zeros({1, 8, 4, 5})),
                 std::invalid_argument);
    EXPECT_THROW(boxExclusionLoss(torch::zeros({3, 4, 4}), torch::zeros({3, 4, 4})), std::invalid_argument);
}
