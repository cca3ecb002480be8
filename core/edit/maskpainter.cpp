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

int brushDiameter(float radius) { return std::max(1, static_cast<int>(std::lround(2.0f * radius))); }

cv::Point2f dabCentre(cv::Point2f p, float radius) {
    if (brushDiameter(radius) % 2 == 1) {
        const cv::Point px = pixelAt(p);
        return {px.x + 0.5f, px.y + 0.5f};
    }
    return {std::round(p.x), std::round(p.y)};
}

cv::Rect MaskPainter::dab(cv::Point2f centre, float radius, std::uint8_t value) { return segment(centre, centre, radius, value); }

// Rasterised here rather than with cv::circle and a thick cv::line: OpenCV's thick line is up to
// 2 px wider than its circles (a 16-px stroke was 19 px wide beside a 17-px dab), and its integer
// centres sat half a pixel off the pixel under the cursor.
cv::Rect MaskPainter::segment(cv::Point2f a, cv::Point2f b, float radius, std::uint8_t value) {
    const double half = brushDiameter(radius) / 2.0, reach = half * half;
    const cv::Point2d ca = dabCentre(a, radius), cb = dabCentre(b, radius);
    const cv::Point2d lo(std::min(ca.x, cb.x) - half, std::min(ca.y, cb.y) - half);
    const cv::Point2d hi(std::max(ca.x, cb.x) + half, std::max(ca.y, cb.y) + half);
    const cv::Rect bounds(cvFloor(lo.x), cvFloor(lo.y), cvCeil(hi.x) - cvFloor(lo.x), cvCeil(hi.y) - cvFloor(lo.y));
    const cv::Point2d d = cb - ca;
    const double length2 = d.dot(d);
    const cv::Rect area = clip(bounds);
    int x0 = area.br().x, y0 = area.br().y, x1 = -1, y1 = -1;
    for (int y = area.y; y < area.br().y; ++y) {
        std::uint8_t* row = m_mask.ptr<std::uint8_t>(y);
        for (int x = area.x; x < area.br().x; ++x) {
            const cv::Point2d q(x + 0.5 - ca.x, y + 0.5 - ca.y);
            const double t = length2 > 0 ? std::clamp(q.dot(d) / length2, 0.0, 1.0) : 0.0;
            const cv::Point2d off = q - d * t;
            if (off.dot(off) > reach)
                continue;
            row[x] = value;
            x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
    }
    return x1 < 0 ? cv::Rect() : cv::Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
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
