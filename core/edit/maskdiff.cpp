#include "edit/maskdiff.h"

#include <stdexcept>

namespace mf {
namespace {

void putVarint(std::vector<std::uint8_t>& out, std::uint32_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(v));
}

std::uint32_t getVarint(const std::vector<std::uint8_t>& in, std::size_t& i) {
    std::uint32_t v = 0;
    for (int shift = 0; i < in.size(); shift += 7) {
        const std::uint8_t b = in[i++];
        v |= static_cast<std::uint32_t>(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

} // namespace

MaskDiff MaskDiff::between(const cv::Mat& before, const cv::Mat& after, const cv::Rect& rect) {
    if (before.type() != CV_8UC1 || after.type() != CV_8UC1 || before.size() != rect.size() || after.size() != rect.size())
        throw std::invalid_argument("MaskDiff::between: patches must be CV_8UC1 of the rectangle's size");
    MaskDiff d;
    d.m_rect = rect;
    std::uint32_t skip = 0, run = 0;
    for (int y = 0; y < rect.height; ++y) {
        const std::uint8_t* b = before.ptr<std::uint8_t>(y);
        const std::uint8_t* a = after.ptr<std::uint8_t>(y);
        for (int x = 0; x < rect.width; ++x) {
            if (b[x] == a[x]) {
                if (run) {
                    putVarint(d.m_runs, skip);
                    putVarint(d.m_runs, run);
                    skip = run = 0;
                }
                ++skip;
            } else {
                ++run;
                d.m_before.push_back(b[x]);
                d.m_after.push_back(a[x]);
            }
        }
    }
    if (run) {
        putVarint(d.m_runs, skip);
        putVarint(d.m_runs, run);
    }
    d.m_changed = d.m_before.size();
    d.m_runs.shrink_to_fit();
    d.m_before.shrink_to_fit();
    d.m_after.shrink_to_fit();
    return d;
}

std::size_t MaskDiff::bytes() const {
    return m_runs.capacity() + m_before.capacity() + m_after.capacity() + sizeof(MaskDiff);
}

cv::Rect MaskDiff::apply(cv::Mat& mask, const std::vector<std::uint8_t>& values) const {
    if ((m_rect & cv::Rect(0, 0, mask.cols, mask.rows)) != m_rect)
        throw std::invalid_argument("MaskDiff: the mask does not cover the edit's rectangle");
    cv::Mat roi = mask(m_rect);
    std::size_t pos = 0, value = 0;
    const auto w = static_cast<std::size_t>(m_rect.width);
    for (std::size_t i = 0; i < m_runs.size();) {
        pos += getVarint(m_runs, i);
        const std::uint32_t run = getVarint(m_runs, i);
        for (std::uint32_t k = 0; k < run; ++k, ++pos)
            roi.at<std::uint8_t>(static_cast<int>(pos / w), static_cast<int>(pos % w)) = values[value++];
    }
    return m_rect;
}

} // namespace mf
