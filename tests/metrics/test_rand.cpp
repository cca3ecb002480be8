#include "metrics/rand.h"

#include <gtest/gtest.h>

using namespace mf;

namespace {

/** A 4×11 class map: class 1 (cell) everywhere but the columns listed, which are 0 (membrane). */
cv::Mat cells(std::initializer_list<int> membraneColumns) {
    cv::Mat m(4, 11, CV_8UC1, cv::Scalar(1));
    for (int x : membraneColumns)
        m.col(x).setTo(0);
    return m;
}

} // namespace

// Truth: two cells of 4×5 = 20 px each, a membrane at column 5.
TEST(RandScore, IdenticalSegmentationsScoreOne) {
    RandAccumulator acc(1);
    acc.add(cells({5}), cells({5}));
    const RandScore r = acc.score();
    EXPECT_DOUBLE_EQ(r.vRand, 1.0);
    EXPECT_DOUBLE_EQ(r.precision, 1.0);
    EXPECT_DOUBLE_EQ(r.recall, 1.0);
    EXPECT_EQ(r.images, 1);
}

// The prediction misses the membrane: one segment holds both cells. Σn² = 2·20² = 800,
// Σs² = 800, Σt² = 40² = 1600 (the membrane pixels are not truth objects, so not counted).
TEST(RandScore, AMergeLowersPrecisionOnly) {
    RandAccumulator acc(1);
    acc.add(cells({5}), cells({}));
    const RandScore r = acc.score();
    EXPECT_DOUBLE_EQ(r.precision, 0.5);
    EXPECT_DOUBLE_EQ(r.recall, 1.0);
    EXPECT_NEAR(r.vRand, 2 * 0.5 / 1.5, 1e-12);
}

// The prediction draws an extra membrane at column 2 through the left cell: it splits into 4×2 = 8 px
// and 4×2 = 8 px, and the 4 px of the false membrane are singletons. Left cell: Σn² = 64+64+4 = 132;
// right cell: 400. Σn² = 532, Σs² = 800, Σt² = 64+64+4+400 = 532.
TEST(RandScore, ASplitLowersRecallAndFalseBoundaryPixelsAreSingletons) {
    RandAccumulator acc(1);
    acc.add(cells({5}), cells({2, 5}));
    const RandScore r = acc.score();
    EXPECT_DOUBLE_EQ(r.precision, 1.0);
    EXPECT_NEAR(r.recall, 532.0 / 800.0, 1e-12);
    EXPECT_NEAR(r.vRand, 2 * (532.0 / 800.0) / (1 + 532.0 / 800.0), 1e-12);
}

// Truth membrane pixels never count, whatever is predicted there; other classes are membranes too.
TEST(RandScore, TruthBoundaryPixelsAreLeftOut) {
    cv::Mat truth = cells({5});
    truth.col(10).setTo(2);  // another class at the border: not an object pixel
    cv::Mat pred = cells({5});
    pred.col(10).setTo(2);
    RandAccumulator acc(1);
    acc.add(truth, pred);
    EXPECT_DOUBLE_EQ(acc.score().vRand, 1.0);
    // Pooled over images: a perfect image and a merged one.
    acc.add(cells({5}), cells({}));
    const RandScore r = acc.score();
    EXPECT_EQ(r.images, 2);
    EXPECT_NEAR(r.precision, (400.0 + 256.0 + 800.0) / (400.0 + 256.0 + 1600.0), 1e-12);  // right cell: 4×4
    EXPECT_DOUBLE_EQ(r.recall, 1.0);
}

TEST(RandScore, RefusesMismatchedMaps) {
    RandAccumulator acc(1);
    EXPECT_THROW(acc.add(cells({5}), cv::Mat(3, 11, CV_8UC1, cv::Scalar(1))), std::invalid_argument);
    EXPECT_THROW(acc.add(cells({5}), cv::Mat(4, 11, CV_32SC1, cv::Scalar(1))), std::invalid_argument);
    EXPECT_EQ(RandAccumulator(1).score().images, 0);
}
