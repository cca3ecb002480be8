#pragma once
#include <torch/nn/module.h>

#include <string>
#include <utility>
#include <vector>

namespace mf {

/** Tensors by name, in file order. */
using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

/**
 * Reads a file written by Python's torch.save(model.state_dict(), path) (zip format).
 * Throws std::runtime_error naming the file when it cannot.
 */
NamedTensors readTorchStateDict(const std::string& path);

/** What loadTorchvisionStateDict did. */
struct StateDictLoadReport {
    std::vector<std::string> loaded;  // our names, parameters and buffers
    std::vector<std::string> dropped; // torchvision names with no counterpart (classifier, …)
};

/**
 * Copies a torchvision resnet18/resnet34/efficientnet_b0 state_dict into a ResNetEncoder or
 * EfficientNetEncoder, or into a segmentation net built on one (its child named "encoder").
 * Name mapping: torchvision name n -> our n, or "encoder." + n inside a net (the encoders
 * repeat torchvision's layout); keys under the encoder's droppedTorchvisionPrefixes() (fc.,
 * classifier., features.8., stages past depth) are skipped. Throws std::runtime_error naming the
 * file and the key on an unexpected key, a missing key or a shape mismatch; copies nothing then.
 */
StateDictLoadReport loadTorchvisionStateDict(torch::nn::Module& module, const std::string& path);

} // namespace mf
