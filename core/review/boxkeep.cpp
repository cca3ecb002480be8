#include "review/boxkeep.h"

#include <algorithm>
#include <stdexcept>

namespace mf {

std::vector<BoxKeep> boxKeep(const cv::Mat& candidate, const cv::Mat& before, const std::vector<DetectionBox>& boxes) {
    if (candidate.type() != CV_8UC1 || before.type() != CV_8UC1 || candidate.size() != before.size())
        throw std::invalid_argument("boxKeep: the proposal and the mask it replaces must be 8-bit masks of one size");
    std::vector<BoxKeep> out;
    const cv::Rect bounds(0, 0, before.cols, before.rows);
    for (const DetectionBox& b : boxes) {
        BoxKeep k;
        k.box = b.rect & bounds;
        k.classId = b.classId;
        if (!k.box.empty()) {
            const cv::Mat fill = before(k.box) == b.classId;
            k.filled = cv::countNonZero(fill);
            k.kept = cv::countNonZero(fill & (candidate(k.box) == b.classId));
        }
        out.push_back(k);
    }
    return out;
}

double leastKeptShare(const std::vector<BoxKeep>& keeps) {
    double least = 1.0;
    for (const BoxKeep& k : keeps)
        least = std::min(least, k.share());
    return least;
}

} // namespace mf
