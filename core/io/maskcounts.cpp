#include "io/maskcounts.h"

namespace mf {

std::array<int, 256> maskValueCounts(const cv::Mat& mask) {
    std::array<int, 256> counts{};
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* row = mask.ptr<uchar>(y);
        for (int x = 0; x < mask.cols; ++x)
            ++counts[row[x]];
    }
    return counts;
}

} // namespace mf
