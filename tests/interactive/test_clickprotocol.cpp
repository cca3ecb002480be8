#include "interactive/clickprotocol.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cmath>

namespace {

/** Brute-force distance of each region pixel to the nearest non-region pixel, outside the image
 *  counting as non-region (the 1-px padding): the independent check of nextClick. */
cv::Mat bruteDistance(const cv::Mat& region) {
    cv::Mat out(region.size(), CV_32F, cv::Scalar(0));
    for (int y = 0; y < region.rows; ++y)
        for (int x = 0; x < region.cols; ++x) {
            if (!region.at<uchar>(y, x))
                continue;
            double best = 1e9;
            for (int v = -1; v <= region.rows; ++v)
                for (int u = -1; u <= region.cols; ++u) {
                    const bool inside = u >= 0 && v >= 0 && u < region.cols && v < region.rows;
                    if (inside && region.at<uchar>(v, u))
                        continue;
                    best = std::min(best, std::hypot(u - x, v - y));
                }
            out.at<float>(y, x) = static_cast<float>(best);
        }
    return out;
}

cv::Point firstMaxBrute(const cv::Mat& d) {
    cv::Point at(-1, -1);
    float best = 0;
    for (int y = 0; y < d.rows; ++y)
        for (int x = 0; x < d.cols; ++x)
            if (d.at<float>(y, x) > best + 1e-4f)
                best = d.at<float>(y, x), at = {x, y};
    return at;
}

} // namespace

TEST(ClickProtocol, FirstClickIsWhereTheDistanceTransformPeaks) {
    cv::Mat truth = cv::Mat::zeros(30, 40, CV_8UC1);
    cv::rectangle(truth, cv::Rect(5, 4, 21, 13), cv::Scalar(1), cv::FILLED);
    cv::circle(truth, {30, 22}, 5, cv::Scalar(1), cv::FILLED);
    const cv::Mat empty = cv::Mat::zeros(truth.size(), CV_8UC1);
    mf::Click c;
    ASSERT_TRUE(mf::nextClick(empty, truth, cv::Mat(), c));
    EXPECT_TRUE(c.positive);
    EXPECT_EQ(c.pos, firstMaxBrute(bruteDistance(truth == 1)));
    EXPECT_EQ(c.pos, cv::Point(11, 10));  // the first of the row of pixels 7 px from the border (raster order)
}

TEST(ClickProtocol, TheImageEdgeCountsAsBorder) {
    // An object running off the left edge: without the padding its peak would sit on the edge.
    cv::Mat truth = cv::Mat::zeros(20, 40, CV_8UC1);
    cv::rectangle(truth, cv::Rect(0, 2, 20, 15), cv::Scalar(1), cv::FILLED);
    mf::Click c;
    ASSERT_TRUE(mf::nextClick(cv::Mat::zeros(truth.size(), CV_8UC1), truth, cv::Mat(), c));
    EXPECT_EQ(c.pos, firstMaxBrute(bruteDistance(truth == 1)));
    EXPECT_GE(c.pos.x, 7);
}

TEST(ClickProtocol, NegativeClickWhenTheFalseAlarmIsLarger) {
    cv::Mat truth = cv::Mat::zeros(40, 40, CV_8UC1);
    cv::rectangle(truth, cv::Rect(2, 2, 10, 10), cv::Scalar(1), cv::FILLED);
    cv::Mat pred = cv::Mat::zeros(truth.size(), CV_8UC1);
    cv::rectangle(pred, cv::Rect(2, 2, 8, 10), cv::Scalar(255), cv::FILLED);      // misses a 2-px strip
    cv::rectangle(pred, cv::Rect(20, 20, 16, 16), cv::Scalar(255), cv::FILLED);   // a large false alarm
    mf::Click c;
    ASSERT_TRUE(mf::nextClick(pred, truth, cv::Mat(), c));
    EXPECT_FALSE(c.positive);
    EXPECT_EQ(c.pos, firstMaxBrute(bruteDistance((truth == 0) & (pred != 0))));
}

TEST(ClickProtocol, ClickedPixelsAreNotClickedAgain) {
    cv::Mat truth = cv::Mat::zeros(21, 21, CV_8UC1);
    cv::circle(truth, {10, 10}, 8, cv::Scalar(1), cv::FILLED);
    cv::Mat clicked = cv::Mat::zeros(truth.size(), CV_8UC1);
    const cv::Mat empty = cv::Mat::zeros(truth.size(), CV_8UC1);
    mf::Click first, second;
    ASSERT_TRUE(mf::nextClick(empty, truth, clicked, first));
    clicked.at<uchar>(first.pos) = 1;
    ASSERT_TRUE(mf::nextClick(empty, truth, clicked, second));
    EXPECT_NE(first.pos, second.pos);
}

TEST(ClickProtocol, IgnorePixelsAreNeitherScoredNorClicked) {
    cv::Mat truth = cv::Mat::zeros(30, 30, CV_8UC1);
    cv::rectangle(truth, cv::Rect(5, 5, 20, 20), cv::Scalar(mf::kIgnoreLabel), cv::FILLED);
    cv::rectangle(truth, cv::Rect(8, 8, 14, 14), cv::Scalar(1), cv::FILLED);
    cv::Mat pred = cv::Mat::zeros(truth.size(), CV_8UC1);
    cv::rectangle(pred, cv::Rect(5, 5, 20, 20), cv::Scalar(255), cv::FILLED);  // object plus all of the band
    EXPECT_DOUBLE_EQ(mf::clickIoU(pred, truth), 1.0);
    mf::Click c;
    EXPECT_FALSE(mf::nextClick(pred, truth, cv::Mat(), c));  // no error outside the band
    cv::Mat half = cv::Mat::zeros(truth.size(), CV_8UC1);
    cv::rectangle(half, cv::Rect(8, 8, 7, 14), cv::Scalar(255), cv::FILLED);
    EXPECT_DOUBLE_EQ(mf::clickIoU(half, truth), 0.5);
    // The ignore band must not make the false-negative region look thicker than it is.
    ASSERT_TRUE(mf::nextClick(half, truth, cv::Mat(), c));
    EXPECT_TRUE(c.positive);
    EXPECT_EQ(truth.at<uchar>(c.pos), 1);
}

TEST(ClickProtocol, NocOnAHandcraftedSequence) {
    const std::vector<double> ious{0.30, 0.84, 0.85, 0.89, 0.91, 0.80, 0.95};
    EXPECT_EQ(mf::clicksToReach(ious, 0.85, 20), 3);
    EXPECT_EQ(mf::clicksToReach(ious, 0.90, 20), 5);
    EXPECT_EQ(mf::clicksToReach(ious, 0.99, 20), 20);  // never reached: the maximum
    EXPECT_EQ(mf::clicksToReach(ious, 0.90, 4), 4);    // reached only after the last counted click
    EXPECT_EQ(mf::clicksToReach({}, 0.85, 20), 20);
}

TEST(ClickProtocol, SizeMismatchIsRefused) {
    mf::Click c;
    EXPECT_THROW(mf::nextClick(cv::Mat::zeros(5, 5, CV_8UC1), cv::Mat::zeros(6, 5, CV_8UC1), cv::Mat(), c),
                 std::invalid_argument);
    EXPECT_THROW(mf::clickIoU(cv::Mat::zeros(5, 5, CV_8UC1), cv::Mat::zeros(5, 5, CV_32F)), std::invalid_argument);
}
