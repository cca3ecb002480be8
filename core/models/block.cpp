#include "models/block.h"

#include <torch/torch.h>

namespace mf {

namespace nn = torch::nn;

torch::nn::Sequential block(std::int64_t cin, std::int64_t cout)
{
    auto conv = [](std::int64_t in, std::int64_t out) {
        return nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1).bias(false));
    };
    // In-place ReLUs as the Python reference has them: the batch norm's output is not needed by
    // its backward, so overwriting it saves an allocation and a pass over the activations.
    const auto relu = [] { return nn::ReLU(nn::ReLUOptions().inplace(true)); };
    return nn::Sequential(conv(cin, cout), nn::BatchNorm2d(cout), relu(),
                          conv(cout, cout), nn::BatchNorm2d(cout), relu());
}

torch::Tensor upsample2x(const torch::Tensor& x)
{
    namespace F = torch::nn::functional;
    return F::interpolate(x, F::InterpolateFuncOptions()
                                 .scale_factor(std::vector<double>{2.0, 2.0})
                                 .mode(torch::kBilinear)
                                 .align_corners(false));
}

} // namespace mf
