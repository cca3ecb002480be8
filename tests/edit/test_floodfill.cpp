#include "edit/floodfill.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

using namespace mf;

TEST(FloodFill, MaskValueFillsTheConnectedRegionOnly) {
    cv::Mat mask = cv::Mat::zeros(40, 40, CV_8UC1);
    cv::rectangle(mask, cv::Rect(10, 10, 20, 20), 1, 1);  // a closed outline of class 1
    const cv::Mat before = mask.clone();
    FloodRegion inside = floodRegion({}, mask, {20, 20}, {});
    EXPECT_EQ(inside.pixels, 18 * 18);
    EXPECT_EQ(inside.rect, cv::Rect(11, 11, 18, 18));
    EXPECT_EQ(cv::countNonZero(inside.region), 18 * 18);
    EXPECT_EQ(cv::norm(before, mask, cv::NORM_INF), 0);  // pure: the input is untouched
    FloodRegion outside = floodRegion({}, mask, {0, 0}, {});
    EXPECT_EQ(outside.pixels, 40 * 40 - 20 * 20);
}

TEST(FloodFill, DiagonalGapLeaksOnlyWithEightConnectivity) {
    cv::Mat mask = cv::Mat::zeros(10, 10, CV_8UC1);
    for (int i = 0; i < 10; ++i)
        mask.at<uchar>(i, 9 - i) = 1;  // an anti-diagonal wall
    FloodOptions o;
    EXPECT_EQ(floodRegion({}, mask, {0, 0}, o).pixels, 45);
    o.eightConnected = true;
    EXPECT_EQ(floodRegion({}, mask, {0, 0}, o).pixels, 90);
}

TEST(FloodFill, ImageColourToleranceDecidesTheRegion) {
    cv::Mat image(30, 30, CV_8UC3, cv::Scalar(100, 100, 100));
    image(cv::Rect(0, 0, 15, 30)).setTo(cv::Scalar(110, 104, 98));
    image(cv::Rect(20, 0, 10, 30)).setTo(cv::Scalar(200, 30, 30));
    const cv::Mat mask = cv::Mat::zeros(30, 30, CV_8UC1);
    FloodOptions o;
    o.source = FloodSource::ImageColour;
    o.tolerance = 5;
    EXPECT_EQ(floodRegion(image, mask, {17, 5}, o).pixels, 5 * 30);
    o.tolerance = 10;
    EXPECT_EQ(floodRegion(image, mask, {17, 5}, o).pixels, 20 * 30);
    EXPECT_TRUE(floodRegion(image, mask, {-1, 5}, o).region.empty());
}
