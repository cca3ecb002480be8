// The baseline: today's GrabCut (the G tool's cv::grabCut) driven by clicks instead of a box.
#include "interactive/clicksegmenter.h"
#include "interactive/segmenters.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace mf {
namespace {

/** Where GrabCut may find the object: the box when given, else the positive clicks' bounding box
 *  grown by a quarter of the image's size (a click says "here", not how large). */
cv::Rect searchRect(const ClickQuery& q, const std::vector<Click>& clicks, const cv::Size& size) {
    const cv::Rect image({0, 0}, size);
    if (!q.box.empty())
        return q.box & image;
    cv::Rect r;
    for (const Click& c : clicks)
        if (c.positive)
            r = r.empty() ? cv::Rect(c.pos, cv::Size(1, 1)) : (r | cv::Rect(c.pos, cv::Size(1, 1)));
    if (r.empty())
        return r;
    const int mx = size.width / 4, my = size.height / 4;
    return cv::Rect(r.x - mx, r.y - my, r.width + 2 * mx, r.height + 2 * my) & image;
}

class GrabCutClicks : public ClickSegmenter {
public:
    std::string name() const override { return "grabcut"; }
    void setImage(const cv::Mat& image) override {
        if (image.channels() == 1)
            cv::cvtColor(image, m_image, cv::COLOR_GRAY2RGB);
        else
            m_image = image;
    }
    cv::Mat segment(const ClickQuery& q) override {
        const cv::Size size = m_image.size();
        checkPrior(q.prior, size);
        const std::vector<Click> clicks = clicksInside(q.clicks, size);
        const cv::Rect rect = searchRect(q, clicks, size);
        if (rect.empty())
            return cv::Mat::zeros(size, CV_8UC1);
        cv::Mat labels(size, CV_8UC1, cv::Scalar(cv::GC_BGD));
        labels(rect).setTo(cv::GC_PR_FGD);
        if (q.prior) {  // the model's answer as GrabCut's start where there is one
            labels.setTo(cv::GC_PR_BGD, (*q.prior < 0.5f) & (labels == cv::GC_PR_FGD));
        }
        if (cv::countNonZero(labels == cv::GC_BGD) == 0) {  // a whole-image rect: GrabCut needs background
            cv::rectangle(labels, cv::Rect({0, 0}, size), cv::Scalar(cv::GC_PR_BGD), 1);
        }
        for (const Click& c : clicks)
            cv::circle(labels, c.pos, kSeedRadius, cv::Scalar(c.positive ? cv::GC_FGD : cv::GC_BGD), cv::FILLED);
        cv::Mat bg, fg;
        cv::grabCut(m_image, labels, cv::Rect(), bg, fg, kIterations, cv::GC_INIT_WITH_MASK);
        cv::Mat mask = (labels == cv::GC_FGD) | (labels == cv::GC_PR_FGD);
        return mask;
    }

private:
    static constexpr int kSeedRadius = 5;  // the disk RITM encodes a click with
    static constexpr int kIterations = 5;  // the G tool's default
    cv::Mat m_image;
};

} // namespace

std::unique_ptr<ClickSegmenter> makeGrabCutClicks() { return std::make_unique<GrabCutClicks>(); }

} // namespace mf
