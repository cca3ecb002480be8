#pragma once
#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

namespace mf {

/** The pixel under image point `p`: pixel (x, y) covers [x, x+1) x [y, y+1), as on the canvas and
 *  in the status bar. */
inline cv::Point pixelAt(cv::Point2f p) { return {cvFloor(p.x), cvFloor(p.y)}; }

/** A brush of `radius` paints discs this many pixels across: round(2 x radius), at least 1 (the
 *  size the brush settings show). */
int brushDiameter(float radius);
/** Where a dab of `radius` at image point `p` is centred: the centre of the pixel under `p` for an
 *  odd diameter, the pixel corner nearest `p` for an even one; either way the disc covers pixelAt(p). */
cv::Point2f dabCentre(cv::Point2f p, float radius);

/** Paints class indices into a CV_8UC1 mask it shares (not owns); every operation returns the
 *  rectangle it touched, clipped to the mask (empty when nothing could change). Erasing is painting 0.
 *  Points are image coordinates (see pixelAt). */
class MaskPainter {
public:
    explicit MaskPainter(cv::Mat mask);

    /** A round dab: the pixels whose centres lie within brushDiameter(radius) / 2 of
     *  dabCentre(centre, radius), brushDiameter(radius) pixels across. */
    cv::Rect dab(cv::Point2f centre, float radius, std::uint8_t value);
    /** A stroke segment from `a` to `b` with round ends: exactly the pixels a dab sliding from the
     *  dab centre of `a` to that of `b` covers, so it is as wide as a dab in every direction. */
    cv::Rect segment(cv::Point2f a, cv::Point2f b, float radius, std::uint8_t value);
    /** Fills an axis-aligned rectangle. */
    cv::Rect rect(const cv::Rect& r, std::uint8_t value);
    /** Fills a closed polygon (even-odd rule is not used: the outline and its inside are filled). */
    cv::Rect polygon(const std::vector<cv::Point>& points, std::uint8_t value);
    /** Sets `value` where `region` (CV_8UC1, non-zero = inside) is set; `region` covers `at` in the mask. */
    cv::Rect region(const cv::Mat& region, const cv::Rect& at, std::uint8_t value);

    const cv::Mat& mask() const { return m_mask; }

private:
    cv::Rect clip(const cv::Rect& r) const;
    cv::Mat m_mask;
};

} // namespace mf
