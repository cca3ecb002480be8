#pragma once
#include <torch/nn/module.h>

#include <vector>

namespace mf {

/** A segmentation network: forward(x N×Cin×H×W) -> logits N×classes×H×W. */
class SegmentationNetImpl : public torch::nn::Module {
public:
    /** Logits of the final head. */
    virtual torch::Tensor forward(torch::Tensor x) = 0;
    /** All outputs used by the loss in training (deep supervision heads; else just forward()). */
    virtual std::vector<torch::Tensor> forwardAll(torch::Tensor x) { return {forward(x)}; }
    /** Input H and W must be divisible by this. */
    virtual int sizeDivisor() const = 0;
};
using SegmentationNet = std::shared_ptr<SegmentationNetImpl>;

} // namespace mf
