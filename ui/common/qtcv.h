#pragma once
#include <QImage>
#include <QPointF>
#include <QRect>
#include <QString>

#include "edit/maskpainter.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <array>
#include <string>

namespace mf {

/** Small conversions between OpenCV and Qt types used across ui/ (no ownership is shared). */
inline QRect toQRect(const cv::Rect& r) { return {r.x, r.y, r.width, r.height}; }
inline cv::Rect toCvRect(const QRect& r) { return {r.x(), r.y(), r.width(), r.height()}; }
inline cv::Point toCvPoint(const QPoint& p) { return {p.x(), p.y()}; }
inline QString toQString(const std::string& s) { return QString::fromStdString(s); }
/** The image pixel under canvas image point `p` (core's pixelAt): what the status bar names and
 *  every tool paints. */
inline QPoint pixelAt(QPointF p) {
    const cv::Point q = mf::pixelAt(cv::Point2f(static_cast<float>(p.x()), static_cast<float>(p.y())));
    return {q.x, q.y};
}
/** The pixels from `a` to `b`, both included, whichever way round: what a dragged box covers. */
inline QRect pixelSpan(QPoint a, QPoint b) {
    return QRect(QPoint(std::min(a.x(), b.x()), std::min(a.y(), b.y())), QPoint(std::max(a.x(), b.x()), std::max(a.y(), b.y())));
}

/** A deep copy of an RGB (CV_8UC3) or grey image as a QImage in Format_RGB32, the fastest to draw. */
QImage toQImage(const cv::Mat& rgb);

/** Colour of each class index (alpha 0 for background and unknown classes), premultiplied. */
using ClassLut = std::array<QRgb, 256>;

/** Writes the colours of `mask`'s pixels inside `rect` into `out` (ARGB32_Premultiplied, mask-sized).
 *  With `outline`, only pixels on a class boundary are coloured, the rest are transparent. */
void colourizeMask(const cv::Mat& mask, const cv::Rect& rect, const ClassLut& lut, bool outline, QImage& out);

} // namespace mf
