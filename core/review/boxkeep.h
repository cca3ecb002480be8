#pragma once
#include "edit/boximport.h"

#include <opencv2/core.hpp>

#include <vector>

namespace mf {

/** How much of one box's fill a proposal keeps: the pixels of the box's class inside the box in the
 *  mask it was proposed over (`filled`), and how many of them the proposal still gives that class. */
struct BoxKeep {
    cv::Rect box;
    int classId = 0;
    int filled = 0;
    int kept = 0;
    /** kept / filled; 1 for a box with no fill (nothing to lose). */
    double share() const { return filled > 0 ? static_cast<double>(kept) / filled : 1.0; }
};

/** BoxKeep of each of `boxes` for `candidate` proposed over `before` (both CV_8UC1, one size). */
std::vector<BoxKeep> boxKeep(const cv::Mat& candidate, const cv::Mat& before, const std::vector<DetectionBox>& boxes);

/** The smallest share any box keeps (1 without boxes): a proposal that keeps almost nothing of a box
 *  most likely lost the object (GrabCut on textured steel, a model that does not know the class). */
double leastKeptShare(const std::vector<BoxKeep>& keeps);

/** Below this share a proposal is flagged in the review queue: it keeps almost nothing of a box. */
inline constexpr double kAlmostNothingKept = 0.1;

} // namespace mf
