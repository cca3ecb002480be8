#include "viz/overlay.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mf {
namespace {

void requireSameMasks(const cv::Mat& a, const cv::Mat& b, const char* what) {
    if (a.type() != CV_8UC1 || b.type() != CV_8UC1)
        throw std::invalid_argument(std::string(what) + ": masks must be 8-bit single-channel label images");
    if (a.size() != b.size())
        throw std::invalid_argument(std::string(what) + ": masks differ in size (" + std::to_string(a.cols) + "x" +
                                    std::to_string(a.rows) + " and " + std::to_string(b.cols) + "x" +
                                    std::to_string(b.rows) + ")");
}

ErrorCode allClassesCode(int t, int p) {
    if (t == p)
        return t == 0 ? ErrorCode::None : ErrorCode::TruePositive;
    if (t == 0)
        return ErrorCode::FalsePositive;
    if (p == 0)
        return ErrorCode::FalseNegative;
    return ErrorCode::WrongClass;
}

ErrorCode oneClassCode(int t, int p, int c) {
    const bool truth = t == c, pred = p == c;
    if (truth && pred)
        return ErrorCode::TruePositive;
    if (pred)
        return ErrorCode::FalsePositive;
    return truth ? ErrorCode::FalseNegative : ErrorCode::None;
}

/** Paints each code's colour, leaving code 0 transparent. */
template <typename ColorOf>
cv::Mat colorizeCodes(const cv::Mat& codes, ColorOf colorOf) {
    if (codes.type() != CV_8UC1)
        throw std::invalid_argument("colorize: codes must be CV_8UC1");
    cv::Mat out(codes.size(), CV_8UC4, cv::Scalar::all(0));
    for (int y = 0; y < codes.rows; ++y) {
        const auto* c = codes.ptr<std::uint8_t>(y);
        auto* o = out.ptr<cv::Vec4b>(y);
        for (int x = 0; x < codes.cols; ++x)
            if (c[x] != 0) {
                const Rgb rgb = colorOf(c[x]);
                o[x] = {rgb[0], rgb[1], rgb[2], 255};
            }
    }
    return out;
}

} // namespace

Rgb errorColor(ErrorCode code) {
    switch (code) {
    case ErrorCode::TruePositive: return {0, 200, 70};     // green
    case ErrorCode::FalsePositive: return {235, 40, 40};   // red
    case ErrorCode::FalseNegative: return {30, 110, 255};  // blue
    case ErrorCode::WrongClass: return {255, 200, 0};      // amber
    case ErrorCode::None: break;
    }
    return {0, 0, 0};
}

cv::Mat errorCodes(const cv::Mat& truth, const cv::Mat& prediction, int classId, int ignoreIndex) {
    requireSameMasks(truth, prediction, "error map");
    cv::Mat out(truth.size(), CV_8UC1);
    for (int y = 0; y < truth.rows; ++y) {
        const auto* t = truth.ptr<std::uint8_t>(y);
        const auto* p = prediction.ptr<std::uint8_t>(y);
        auto* o = out.ptr<std::uint8_t>(y);
        for (int x = 0; x < truth.cols; ++x) {
            ErrorCode code = ErrorCode::None;
            if (t[x] != ignoreIndex)
                code = classId < 0 ? allClassesCode(t[x], p[x]) : oneClassCode(t[x], p[x], classId);
            o[x] = static_cast<std::uint8_t>(code);
        }
    }
    return out;
}

cv::Mat colorizeErrors(const cv::Mat& codes) {
    return colorizeCodes(codes, [](std::uint8_t c) { return errorColor(static_cast<ErrorCode>(c)); });
}

cv::Mat colorizeLabels(const cv::Mat& labels, const std::vector<Rgb>& palette) {
    return colorizeCodes(labels, [&](std::uint8_t c) { return c < palette.size() ? palette[c] : Rgb{0, 0, 0}; });
}

cv::Mat tintLabels(const cv::Mat& rgb, const cv::Mat& labels, const std::vector<Rgb>& palette) {
    if (rgb.type() != CV_8UC3 || labels.type() != CV_8UC1 || rgb.size() != labels.size())
        throw std::invalid_argument("tint: needs an RGB image and a label mask of the same size");
    cv::Mat lut(1, 256, CV_8UC3, cv::Scalar::all(0)), known(1, 256, CV_8UC1, cv::Scalar::all(0));
    for (std::size_t c = 1; c < palette.size() && c < 256; ++c) {
        lut.at<cv::Vec3b>(0, static_cast<int>(c)) = {palette[c][0], palette[c][1], palette[c][2]};
        known.at<std::uint8_t>(0, static_cast<int>(c)) = 255;
    }
    cv::Mat labels3, colours, blended, where;
    cv::cvtColor(labels, labels3, cv::COLOR_GRAY2RGB);
    cv::LUT(labels3, lut, colours);
    cv::LUT(labels, known, where);
    cv::addWeighted(rgb, 0.5, colours, 0.5, 0.0, blended);
    cv::Mat out = rgb.clone();
    blended.copyTo(out, where);
    return out;
}

std::vector<Rgb> classPalette(const std::vector<ClassInfo>& classes) {
    std::vector<Rgb> out;
    for (int c = 0; c < 256; ++c)
        out.push_back(defaultClassColor(c));
    for (const ClassInfo& c : classes)
        if (c.id >= 0 && c.id < 256)
            out[c.id] = c.color;
    return out;
}

cv::Mat colorizeProbability(const cv::Mat& probability) {
    if (probability.type() != CV_32FC1)
        throw std::invalid_argument("heat map: probability must be CV_32FC1");
    cv::Mat grey;
    probability.convertTo(grey, CV_8UC1, 255.0);
    cv::Mat bgr;
    cv::applyColorMap(grey, bgr, cv::COLORMAP_VIRIDIS);
    cv::Mat out(probability.size(), CV_8UC4);
    for (int y = 0; y < out.rows; ++y) {
        const auto* g = grey.ptr<std::uint8_t>(y);
        const auto* b = bgr.ptr<cv::Vec3b>(y);
        auto* o = out.ptr<cv::Vec4b>(y);
        // A floor on alpha keeps low probabilities visible as a dark tint rather than nothing.
        for (int x = 0; x < out.cols; ++x)
            o[x] = {b[x][2], b[x][1], b[x][0], static_cast<std::uint8_t>(60 + g[x] * 195 / 255)};
    }
    return out;
}

cv::Mat disagreementMask(const cv::Mat& a, const cv::Mat& b) {
    requireSameMasks(a, b, "disagreement map");
    cv::Mat out;
    cv::compare(a, b, out, cv::CMP_NE);
    return out;
}

cv::Mat disagreementCodes(const cv::Mat& a, const cv::Mat& b, const cv::Mat& truth, int ignoreIndex) {
    requireSameMasks(a, b, "disagreement map");
    if (!truth.empty())
        requireSameMasks(a, truth, "disagreement map");
    cv::Mat out(a.size(), CV_8UC1, cv::Scalar(0));
    for (int y = 0; y < a.rows; ++y) {
        const auto* pa = a.ptr<std::uint8_t>(y);
        const auto* pb = b.ptr<std::uint8_t>(y);
        const auto* t = truth.empty() ? nullptr : truth.ptr<std::uint8_t>(y);
        auto* o = out.ptr<std::uint8_t>(y);
        for (int x = 0; x < a.cols; ++x) {
            if (pa[x] == pb[x])
                continue;
            DisagreementCode code = DisagreementCode::Differ;
            if (t && t[x] != ignoreIndex)
                code = pa[x] == t[x]   ? DisagreementCode::OnlyARight
                       : pb[x] == t[x] ? DisagreementCode::OnlyBRight
                                       : DisagreementCode::BothWrong;
            o[x] = static_cast<std::uint8_t>(code);
        }
    }
    return out;
}

Rgb disagreementColor(DisagreementCode code) {
    switch (code) {
    case DisagreementCode::OnlyARight: return {255, 140, 0};  // orange: A's side
    case DisagreementCode::OnlyBRight: return {0, 190, 255};  // cyan: B's side
    case DisagreementCode::BothWrong: return {220, 0, 220};   // magenta
    case DisagreementCode::Differ: return {255, 255, 255};
    case DisagreementCode::Agree: break;
    }
    return {0, 0, 0};
}

cv::Mat colorizeDisagreement(const cv::Mat& codes) {
    return colorizeCodes(codes, [](std::uint8_t c) { return disagreementColor(static_cast<DisagreementCode>(c)); });
}

} // namespace mf
