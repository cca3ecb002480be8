#pragma once
#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

namespace mf {

/** Paints class indices into a CV_8UC1 mask it shares (not owns); every operation returns the
 *  rectangle it touched, clipped to the mask (empty when nothing could change). Erasing is painting 0. */
class MaskPainter {
public:
    explicit MaskPainter(cv::Mat mask);

    /** A round dab of `radius` pixels centred on `centre` (sub-pixel centres are rounded). */
    cv::Rect dab(cv::Point2f centre, float radius, std::uint8_t value);
    /** A stroke segment from `a` to `b` with round ends, as if dabs were stamped all along it. */
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
