#include "deploy/onnxmodelinfo.h"

#include "io/atomicfile.h"
#include "io/errors.h"

#include <nlohmann/json.hpp>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <filesystem>

namespace mf::deploy {
namespace {

constexpr const char* kFormat = "maskforge-onnx";
constexpr int kVersion = 1;

onnx::ModelProto parseModel(const std::string& path) {
    if (!std::filesystem::is_regular_file(path))
        throw FileError(path, "no such ONNX model file");
    onnx::ModelProto model;
    if (!model.ParseFromString(readFileBytes(path)))
        throw FileError(path, "not an ONNX model (the protobuf does not parse)");
    return model;
}

} // namespace

std::string onnxMetadataJson(const OnnxModelInfo& m) {
    const nlohmann::json j{{"format", kFormat}, {"version", kVersion},
                           {"classes", m.classes}, {"in_channels", m.inChannels},
                           {"size", m.size}, {"size_divisor", m.sizeDivisor},
                           {"fixed_size", m.fixedSize}, {"predict_tile", m.predictTile},
                           {"predict_overlap", m.predictOverlap},
                           {"predict_flip", m.predictFlip}, {"mean", m.mean}, {"std", m.std},
                           {"class_names", m.classNames}, {"description", m.description},
                           {"input", "image"}, {"output", "logits"}};
    return j.dump();
}

OnnxModelInfo readOnnxModelInfo(const std::string& path) {
    const auto model = parseModel(path);
    for (const auto& prop : model.metadata_props()) {
        if (prop.key() != kOnnxMetadataKey)
            continue;
        try {
            const auto j = nlohmann::json::parse(prop.value());
            if (j.value("format", "") != kFormat)
                break;
            if (j.value("version", 0) > kVersion)
                throw FileError(path, "model exported by a newer MaskForge (version "
                                          + std::to_string(j.value("version", 0)) + ")");
            OnnxModelInfo m;
            m.classes = j.at("classes");
            m.inChannels = j.at("in_channels");
            m.size = j.at("size");
            m.sizeDivisor = j.at("size_divisor");
            m.fixedSize = j.at("fixed_size");
            m.predictTile = j.value("predict_tile", 0);  // older exports: resize
            m.predictOverlap = j.value("predict_overlap", 0);
            m.predictFlip = j.value("predict_flip", false);  // older exports: no mirror
            m.mean = j.at("mean").get<std::vector<double>>();
            m.std = j.at("std").get<std::vector<double>>();
            m.classNames = j.at("class_names").get<std::vector<std::string>>();
            m.description = j.at("description");
            return m;
        } catch (const nlohmann::json::exception& e) {
            throw FileError(path, std::string("damaged MaskForge metadata: ") + e.what());
        }
    }
    throw FileError(path, "an ONNX model, but not one exported by MaskForge (no '" + std::string(kOnnxMetadataKey)
                              + "' metadata)");
}

void checkOnnxFile(const std::string& path) {
    const auto model = parseModel(path);
    try {
        onnx::checker::check_model(model);
    } catch (const std::exception& e) {
        throw FileError(path, std::string("fails ONNX's checker: ") + e.what());
    }
}

} // namespace mf::deploy
