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
    /** Rows and columns of the box that hold fill, and how many of them the kept pixels still meet. */
    int rowsFilled = 0, colsFilled = 0, rowsMet = 0, colsMet = 0;
    /** kept / filled; 1 for a box with no fill (nothing to lose). */
    double share() const { return filled > 0 ? static_cast<double>(kept) / filled : 1.0; }
    /** How far across the box the kept pixels reach: the smaller of the shares of its filled rows and of
     *  its filled columns they meet (box tightness: an object meets every row and column of its box, a
     *  thin diagonal crack as much as a blob); 1 for a box with no fill. */
    double reach() const;
    /** The proposal lost the object: it keeps almost nothing of the box (kAlmostNothingKept) and what it
     *  keeps does not reach across it (kLostReach). A thin crack keeps 5 % of its box and reaches across. */
    bool lost() const;
};

/** BoxKeep of each of `boxes` for `candidate` proposed over `before` (both CV_8UC1, one size). */
std::vector<BoxKeep> boxKeep(const cv::Mat& candidate, const cv::Mat& before, const std::vector<DetectionBox>& boxes);

/** The smallest share any box keeps (1 without boxes): a proposal that keeps almost nothing of a box
 *  most likely lost the object (GrabCut on textured steel, a model that does not know the class). */
double leastKeptShare(const std::vector<BoxKeep>& keeps);

/** Below this share a proposal keeps almost nothing of a box. */
inline constexpr double kAlmostNothingKept = 0.1;
/** Below this reach what a proposal keeps of a box does not reach across it. */
inline constexpr double kLostReach = 0.5;

/** How many of the boxes the proposal lost (BoxKeep::lost): the review queue flags such proposals. */
int lostBoxCount(const std::vector<BoxKeep>& keeps);

} // namespace mf
