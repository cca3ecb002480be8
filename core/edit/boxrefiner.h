#pragma once
#include <opencv2/core.hpp>

#include <cstdint>

namespace mf {

/** Options of refineBox. */
struct RefineOptions {
    int iterations = 5;
    double margin = 0.5;  ///< context kept around the box for the background model, as a fraction of its size
    int minMargin = 12;   ///< ... and at least this many pixels
};

/** What refineBox found: `foreground` (0/255, the box's size) marks the box's object inside `box`. */
struct RefineResult {
    cv::Rect box;
    int classId = 0;
    cv::Mat foreground;
};

/** Refines a detection box into the object's mask with GrabCut (cv::grabCut, GC_INIT_WITH_MASK).
 *  Seeds: outside the box = background, inside = probable foreground; strokes already painted in the
 *  box count as certain: `painted` (CV_8UC1, image size, may be empty) holds 1 for pixels painted with
 *  the class (sure foreground) and 2 for pixels painted background or erased (sure background).
 *  `image` is RGB CV_8UC3 (or grey CV_8UC1). A blocking call; run it off the GUI thread. */
RefineResult refineBox(const cv::Mat& image, const cv::Mat& painted, const cv::Rect& box, int classId,
                       const RefineOptions& options = {});

/** The stroke seeds refineBox wants, derived from a mask under edit and the coarse mask it started
 *  from: pixels that differ from the coarse mask are strokes (1 where they now hold `classId`,
 *  2 where they now hold 0). An empty `coarse` counts as all background. */
cv::Mat strokeSeeds(const cv::Mat& mask, const cv::Mat& coarse, int classId);

/** Writes a refinement into `mask`: the object's pixels get the class, pixels of that class inside
 *  the box that are not the object (the coarse box fill) become background; other classes stay.
 *  Returns the rectangle changed. */
cv::Rect applyRefinement(cv::Mat& mask, const RefineResult& result);

} // namespace mf
