#pragma once
#include <string>
#include <vector>

namespace mf::deploy {

/** The metadata_props key under which an exported model carries its OnnxModelInfo as JSON. */
inline constexpr const char* kOnnxMetadataKey = "maskforge";

/** How to feed an exported MaskForge model, read from its metadata (torch-free). */
struct OnnxModelInfo {
    int classes = 0;
    int inChannels = 3;
    int size = 0;         ///< training input side (the predictor's resize mode uses it)
    int sizeDivisor = 1;  ///< H and W must be multiples of this
    int fixedSize = 0;    ///< 0: any H, W; else the only side the graph takes
    int predictTile = 0;     ///< as trained: 0 resize to `size`; > 0 tiles of this side at native resolution
    int predictOverlap = 0;  ///< as trained: the tiles' overlap
    bool predictFlip = false;  ///< as trained: average with the mirrored image's prediction
    std::vector<double> classBias;  ///< the run's calibration offsets (CheckpointMeta::classBias); empty: none
    std::vector<double> mean, std;
    std::vector<std::string> classNames;
    std::string description;
};

/** The JSON stored under kOnnxMetadataKey. */
std::string onnxMetadataJson(const OnnxModelInfo& info);

/** Reads the MaskForge metadata of an .onnx file; throws FileError naming `path` when it is
 *  missing, not an ONNX model, or not exported by MaskForge. */
OnnxModelInfo readOnnxModelInfo(const std::string& path);

/** Runs onnx::checker::check_model on a file; throws FileError naming `path` with the checker's message. */
void checkOnnxFile(const std::string& path);

} // namespace mf::deploy
