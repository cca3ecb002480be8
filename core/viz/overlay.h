#pragma once
#include "project/project.h"

#include <opencv2/core.hpp>

#include <array>
#include <cstdint>
#include <vector>

namespace mf {

/** An RGB colour. */
using Rgb = std::array<std::uint8_t, 3>;

/** What a pixel of an error map says about a prediction against the truth. */
enum class ErrorCode : std::uint8_t {
    None = 0,           ///< true negative, or ignored truth
    TruePositive = 1,   ///< predicted the true (foreground) class
    FalsePositive = 2,  ///< predicted a class where the truth is background (or another class, per-class map)
    FalseNegative = 3,  ///< predicted background where the truth holds a class
    WrongClass = 4,     ///< both foreground, different classes (all-classes map only)
};

/** The colour each ErrorCode is drawn in (None: unused, drawn transparent). */
Rgb errorColor(ErrorCode code);

/** Per-pixel ErrorCode (CV_8UC1) of `prediction` against `truth` (both CV_8UC1, same size). With
 *  `classId` < 0 every foreground class counts (WrongClass where both are foreground and differ);
 *  with a class, only that class is scored (a pixel of another class in the truth is a negative).
 *  Truth pixels equal to `ignoreIndex` are None. Throws std::invalid_argument on mismatched inputs. */
cv::Mat errorCodes(const cv::Mat& truth, const cv::Mat& prediction, int classId = -1, int ignoreIndex = 255);

/** RGBA (CV_8UC4) picture of error codes: errorColor() opaque, None transparent. */
cv::Mat colorizeErrors(const cv::Mat& codes);

/** RGBA picture of a label mask: each class in palette[class] opaque, background (0) and labels
 *  beyond the palette transparent. */
cv::Mat colorizeLabels(const cv::Mat& labels, const std::vector<Rgb>& palette);

/** `rgb` (CV_8UC3) with each labelled pixel (label > 0 and inside the palette) blended half and half
 *  with its class colour; background pixels unchanged. The one label tint: CLI overlays, the demo's
 *  side-by-side pictures and the box-refinement preview all draw with it. */
cv::Mat tintLabels(const cv::Mat& rgb, const cv::Mat& labels, const std::vector<Rgb>& palette);

/** 256 colours: `classes`' own colours at their ids, defaultClassColor() everywhere else. */
std::vector<Rgb> classPalette(const std::vector<ClassInfo>& classes = {});

/** RGBA heat map of a probability map (CV_32FC1 in [0, 1]): a perceptual blue-to-yellow ramp whose
 *  alpha rises with the probability, so confident pixels stand out and the image shows through. */
cv::Mat colorizeProbability(const cv::Mat& probability);

/** Where two label masks disagree: 255 where they differ, 0 elsewhere (CV_8UC1). */
cv::Mat disagreementMask(const cv::Mat& a, const cv::Mat& b);

/** Who is right where two predictions disagree, against `truth` (may be empty). */
enum class DisagreementCode : std::uint8_t { Agree = 0, OnlyARight = 1, OnlyBRight = 2, BothWrong = 3, Differ = 4 };
/** Per-pixel DisagreementCode (CV_8UC1); without a truth every disagreement is Differ. */
cv::Mat disagreementCodes(const cv::Mat& a, const cv::Mat& b, const cv::Mat& truth = {}, int ignoreIndex = 255);
/** The colour each DisagreementCode is drawn in. */
Rgb disagreementColor(DisagreementCode code);
/** RGBA picture of disagreement codes (Agree transparent). */
cv::Mat colorizeDisagreement(const cv::Mat& codes);

} // namespace mf
