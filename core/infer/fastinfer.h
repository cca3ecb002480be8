#pragma once
#include "models/segmentationnet.h"

#include <torch/torch.h>

#include <memory>
#include <string>

namespace mf {

/** Memory layout of the activations on the inference fast path. */
enum class InferLayout { Contiguous, ChannelsLast };
const char* layoutName(InferLayout layout);

/** How FastInference runs. */
struct FastInferOptions {
    /** Measure both layouts on this machine at construction (cached per process and network
     *  shape) unless MF_INFER_LAYOUT=contiguous|channels_last says otherwise, or `forceLayout`. */
    bool measureLayout = true;
    InferLayout forceLayout = InferLayout::Contiguous;  ///< used when measureLayout is false
    bool bf16 = false;   ///< bf16 weights and activations (CPU), fp16 on CUDA; logits come back fp32
    int probeSize = 128; ///< side of the probe image the layout is measured on
};

/**
 * The inference fast path of a segmentation network, built once from a trained network in eval
 * mode and run under c10::InferenceMode. For the reference networks (U-Net and encoder-decoder on
 * the plain encoder) every Conv→BatchNorm→ReLU of a block becomes one convolution with the batch
 * norm folded in (foldBatchNorm) and an in-place ReLU, weights packed once in the chosen
 * layout. Other architectures run their own module, converted to the chosen layout, under
 * InferenceMode. The layout (contiguous or channels-last) is chosen per machine by timing both.
 * Holds its own copies of the weights: later changes to the network are not seen.
 */
class FastInference {
public:
    FastInference(const SegmentationNet& net, const FastInferOptions& options = {});
    ~FastInference();
    FastInference(const FastInference&) = delete;
    FastInference& operator=(const FastInference&) = delete;

    /** Logits N×classes×H×W (float32, contiguous) of x N×C×H×W float on the network's device. */
    torch::Tensor forward(const torch::Tensor& x);

    InferLayout layout() const { return m_layout; }
    /** True when the network's blocks were folded and fused (the reference networks). */
    bool fused() const;
    /** Multiply-adds ×2 of the convolutions for one image of h×w (fused networks; 0 otherwise). */
    double flopsPerImage(int h, int w) const;
    /** e.g. "fused conv+bn+relu, channels_last, fp32". */
    std::string describe() const;

private:
    struct Fused;
    torch::Tensor run(const torch::Tensor& x);
    void setLayout(InferLayout layout);
    InferLayout measureLayout(int probeSize, int inChannels);

    SegmentationNet m_net;
    std::unique_ptr<Fused> m_fused;
    InferLayout m_layout = InferLayout::Contiguous;
    bool m_bf16 = false;
    torch::Device m_device{torch::kCPU};
};

} // namespace mf
