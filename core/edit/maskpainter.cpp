#include "edit/maskpainter.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mf {

MaskPainter::MaskPainter(cv::Mat mask) : m_mask(std::move(mask)) {
    if (m_mask.type() != CV_8UC1)
        throw std::invalid_argument("MaskPainter needs a CV_8UC1 mask");
}

cv::Rect MaskPainter::clip(const cv::Rect& r) const { return r & cv::Rect(0, 0, m_mask.cols, m_mask.rows); }

namespace {
// OpenCV draws a filled circle of radius r covering 2r+1 pixels; a radius below 0.5 still paints one pixel.
int pixelRadius(float radius) { return std::max(0, static_cast<int>(std::lround(radius - 0.5f))); }
cv::Point rounded(cv::Point2f p) { return {static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y))}; }
} // namespace

cv::Rect MaskPainter::dab(cv::Point2f centre, float radius, std::uint8_t value) {
    const int r = pixelRadius(radius);
    const cv::Point c = rounded(centre);
    const cv::Rect touched = clip(cv::Rect(c.x - r, c.y - r, 2 * r + 1, 2 * r + 1));
    if (touched.empty())
        return {};
    // Draw into the touched ROI only so a dab on a 4096² mask costs what the dab covers.
    cv::Mat roi = m_mask(touched);
    cv::circle(roi, c - touched.tl(), r, cv::Scalar(value), cv::FILLED, cv::LINE_8);
    return touched;
}

cv::Rect MaskPainter::segment(cv::Point2f a, cv::Point2f b, float radius, std::uint8_t value) {
    const int r = pixelRadius(radius);
    const cv::Point pa = rounded(a), pb = rounded(b);
    // From the corner points in either order: built from the drawing order, a stroke to the left or
    // upwards lost a column/row at each end. The margin is the thick line's, whose round ends reach
    // half a pixel past the dabs' radius: drawn in a smaller ROI they were cut off unevenly.
    const cv::Point lo(std::min(pa.x, pb.x), std::min(pa.y, pb.y)), hi(std::max(pa.x, pb.x), std::max(pa.y, pb.y));
    const int m = r + 2;
    const cv::Rect touched = clip(cv::Rect(lo - cv::Point(m, m), hi + cv::Point(m + 1, m + 1)));
    if (touched.empty())
        return {};
    cv::Mat roi = m_mask(touched);
    const cv::Point o = touched.tl();
    // End caps as dabs, body as a thick line: the same footprint as stamping dabs every pixel.
    cv::circle(roi, pa - o, r, cv::Scalar(value), cv::FILLED, cv::LINE_8);
    cv::circle(roi, pb - o, r, cv::Scalar(value), cv::FILLED, cv::LINE_8);
    if (pa != pb)
        cv::line(roi, pa - o, pb - o, cv::Scalar(value), 2 * r + 1, cv::LINE_8);
    return touched;
}

cv::Rect MaskPainter::rect(const cv::Rect& r, std::uint8_t value) {
    const cv::Rect touched = clip(r);
    if (!touched.empty())
        m_mask(touched).setTo(value);
    return touched;
}

cv::Rect MaskPainter::polygon(const std::vector<cv::Point>& points, std::uint8_t value) {
    if (points.empty())
        return {};
    const cv::Rect touched = clip(cv::boundingRect(points));
    if (touched.empty())
        return {};
    cv::Mat roi = m_mask(touched);
    std::vector<cv::Point> shifted;
    shifted.reserve(points.size());
    for (const cv::Point& p : points)
        shifted.push_back(p - touched.tl());
    cv::fillPoly(roi, std::vector<std::vector<cv::Point>>{shifted}, cv::Scalar(value), cv::LINE_8);
    return touched;
}

cv::Rect MaskPainter::region(const cv::Mat& region, const cv::Rect& at, std::uint8_t value) {
    if (region.type() != CV_8UC1 || region.size() != at.size())
        throw std::invalid_argument("MaskPainter::region: region must be CV_8UC1 of the rectangle's size");
    const cv::Rect touched = clip(at);
    if (touched.empty())
        return {};
    m_mask(touched).setTo(value, region(touched - at.tl()));
    return touched;
}

} // namespace mf
