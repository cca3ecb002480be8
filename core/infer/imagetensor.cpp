#include "infer/imagetensor.h"

#include "infer/inputprep.h"

#include <stdexcept>

namespace mf {

torch::Tensor imageTensor(const cv::Mat& rgb, const std::vector<double>& mean, const std::vector<double>& std) {
    if (rgb.type() != CV_8UC3 || rgb.empty())
        throw std::invalid_argument("imageTensor: expected an 8-bit RGB image");
    if (mean.size() != 3 || std.size() != 3)
        throw std::invalid_argument("imageTensor: mean and std need three values");
    torch::Tensor out = torch::empty({1, 3, rgb.rows, rgb.cols}, torch::kFloat);
    normaliseImage(rgb, out.data_ptr<float>(), mean, std);
    return out;
}

} // namespace mf
