#pragma once
#include "review/refinement.h"

#include <opencv2/core.hpp>

#include <set>

namespace mf {

/** How tidyByBox cleans a box's object. */
struct TidyOptions {
    int closeRadius = 2;         ///< the closing's ellipse radius (px): gaps this wide are bridged
    double fragmentShare = 0.1;  ///< parts under this share of the box's largest part are dropped
};

/** One piece per box, as a person draws an object: inside every box of `start` whose class is in `classes`,
 *  that class's pixels of `labels` are closed, their holes (background enclosed inside the box) filled, and
 *  the parts smaller than fragmentShare of the box's largest part dropped (to background). Pixels are only
 *  ever added where `labels` says background and the class filled the coarse mask, so a box never claims
 *  another class's pixels or ground outside its fill. Every box reads `labels` as given: boxes of one class
 *  that overlap keep each other's objects, in any order. Refinement proposals are speckled where a thin
 *  object's colour recurs in its texture (magnetic-tile's fray and break: 323 and 275 regions held out
 *  where the truth has 28 and 89). Returns a new label image. */
cv::Mat tidyByBox(const cv::Mat& labels, const CoarseStart& start, const std::set<int>& classes,
                  const TidyOptions& options = {});

} // namespace mf
