#include "edit/maskpainter.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

using namespace mf;

TEST(MaskPainter, DabPaintsADiscAndReturnsItsRect) {
    cv::Mat mask = cv::Mat::zeros(64, 64, CV_8UC1);
    MaskPainter p(mask);
    const cv::Rect r = p.dab({20, 30}, 5.5f, 3);
    EXPECT_EQ(r, cv::Rect(15, 25, 11, 11));
    EXPECT_EQ(mask.at<uchar>(30, 20), 3);
    EXPECT_EQ(mask.at<uchar>(30, 25), 3);
    EXPECT_EQ(mask.at<uchar>(25, 15), 0);  // the corner is outside the disc
    EXPECT_EQ(cv::countNonZero(mask(r)), cv::countNonZero(mask));
}

TEST(MaskPainter, DabAtTheEdgeIsClipped) {
    cv::Mat mask = cv::Mat::zeros(16, 16, CV_8UC1);
    MaskPainter p(mask);
    EXPECT_EQ(p.dab({0, 0}, 3.5f, 1), cv::Rect(0, 0, 4, 4));
    EXPECT_TRUE(p.dab({-20, -20}, 2, 1).empty());
}

TEST(MaskPainter, SegmentCoversEveryDabAlongIt) {
    cv::Mat seg = cv::Mat::zeros(80, 80, CV_8UC1), dabs = seg.clone();
    MaskPainter(seg).segment({10, 10}, {60, 40}, 4.5f, 1);
    MaskPainter d(dabs);
    for (int i = 0; i <= 50; ++i)
        d.dab({10 + i * 1.0f, 10 + i * 0.6f}, 4.5f, 1);
    // The thick line may round differently by a pixel at its flanks, but covers the dab trail.
    cv::Mat missing = (dabs == 1) & (seg == 0);
    EXPECT_LT(cv::countNonZero(missing), 40);
    EXPECT_GT(cv::countNonZero(seg), 400);
}

TEST(MaskPainter, RectAndPolygonFills) {
    cv::Mat mask = cv::Mat::zeros(50, 50, CV_8UC1);
    MaskPainter p(mask);
    EXPECT_EQ(p.rect({5, 5, 10, 4}, 2), cv::Rect(5, 5, 10, 4));
    EXPECT_EQ(cv::countNonZero(mask == 2), 40);
    const cv::Rect r = p.polygon({{20, 20}, {40, 20}, {40, 40}, {20, 40}}, 4);
    EXPECT_EQ(r, cv::Rect(20, 20, 21, 21));
    EXPECT_EQ(cv::countNonZero(mask == 4), 21 * 21);
}

TEST(MaskPainter, EraseIsPaintingZero) {
    cv::Mat mask(20, 20, CV_8UC1, cv::Scalar(1));
    MaskPainter(mask).dab({10, 10}, 2.5f, 0);
    EXPECT_EQ(mask.at<uchar>(10, 10), 0);
    EXPECT_EQ(mask.at<uchar>(0, 0), 1);
}

namespace {
// The reference rasterisation: the same round caps and thick body drawn on the whole mask, no ROI.
cv::Mat referenceSegment(cv::Size size, cv::Point a, cv::Point b, int r) {
    cv::Mat m = cv::Mat::zeros(size, CV_8UC1);
    cv::circle(m, a, r, cv::Scalar(1), cv::FILLED, cv::LINE_8);
    cv::circle(m, b, r, cv::Scalar(1), cv::FILLED, cv::LINE_8);
    cv::line(m, a, b, cv::Scalar(1), 2 * r + 1, cv::LINE_8);
    return m;
}
} // namespace

// Issue 8 defect 1: the rectangle was built from the points in drawing order, so strokes drawn
// right-to-left or bottom-to-top lost a column/row at each end.
TEST(MaskPainter, SegmentInAllEightDirectionsMatchesTheReferenceExactly) {
    const cv::Point centre(40, 40);
    const int dirs[8][2] = {{1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}, {1, -1}};
    for (const auto& d : dirs) {
        const cv::Point a = centre - cv::Point(d[0], d[1]) * 25, b = centre + cv::Point(d[0], d[1]) * 25;
        cv::Mat mask = cv::Mat::zeros(80, 80, CV_8UC1);
        const cv::Rect touched = MaskPainter(mask).segment(a, b, 4.5f, 1);
        const cv::Mat ref = referenceSegment(mask.size(), a, b, 4);
        SCOPED_TRACE("direction (" + std::to_string(d[0]) + "," + std::to_string(d[1]) + ")");
        EXPECT_EQ(cv::countNonZero(mask != ref), 0) << "painted " << cv::countNonZero(mask) << " px, reference "
                                                     << cv::countNonZero(ref);
        EXPECT_EQ(cv::countNonZero(mask(touched)), cv::countNonZero(mask)) << "pixels painted outside the returned rect";
    }
}

TEST(MaskPainter, MirroredStrokesPaintTheSameCount) {
    cv::Mat fwd = cv::Mat::zeros(80, 80, CV_8UC1), back = fwd.clone();
    MaskPainter(fwd).segment({10, 40}, {60, 40}, 4.5f, 1);
    MaskPainter(back).segment({60, 40}, {10, 40}, 4.5f, 1);
    EXPECT_EQ(cv::countNonZero(back), cv::countNonZero(fwd));
    EXPECT_EQ(cv::countNonZero(fwd != back), 0);
}
