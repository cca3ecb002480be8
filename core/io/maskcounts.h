#pragma once
#include <opencv2/core.hpp>

#include <array>

namespace mf {

/** How many pixels of a CV_8UC1 mask hold each value 0..255. */
std::array<int, 256> maskValueCounts(const cv::Mat& mask);

} // namespace mf
