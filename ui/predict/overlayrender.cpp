#include "predict/overlayrender.h"

namespace mf {

QImage imageFromMat(const cv::Mat& mat) {
    if (mat.empty())
        return {};
    if (mat.type() == CV_8UC4)
        return QImage(mat.data, mat.cols, mat.rows, static_cast<qsizetype>(mat.step), QImage::Format_RGBA8888).copy();
    if (mat.type() == CV_8UC3)
        return QImage(mat.data, mat.cols, mat.rows, static_cast<qsizetype>(mat.step), QImage::Format_RGB888).copy();
    if (mat.type() == CV_8UC1)
        return QImage(mat.data, mat.cols, mat.rows, static_cast<qsizetype>(mat.step), QImage::Format_Grayscale8).copy();
    return {};
}

QImage renderOverlay(const ImagePrediction& p, OverlayMode mode, int classId, const std::vector<Rgb>& palette,
                     int ignoreIndex) {
    if (p.labels.empty())
        return {};
    switch (mode) {
    case OverlayMode::Labels:
        return imageFromMat(colorizeLabels(p.labels, palette));
    case OverlayMode::Heatmap: {
        const int c = classId < 0 ? 1 : classId;
        if (c >= static_cast<int>(p.probabilities.size()))
            return {};
        return imageFromMat(colorizeProbability(p.probabilities[c]));
    }
    case OverlayMode::Errors:
        if (p.truthMask.empty() || p.truthMask.size() != p.labels.size())
            return {};
        return imageFromMat(colorizeErrors(errorCodes(p.truthMask, p.labels, classId, ignoreIndex)));
    }
    return {};
}

QString overlayLegend(OverlayMode mode) {
    auto swatch = [](Rgb c, const QString& text) {
        return QString("<span style='color:rgb(%1,%2,%3)'>&#9632;</span> %4").arg(c[0]).arg(c[1]).arg(c[2]).arg(text);
    };
    switch (mode) {
    case OverlayMode::Errors:
        return QStringList{swatch(errorColor(ErrorCode::TruePositive), QObject::tr("true positive")),
                           swatch(errorColor(ErrorCode::FalsePositive), QObject::tr("false positive")),
                           swatch(errorColor(ErrorCode::FalseNegative), QObject::tr("false negative")),
                           swatch(errorColor(ErrorCode::WrongClass), QObject::tr("wrong class"))}
            .join("&nbsp;&nbsp;");
    case OverlayMode::Heatmap:
        return QObject::tr("probability: dark = 0, yellow = 1");
    case OverlayMode::Labels:
        break;
    }
    return QObject::tr("predicted classes in the class colours");
}

} // namespace mf
