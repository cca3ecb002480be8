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
            const cv::Mat kept = fill & (candidate(k.box) == b.classId);
            k.filled = cv::countNonZero(fill);
            k.kept = cv::countNonZero(kept);
            // The box's projections: which rows (and columns) hold any fill, and any kept pixel.
            const auto met = [](const cv::Mat& m, int dim) {
                cv::Mat any;
                cv::reduce(m, any, dim, cv::REDUCE_MAX);
                return cv::countNonZero(any);
            };
            k.rowsFilled = met(fill, 1);
            k.rowsMet = met(kept, 1);
            k.colsFilled = met(fill, 0);
            k.colsMet = met(kept, 0);
        }
        out.push_back(k);
    }
    return out;
}

double BoxKeep::reach() const {
    if (filled == 0 || rowsFilled == 0 || colsFilled == 0)
        return 1.0;
    return std::min(static_cast<double>(rowsMet) / rowsFilled, static_cast<double>(colsMet) / colsFilled);
}

bool BoxKeep::lost() const { return share() < kAlmostNothingKept && reach() < kLostReach; }

int lostBoxCount(const std::vector<BoxKeep>& keeps) {
    return static_cast<int>(std::count_if(keeps.begin(), keeps.end(), [](const BoxKeep& k) { return k.lost(); }));
}

double leastKeptShare(const std::vector<BoxKeep>& keeps) {
    double least = 1.0;
    for (const BoxKeep& k : keeps)
        least = std::min(least, k.share());
    return least;
}

} // namespace mf
