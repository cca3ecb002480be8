#include "edit/boxreplace.h"

#include <gtest/gtest.h>

using namespace mf;

TEST(BoxReplace, PredictionReplacesTheBoxFillOnlyInsideTheBox) {
    cv::Mat coarse(20, 20, CV_8UC1, cv::Scalar(0));
    coarse(cv::Rect(2, 2, 8, 8)).setTo(1);    // box of class 1
    coarse(cv::Rect(12, 12, 4, 4)).setTo(2);  // box of class 2 that the model misses
    cv::Mat pred(20, 20, CV_8UC1, cv::Scalar(0));
    pred(cv::Rect(4, 4, 3, 3)).setTo(1);       // the object inside box 1
    pred(cv::Rect(15, 0, 5, 5)).setTo(1);      // outside every box: must not leak in
    const std::vector<DetectionBox> boxes = {{1, cv::Rect(2, 2, 8, 8)}, {2, cv::Rect(12, 12, 4, 4)}};

    const BoxReplacement r = replaceBoxesWithPrediction(coarse, pred, boxes);
    EXPECT_EQ(cv::countNonZero(r.mask == 1), 9);
    EXPECT_EQ(r.mask.at<std::uint8_t>(5, 5), 1);
    EXPECT_EQ(r.mask.at<std::uint8_t>(2, 2), 0);   // coarse fill removed
    EXPECT_EQ(r.mask.at<std::uint8_t>(1, 16), 0);  // prediction outside boxes ignored
    EXPECT_EQ(cv::countNonZero(r.mask == 2), 16);  // missed box keeps its coarse fill
    ASSERT_EQ(r.emptyBoxes.size(), 1u);
    EXPECT_EQ(r.emptyBoxes[0], 1);
    EXPECT_EQ(r.changedPixels, 64 - 9);
}

TEST(BoxReplace, SmallBoxInsideLargeBoxWins) {
    cv::Mat coarse(20, 20, CV_8UC1, cv::Scalar(1));
    coarse(cv::Rect(5, 5, 4, 4)).setTo(2);
    cv::Mat pred(20, 20, CV_8UC1, cv::Scalar(0));
    pred(cv::Rect(0, 0, 20, 10)).setTo(1);
    pred(cv::Rect(6, 6, 2, 2)).setTo(2);
    const std::vector<DetectionBox> boxes = {{2, cv::Rect(5, 5, 4, 4)}, {1, cv::Rect(0, 0, 20, 20)}};
    const BoxReplacement r = replaceBoxesWithPrediction(coarse, pred, boxes);
    EXPECT_EQ(cv::countNonZero(r.mask == 2), 4);
    EXPECT_EQ(r.mask.at<std::uint8_t>(15, 15), 0);
    EXPECT_EQ(r.mask.at<std::uint8_t>(2, 2), 1);
    EXPECT_TRUE(r.emptyBoxes.empty());
}

TEST(BoxReplace, RejectsMismatchedSizes) {
    EXPECT_THROW(replaceBoxesWithPrediction(cv::Mat(4, 4, CV_8UC1), cv::Mat(5, 4, CV_8UC1), {}), std::invalid_argument);
}
