#include "review/refinement.h"

#include "edit/boxreplace.h"
#include "io/imageio.h"

#include <stdexcept>

namespace mf {

std::string refinementSource(const ImageEntry& entry) {
    if (entry.status != ImageStatus::Coarse)
        return {};
    return !entry.coarse.empty() ? entry.coarse : entry.mask;
}

CoarseStart readCoarseStart(const std::string& coarsePath, const std::string& boxesPath, MaskEncoding encoding) {
    CoarseStart out;
    out.coarse = readMask(coarsePath, encoding);
    out.boxes = imageBoxes(boxesPath, out.coarse);
    return out;
}

CoarseStart readCoarseStart(const Project& project, const ImageEntry& entry) {
    const std::string source = refinementSource(entry);
    if (source.empty())
        throw FileError(project.absolute(entry.image), "status " + toString(entry.status) +
                                                           ": only coarse images are refined");
    const std::string boxes = entry.boxes.empty() ? std::string() : project.absolute(entry.boxes);
    return readCoarseStart(project.absolute(source), boxes, project.maskEncoding());
}

RefinementProposal grabCutProposal(const cv::Mat& image, const CoarseStart& start, const RefineOptions& options) {
    if (image.size() != start.coarse.size())
        throw std::invalid_argument("GrabCut refinement: the image and its coarse mask differ in size");
    RefinementProposal out;
    out.candidate = start.coarse.clone();
    for (const DetectionBox& b : start.boxes) {
        RefineResult r = refineBox(image, {}, b.rect, b.classId, options);
        r.foreground &= start.coarse(r.box) == b.classId;
        if (!r.box.empty() && cv::countNonZero(r.foreground) == 0) {
            ++out.emptyBoxes;  // GrabCut lost the object, the box still says it is there
            continue;
        }
        applyRefinement(out.candidate, r);
    }
    out.changedPixels = cv::countNonZero(out.candidate != start.coarse);
    return out;
}

RefinementProposal modelProposal(const cv::Mat& prediction, const CoarseStart& start) {
    if (prediction.type() != CV_8UC1 || prediction.size() != start.coarse.size())
        throw std::invalid_argument("model refinement: the prediction and the coarse mask differ in size or type");
    // The model's classes count only where the boxes put the same class.
    cv::Mat confined = prediction.clone();
    confined.setTo(0, prediction != start.coarse);
    const BoxReplacement r = replaceBoxesWithPrediction(start.coarse, confined, start.boxes);
    RefinementProposal out;
    out.candidate = r.mask;
    out.changedPixels = r.changedPixels;
    out.emptyBoxes = static_cast<int>(r.emptyBoxes.size());
    return out;
}

} // namespace mf
