#pragma once
#include "models/segmentationnet.h"

#include <cstdint>
#include <string>

namespace mf {

/** Everything that chooses and sizes a segmentation network; plain data, copied freely. */
struct ModelSpec {
    std::string arch = "unet";      // "encdec" | "unet" | "unetpp"
    std::string encoder = "plain";  // "plain" | "resnet18" | "resnet34" | "efficientnet_b0"
    int inChannels = 3;
    int classes = 2;
    int width = 32;
    int depth = 4;
    bool attention = false;         // unetpp: self-attention in the bottleneck
    int attentionHeads = 4;
    bool deepSupervision = false;   // unetpp
};

/**
 * Builds the network a spec describes, with fresh (random) weights. Pretrained encoders
 * honour depth (1..5, smp's encoder_depth); load their weights with loadTorchvisionStateDict.
 * Throws std::invalid_argument naming the bad field.
 */
SegmentationNet makeModel(const ModelSpec& spec);
/** A short human-readable name, e.g. "unet(plain, w=32, d=4, C=2)". */
std::string describe(const ModelSpec& spec);
/** Number of trainable scalars (parameters, not buffers). */
std::int64_t parameterCount(const torch::nn::Module& m);

} // namespace mf
