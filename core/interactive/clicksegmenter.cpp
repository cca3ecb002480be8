#include "interactive/clicksegmenter.h"

#include "interactive/segmenters.h"

#include <stdexcept>

namespace mf {

std::vector<std::string> clickSegmenterNames() { return {"geocut", "grabcut"}; }

std::unique_ptr<ClickSegmenter> makeClickSegmenter(const std::string& name) {
    if (name == "geocut")
        return makeGeoCut();
    if (name == "grabcut")
        return makeGrabCutClicks();
    throw std::invalid_argument("unknown click segmentation method '" + name + "' (known: geocut, grabcut)");
}

std::vector<Click> clicksInside(const std::vector<Click>& clicks, const cv::Size& size) {
    std::vector<Click> out;
    const cv::Rect image({0, 0}, size);
    for (const Click& c : clicks)
        if (image.contains(c.pos))
            out.push_back(c);
    return out;
}

void checkPrior(const cv::Mat* prior, const cv::Size& size) {
    if (!prior || prior->empty())
        return;
    if (prior->type() != CV_32FC1)
        throw std::invalid_argument("the prior must be a CV_32FC1 probability map");
    if (prior->size() != size)
        throw std::invalid_argument("the prior's size differs from the image's");
}

} // namespace mf
