#include "edit/boxreplace.h"

#include <algorithm>
#include <stdexcept>

namespace mf {

BoxReplacement replaceBoxesWithPrediction(const cv::Mat& coarse, const cv::Mat& prediction,
                                          const std::vector<DetectionBox>& boxes) {
    if (coarse.type() != CV_8UC1 || prediction.type() != CV_8UC1 || coarse.size() != prediction.size())
        throw std::invalid_argument("box refinement: the coarse mask and the prediction must be label images of one size");
    std::vector<int> order(boxes.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return boxes[a].rect.area() > boxes[b].rect.area(); });

    BoxReplacement out;
    out.mask = coarse.clone();
    const cv::Rect bounds(0, 0, coarse.cols, coarse.rows);
    for (int i : order) {
        const cv::Rect r = boxes[i].rect & bounds;
        const int k = boxes[i].classId;
        if (r.empty())
            continue;
        const cv::Mat predicted = prediction(r) == k;
        if (cv::countNonZero(predicted) == 0) {
            out.emptyBoxes.push_back(i);
            continue;
        }
        cv::Mat region = out.mask(r);
        region.setTo(0, coarse(r) == k);
        region.setTo(k, predicted);
    }
    out.changedPixels = cv::countNonZero(out.mask != coarse);
    std::sort(out.emptyBoxes.begin(), out.emptyBoxes.end());
    return out;
}

} // namespace mf
