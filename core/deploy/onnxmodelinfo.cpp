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

/** Dimension `d` of a graph input's or output's tensor shape; 0 when it is not a fixed number. */
long long fixedDim(const onnx::ValueInfoProto& v, int d) {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape())
        return 0;
    const auto& shape = v.type().tensor_type().shape();
    if (d >= shape.dim_size() || !shape.dim(d).has_dim_value())
        return 0;
    return shape.dim(d).dim_value();
}

/** The metadata checked against itself and the graph's real input and output shapes: a crafted file
 *  must fail here with a clear message, never read past a vector or a blob later. */
void checkAgainstGraph(const OnnxModelInfo& m, const onnx::ModelProto& model, const std::string& path) {
    const auto bad = [&](const std::string& what) { throw FileError(path, "MaskForge metadata does not fit the model: " + what); };
    if (m.classes < 1 || m.classes > 255)
        bad("classes is " + std::to_string(m.classes) + " (1..255 expected)");
    if (m.inChannels != 3)
        bad("in_channels is " + std::to_string(m.inChannels) + " (RGB models take 3)");
    if (m.mean.size() != 3 || m.std.size() != 3)
        bad("mean and std need 3 values (one per RGB channel), have " + std::to_string(m.mean.size()) + " and " + std::to_string(m.std.size()));
    for (double s : m.std)
        if (!(s > 0))
            bad("a std value is not positive");
    if (m.size < 1 || m.sizeDivisor < 1 || m.fixedSize < 0 || m.predictTile < 0 || m.predictOverlap < 0)
        bad("size, size_divisor, fixed_size or the tiling are out of range");
    if (!m.classNames.empty() && static_cast<int>(m.classNames.size()) != m.classes)
        bad(std::to_string(m.classNames.size()) + " class names for " + std::to_string(m.classes) + " classes");
    const auto& graph = model.graph();
    if (graph.input_size() < 1 || graph.output_size() != 1)
        bad("the graph has " + std::to_string(graph.input_size()) + " inputs and " + std::to_string(graph.output_size()) +
            " outputs (one image input and one logits output expected)");
    // Initializers may be listed as inputs too (older exporters): the image is the first that is not one.
    const onnx::ValueInfoProto* image = nullptr;
    for (const auto& in : graph.input()) {
        bool initializer = false;
        for (const auto& t : graph.initializer())
            initializer = initializer || t.name() == in.name();
        if (!initializer) {
            image = &in;
            break;
        }
    }
    if (!image)
        bad("the graph has no image input");
    if (const long long c = fixedDim(*image, 1); c && c != m.inChannels)
        bad("the network's input has " + std::to_string(c) + " channels, the metadata says " + std::to_string(m.inChannels));
    if (const long long c = fixedDim(graph.output(0), 1); c && c != m.classes)
        bad("the network gives " + std::to_string(c) + " class planes, the metadata says " + std::to_string(m.classes) + " classes");
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
                           {"input", "image"}, {"output", "logits"}, {"class_bias", m.classBias}};
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
            m.classBias = j.value("class_bias", std::vector<double>{});  // older exports: uncalibrated
            m.mean = j.at("mean").get<std::vector<double>>();
            m.std = j.at("std").get<std::vector<double>>();
            m.classNames = j.at("class_names").get<std::vector<std::string>>();
            m.description = j.at("description");
            checkAgainstGraph(m, model, path);
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
