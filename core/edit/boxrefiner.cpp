#include "edit/boxrefiner.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <stdexcept>

namespace mf {
namespace {

cv::Rect contextRect(const cv::Rect& box, const cv::Size& size, const RefineOptions& o) {
    const int mx = std::max(o.minMargin, static_cast<int>(box.width * o.margin));
    const int my = std::max(o.minMargin, static_cast<int>(box.height * o.margin));
    return cv::Rect(box.x - mx, box.y - my, box.width + 2 * mx, box.height + 2 * my) & cv::Rect({0, 0}, size);
}

/** GrabCut's label map over `roi`: BGD outside the box, PR_FGD inside, strokes as certain labels. */
cv::Mat seedLabels(const cv::Mat& painted, const cv::Rect& roi, const cv::Rect& box) {
    cv::Mat labels(roi.size(), CV_8UC1, cv::Scalar(cv::GC_BGD));
    const cv::Rect inner = box - roi.tl();
    labels(inner).setTo(cv::GC_PR_FGD);
    if (!painted.empty()) {
        const cv::Mat seeds = painted(box);
        labels(inner).setTo(cv::GC_FGD, seeds == 1);
        labels(inner).setTo(cv::GC_BGD, seeds == 2);
    }
    // A box filling the whole image leaves no background sample: GrabCut then needs one, so the
    // outermost ring becomes probable background (objects rarely touch every edge of their box).
    if (cv::countNonZero(labels == cv::GC_BGD) == 0) {
        cv::Mat ring = labels.clone();
        cv::rectangle(ring, cv::Rect({0, 0}, roi.size()), cv::Scalar(255), 1);
        labels.setTo(cv::GC_PR_BGD, (ring == 255) & (labels == cv::GC_PR_FGD));
    }
    return labels;
}

} // namespace

RefineResult refineBox(const cv::Mat& image, const cv::Mat& painted, const cv::Rect& box, int classId,
                       const RefineOptions& options) {
    if (image.empty() || (image.type() != CV_8UC3 && image.type() != CV_8UC1))
        throw std::invalid_argument("refineBox needs an 8-bit RGB or grey image");
    if (!painted.empty() && (painted.type() != CV_8UC1 || painted.size() != image.size()))
        throw std::invalid_argument("refineBox: stroke seeds must be CV_8UC1 of the image's size");
    RefineResult out;
    out.box = box & cv::Rect({0, 0}, image.size());
    out.classId = classId;
    if (out.box.width < 2 || out.box.height < 2) {
        out.foreground = cv::Mat(out.box.size(), CV_8UC1, cv::Scalar(255));
        return out;
    }
    const cv::Rect roi = contextRect(out.box, image.size(), options);
    cv::Mat labels = seedLabels(painted, roi, out.box);
    cv::Mat colour;
    if (image.channels() == 1)
        cv::cvtColor(image(roi), colour, cv::COLOR_GRAY2BGR);
    else
        colour = image(roi).clone();
    cv::Mat bgModel, fgModel;
    cv::grabCut(colour, labels, cv::Rect(), bgModel, fgModel, std::max(1, options.iterations), cv::GC_INIT_WITH_MASK);
    const cv::Mat inBox = labels(out.box - roi.tl());
    out.foreground = (inBox == cv::GC_FGD) | (inBox == cv::GC_PR_FGD);
    return out;
}

cv::Mat strokeSeeds(const cv::Mat& mask, const cv::Mat& coarse, int classId) {
    cv::Mat seeds = cv::Mat::zeros(mask.size(), CV_8UC1);
    const cv::Mat base = coarse.empty() ? cv::Mat::zeros(mask.size(), CV_8UC1) : coarse;
    const cv::Mat changed = mask != base;
    seeds.setTo(1, changed & (mask == classId));
    seeds.setTo(2, changed & (mask == 0));
    return seeds;
}

cv::Rect applyRefinement(cv::Mat& mask, const RefineResult& result) {
    if (result.box.empty())
        return {};
    if (result.foreground.size() != result.box.size())
        throw std::invalid_argument("applyRefinement: the foreground does not match the box");
    cv::Mat roi = mask(result.box);
    const auto cls = static_cast<std::uint8_t>(result.classId);
    roi.setTo(0, (roi == cls) & (result.foreground == 0));
    roi.setTo(cls, result.foreground);
    return result.box;
}

} // namespace mf
