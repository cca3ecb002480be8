#pragma once
#include "predict/predictionservice.h"
#include "viz/overlay.h"

#include <QImage>
#include <QString>

#include <vector>

namespace mf {

/** Which picture of a prediction goes over the image. */
enum class OverlayMode { Labels, Heatmap, Errors };

/** A deep copy of an RGBA (CV_8UC4) or RGB (CV_8UC3) cv::Mat as a QImage. */
QImage imageFromMat(const cv::Mat& mat);

/** The overlay of `p` in `mode`: argmax labels in the class palette, the probability heat map of
 *  `classId`, or the error map against the truth (`classId` < 0: all classes). A null image when the
 *  prediction lacks what the mode needs (no truth for errors, no probabilities for a heat map). */
QImage renderOverlay(const ImagePrediction& p, OverlayMode mode, int classId, const std::vector<Rgb>& palette,
                     int ignoreIndex = 255);

/** One line of legend text (HTML) for `mode`, in the overlay's colours. */
QString overlayLegend(OverlayMode mode);

} // namespace mf
