#pragma once
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mf {

/** One edit of a mask, stored compactly: inside `rect`, runs of changed pixels (skip/count pairs in
 *  raster order) with their values before and after. Unchanged pixels cost nothing, so an undo step
 *  holds about twice the changed pixels however large its bounding rectangle. */
class MaskDiff {
public:
    /** The difference between `before` and `after` (same size CV_8UC1 patches) covering `rect`. */
    static MaskDiff between(const cv::Mat& before, const cv::Mat& after, const cv::Rect& rect);

    bool empty() const { return m_changed == 0; }
    const cv::Rect& rect() const { return m_rect; }
    std::size_t changedPixels() const { return m_changed; }
    /** Heap bytes this step holds (runs and pixel values). */
    std::size_t bytes() const;

    /** Writes the before values into `mask` (the full mask); returns the rectangle. */
    cv::Rect undo(cv::Mat& mask) const { return apply(mask, m_before); }
    /** Writes the after values into `mask`; returns the rectangle. */
    cv::Rect redo(cv::Mat& mask) const { return apply(mask, m_after); }

private:
    cv::Rect apply(cv::Mat& mask, const std::vector<std::uint8_t>& values) const;

    cv::Rect m_rect;
    std::size_t m_changed = 0;
    /// Alternating varints: unchanged pixels to skip, changed pixels to write. Varints keep a run's
    /// overhead at 2-3 bytes, which is what holds a thin stroke's step near twice its pixels.
    std::vector<std::uint8_t> m_runs;
    std::vector<std::uint8_t> m_before;
    std::vector<std::uint8_t> m_after;
};

} // namespace mf
