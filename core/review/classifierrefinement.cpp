#include "review/classifierrefinement.h"

#include <stdexcept>

namespace mf {

std::vector<RefinementProposal> classifierProposals(const std::vector<cv::Mat>& images,
                                                    const std::vector<CoarseStart>& starts,
                                                    const BoxClassifierOptions& options) {
    if (images.size() != starts.size())
        throw std::invalid_argument("classifier refinement: as many images as coarse masks needed");
    BoxClassifier classifier(options);
    const int n = static_cast<int>(images.size());
    std::vector<cv::Mat> coarse;
    std::vector<std::vector<DetectionBox>> boxes;
    for (const CoarseStart& s : starts)
        coarse.push_back(s.coarse), boxes.push_back(s.boxes);
    classifier.addImages(images, coarse, boxes, n);  // the filter banks on every core
    std::vector<RefinementProposal> out;
    if (images.empty())
        return out;
    classifier.run();
    for (int i = 0; i < n; ++i) {
        const BoxClassification c = classifier.result(i);
        RefinementProposal p;
        p.candidate = c.labels;
        p.changedPixels = cv::countNonZero(c.labels != starts[static_cast<std::size_t>(i)].coarse);
        p.emptyBoxes = c.emptyBoxes;
        out.push_back(std::move(p));
    }
    return out;
}

BoxCheck checkBoxes(const std::string& file, const std::vector<DetectionBox>& boxes, cv::Size size, int classCount,
                    int manyBoxes) {
    BoxCheck out;
    const cv::Rect frame(cv::Point(), size);
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const DetectionBox& b = boxes[i];
        const std::string which = file + ": box " + std::to_string(i + 1);
        if (b.classId <= 0 || b.classId >= classCount) {
            out.errors.push_back(which + " has class " + std::to_string(b.classId) + ", which the project (classes 0.." +
                                 std::to_string(classCount - 1) + ") does not have");
            continue;
        }
        const cv::Rect r = b.rect & frame;
        if (r.empty()) {
            out.notes.push_back(which + " has no area inside the image (zero width or height, or outside it): skipped");
            continue;
        }
        if (r.area() >= 0.95 * frame.area()) {
            out.notes.push_back(which + " covers the whole image: it says nothing of where its object is, its fill is kept");
            continue;
        }
        out.usable.push_back({b.classId, r});
    }
    if (static_cast<int>(boxes.size()) > manyBoxes)
        out.notes.push_back(file + ": " + std::to_string(boxes.size()) + " boxes in one image (all refined)");
    return out;
}

} // namespace mf
