#pragma once
// A tiny random U-Net checkpoint for tests of what reads checkpoints (predictor, calibration).
#include "models/checkpoint.h"
#include "models/modelfactory.h"

#include <unistd.h>

#include <filesystem>
#include <string>

namespace mf::test {

/** A checkpoint of a small fully convolutional U-Net with random weights (BN in eval mode). */
inline std::string makeCheckpoint(const std::string& name, int size = 64, const std::string& configYaml = {}) {
    const auto dir = std::filesystem::temp_directory_path() / ("mf_predictor_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    ModelSpec spec;
    spec.arch = "unet";
    spec.width = 4;
    spec.depth = 2;
    spec.classes = 3;
    torch::manual_seed(7);
    auto model = makeModel(spec);
    CheckpointMeta meta;
    meta.spec = spec;
    meta.classNames = {"background", "a", "b"};
    meta.size = size;
    meta.epoch = 3;
    meta.configYaml = configYaml;
    const auto path = (dir / name).string();
    saveCheckpoint(path, *model, nullptr, meta);
    return path;
}

} // namespace mf::test
