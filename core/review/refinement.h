#pragma once
#include "edit/boximport.h"
#include "edit/boxrefiner.h"
#include "project/project.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace mf {

/** The project-relative coarse mask a refinement of `entry` starts from: its coarse mask (else its
 *  mask) when its status is coarse; empty for any other status, whose mask a person (or an accepted
 *  proposal) made and no refinement may replace. THE rule of which images GrabCut and model
 *  refinement touch, in the GUI and in `maskforge-cli refine` alike. */
std::string refinementSource(const ImageEntry& entry);

/** What a refinement starts from: the coarse (box-filled) mask and its detection boxes. */
struct CoarseStart {
    cv::Mat coarse;                   ///< CV_8UC1 label image
    std::vector<DetectionBox> boxes;  ///< the YOLO box file's boxes, else those recovered from `coarse`
};

/** Reads the coarse mask `coarsePath` (in `encoding`) and its boxes: the YOLO txt `boxesPath` when
 *  it is one, else boxesFromMask (VOC and COCO imports keep no box file). Throws FileError. */
CoarseStart readCoarseStart(const std::string& coarsePath, const std::string& boxesPath, MaskEncoding encoding);
/** readCoarseStart of a project image (refinementSource); FileError when it has none. */
CoarseStart readCoarseStart(const Project& project, const ImageEntry& entry);

/** One image's proposed mask. */
struct RefinementProposal {
    cv::Mat candidate;      ///< the proposed mask
    int changedPixels = 0;  ///< pixels that differ from the coarse mask
    int emptyBoxes = 0;     ///< boxes where the model found nothing (their coarse fill kept)
};

/** GrabCut refinement of every box of `start` on `image` (RGB or grey, the coarse mask's size):
 *  refineBox then applyRefinement per box. A box only ever claims pixels its class filled in the
 *  coarse mask: a box recovered from merged overlapping boxes covers more than they did, and a box's
 *  refinement must not paint over a smaller box of another class inside it. A box where GrabCut finds
 *  nothing keeps its coarse fill and counts in emptyBoxes, as in modelProposal: the box says an object
 *  is there, an empty cut is GrabCut's failure (textured grey steel, NEU-DET), not a finding. */
RefinementProposal grabCutProposal(const cv::Mat& image, const CoarseStart& start, const RefineOptions& options = {});

/** Model-assisted refinement: replaceBoxesWithPrediction of `prediction` (the model's label image)
 *  inside the boxes of `start`, confined as grabCutProposal is to each class's coarse fill. */
RefinementProposal modelProposal(const cv::Mat& prediction, const CoarseStart& start);

} // namespace mf
