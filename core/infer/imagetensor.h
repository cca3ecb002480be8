#pragma once
#include <opencv2/core.hpp>
#include <torch/torch.h>

#include <vector>

namespace mf {

/** One RGB CV_8UC3 image as a 1×3×H×W float tensor normalised exactly as the loader does,
 *  (x/255 − mean)/std per channel: for the predictor, so inference sees what training saw. */
torch::Tensor imageTensor(const cv::Mat& rgb, const std::vector<double>& mean, const std::vector<double>& std);

} // namespace mf
