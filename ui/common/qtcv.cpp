#include "common/qtcv.h"

namespace mf {

QImage toQImage(const cv::Mat& rgb) {
    QImage out(rgb.cols, rgb.rows, QImage::Format_RGB32);
    for (int y = 0; y < rgb.rows; ++y) {
        auto* dst = reinterpret_cast<QRgb*>(out.scanLine(y));
        if (rgb.channels() == 3) {
            const auto* src = rgb.ptr<cv::Vec3b>(y);
            for (int x = 0; x < rgb.cols; ++x)
                dst[x] = qRgb(src[x][0], src[x][1], src[x][2]);
        } else {
            const auto* src = rgb.ptr<std::uint8_t>(y);
            for (int x = 0; x < rgb.cols; ++x)
                dst[x] = qRgb(src[x], src[x], src[x]);
        }
    }
    return out;
}

void colourizeMask(const cv::Mat& mask, const cv::Rect& rect, const ClassLut& lut, bool outline, QImage& out) {
    const cv::Rect r = rect & cv::Rect(0, 0, mask.cols, mask.rows);
    const int w = mask.cols, h = mask.rows;
    for (int y = r.y; y < r.y + r.height; ++y) {
        const auto* row = mask.ptr<std::uint8_t>(y);
        const auto* up = mask.ptr<std::uint8_t>(y > 0 ? y - 1 : y);
        const auto* down = mask.ptr<std::uint8_t>(y + 1 < h ? y + 1 : y);
        auto* dst = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = r.x; x < r.x + r.width; ++x) {
            const std::uint8_t v = row[x];
            bool show = true;
            if (outline)  // a boundary pixel: a 4-neighbour (or the image edge) differs
                show = x == 0 || y == 0 || x == w - 1 || y == h - 1 || row[x - 1] != v || row[x + 1] != v ||
                       up[x] != v || down[x] != v;
            dst[x] = show ? lut[v] : 0;
        }
    }
}

} // namespace mf
