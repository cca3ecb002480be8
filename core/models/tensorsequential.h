#pragma once
#include <torch/nn/modules/container/sequential.h>

namespace mf {

/**
 * An nn::Sequential with a plain Tensor -> Tensor forward, so that it can sit inside another
 * Sequential (LibTorch's own Sequential has a templated forward and cannot). Children keep
 * Python's names "0", "1", …
 */
class TensorSequentialImpl : public torch::nn::SequentialImpl {
public:
    using SequentialImpl::SequentialImpl;
    torch::Tensor forward(torch::Tensor x) { return SequentialImpl::forward(x); }
};
TORCH_MODULE(TensorSequential);

} // namespace mf
