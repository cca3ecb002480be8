#pragma once
#include "edit/boximport.h"

#include <opencv2/core.hpp>

#include <vector>

namespace mf {

/** What replaceBoxesWithPrediction changed. */
struct BoxReplacement {
    cv::Mat mask;                 ///< the refined mask (CV_8UC1)
    int changedPixels = 0;        ///< pixels that differ from the coarse mask
    std::vector<int> emptyBoxes;  ///< indices of boxes where the model found none of the box's class
};

/** Model-assisted refinement: inside each box the coarse fill of the box's class is replaced by the
 *  pixels the model predicts as that class; outside every box the coarse mask stays. Larger boxes go
 *  first so a small box inside a large one has the last word, as in coarseMaskFromBoxes. A box where
 *  the model finds nothing keeps its coarse fill (the model missed it; a person decides) and is
 *  listed in emptyBoxes. Throws std::invalid_argument on mismatched masks. */
BoxReplacement replaceBoxesWithPrediction(const cv::Mat& coarse, const cv::Mat& prediction,
                                          const std::vector<DetectionBox>& boxes);


} // namespace mf
