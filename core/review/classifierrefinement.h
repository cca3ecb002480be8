#pragma once
#include "classify/boxclassifier.h"
#include "review/refinement.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace mf {

/** The box classifier's refinement of several images together (one BoxClassifier over all of them: the
 *  forest learns what the project's defects look like from every box at once), each proposal confined,
 *  as grabCutProposal's, to its boxes and their class's coarse fill. `images[i]` is the image of
 *  `starts[i]` (8-bit grey or RGB, its coarse mask's size). A box of no use to learn from (covering the
 *  whole image) still gets a proposal from what the others taught. Throws std::invalid_argument on sizes
 *  that disagree, std::runtime_error when there is nothing to learn from. */
std::vector<RefinementProposal> classifierProposals(const std::vector<cv::Mat>& images,
                                                    const std::vector<CoarseStart>& starts,
                                                    const BoxClassifierOptions& options = {});

/** What is wrong with one image's boxes before refining them (`file`: the box file or coarse mask the
 *  boxes came from, named in every message). */
struct BoxCheck {
    std::vector<std::string> errors;  ///< refinement must not go on: a class the project does not have
    std::vector<std::string> notes;   ///< said, then handled: empty boxes skipped, whole-image boxes kept as filled
    std::vector<DetectionBox> usable; ///< the boxes to refine
};

/** Checks `boxes` of an image of `size` against a project of `classCount` classes: a class outside
 *  1..classCount-1 is an error; a box with no area inside the image (zero width or height, or outside the
 *  image) is skipped; a box covering (nearly) the whole image says nothing of where its object is and
 *  keeps its fill; more than `manyBoxes` boxes is said (they are all refined). */
BoxCheck checkBoxes(const std::string& file, const std::vector<DetectionBox>& boxes, cv::Size size, int classCount,
                    int manyBoxes = 100);

} // namespace mf
