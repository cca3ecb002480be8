#include "edit/maskpainter.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>

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
        d.dab({10 + i * 1.0f, 10.5f + i * 0.6f}, 4.5f, 1);  // the pixels nearest the line
    // Each dab sits on a whole pixel, up to half a pixel off the line: the stroke may differ by a pixel
    // at its flanks, but covers the dab trail.
    cv::Mat grown;
    cv::dilate(seg, grown, cv::Mat::ones(3, 3, CV_8U));
    EXPECT_EQ(cv::countNonZero((dabs == 1) & (grown == 0)), 0);
    EXPECT_LT(cv::countNonZero((dabs == 1) & (seg == 0)), 60);
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
// The reference: every pixel whose centre lies within half the diameter of the segment between the two
// dab centres, computed over the whole mask (no ROI, no clipping).
cv::Mat referenceSegment(cv::Size size, cv::Point2f a, cv::Point2f b, float radius) {
    const cv::Point2d ca = dabCentre(a, radius), cb = dabCentre(b, radius), d = cb - ca;
    const double half = brushDiameter(radius) / 2.0;
    cv::Mat m = cv::Mat::zeros(size, CV_8UC1);
    for (int y = 0; y < size.height; ++y)
        for (int x = 0; x < size.width; ++x) {
            const cv::Point2d q(x + 0.5, y + 0.5);
            const double t = d.dot(d) > 0 ? std::clamp((q - ca).dot(d) / d.dot(d), 0.0, 1.0) : 0.0;
            if (cv::norm(q - (ca + d * t)) <= half)
                m.at<uchar>(y, x) = 1;
        }
    return m;
}
/** Painted rows in column `x` (for a horizontal stroke) or columns in row `y`. */
int paintedInColumn(const cv::Mat& m, int x) { return cv::countNonZero(m.col(x)); }
int paintedInRow(const cv::Mat& m, int y) { return cv::countNonZero(m.row(y)); }
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
        const cv::Mat ref = referenceSegment(mask.size(), a, b, 4.5f);
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

// Issue 21 defect 6: a 16-px brush stroke was 19 px wide while a dab was 17 px. A brush of size N (the
// size the settings show, 2 x radius) paints N pixels across, dab and stroke, in every direction.
TEST(MaskPainter, DabAndStrokeAreAsWideAsTheBrushSize) {
    for (int size : {1, 2, 3, 5, 8, 15, 16, 17, 32}) {
        const float radius = size / 2.0f;
        SCOPED_TRACE("brush size " + std::to_string(size));
        ASSERT_EQ(brushDiameter(radius), size);
        for (cv::Point2f at : {cv::Point2f(50.1f, 50.1f), cv::Point2f(50.5f, 50.5f), cv::Point2f(50.9f, 50.6f)}) {
            cv::Mat dab = cv::Mat::zeros(100, 100, CV_8UC1);
            const cv::Rect r = MaskPainter(dab).dab(at, radius, 1);
            EXPECT_EQ(r.width, size);
            EXPECT_EQ(r.height, size);
            EXPECT_EQ(dab.at<uchar>(50, 50), 1) << "the pixel under the point is not painted";
        }
        cv::Mat h = cv::Mat::zeros(100, 100, CV_8UC1), hBack = h.clone(), v = h.clone(), vBack = h.clone();
        MaskPainter(h).segment({20.3f, 50.7f}, {80.3f, 50.7f}, radius, 1);
        MaskPainter(hBack).segment({80.3f, 50.7f}, {20.3f, 50.7f}, radius, 1);
        MaskPainter(v).segment({50.2f, 20.4f}, {50.2f, 80.4f}, radius, 1);
        MaskPainter(vBack).segment({50.2f, 80.4f}, {50.2f, 20.4f}, radius, 1);
        for (int at : {30, 50, 70}) {
            EXPECT_EQ(paintedInColumn(h, at), size);
            EXPECT_EQ(paintedInColumn(hBack, at), size);
            EXPECT_EQ(paintedInRow(v, at), size);
            EXPECT_EQ(paintedInRow(vBack, at), size);
        }
        EXPECT_EQ(cv::countNonZero(h != hBack), 0);
        EXPECT_EQ(cv::countNonZero(v != vBack), 0);
    }
}

// A diagonal stroke is the dab swept along it: its ends are the dabs at its ends, and its area is the
// swept disc's (length x size + the disc) to within a pixel row along each flank.
TEST(MaskPainter, DiagonalStrokeIsTheDabSweptAlongIt) {
    const float radius = 8.0f;
    cv::Mat stroke = cv::Mat::zeros(120, 120, CV_8UC1), ends = stroke.clone();
    MaskPainter(stroke).segment({20.4f, 30.6f}, {90.4f, 95.6f}, radius, 1);
    MaskPainter e(ends);
    e.dab({20.4f, 30.6f}, radius, 1);
    e.dab({90.4f, 95.6f}, radius, 1);
    EXPECT_EQ(cv::countNonZero(ends & ~stroke), 0);
    const double length = cv::norm(dabCentre({90.4f, 95.6f}, radius) - dabCentre({20.4f, 30.6f}, radius));
    const double area = length * 16 + CV_PI * 64;
    EXPECT_NEAR(cv::countNonZero(stroke), area, 2 * length * 0.5 + 16);
}

TEST(MaskPainter, PixelAtIsTheFloor) {
    EXPECT_EQ(pixelAt({20.0f, 180.0f}), cv::Point(20, 180));
    EXPECT_EQ(pixelAt({20.99f, 180.5f}), cv::Point(20, 180));
    EXPECT_EQ(pixelAt({-0.5f, 0.2f}), cv::Point(-1, 0));
}
