#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace mf::deploy {

/** What exportOnnx wrote: plain data for the CLI to print. */
struct OnnxExportInfo {
    std::string description;          ///< the network, as describe() names it
    int fixedSize = 0;                ///< 0: any H, W divisible by sizeDivisor; else the one side (attention)
    int sizeDivisor = 1;
    int classes = 0;
    std::size_t nodes = 0;
    std::size_t initializers = 0;
    std::vector<std::string> opTypes; ///< distinct ONNX operators used, sorted
};

/**
 * Writes the network of a run folder (best.pt, else last.pt) or checkpoint file as an ONNX model
 * (opset 13) that OpenCV 4.6's DNN module reads: input "image" N×Cin×H×W (normalised as in
 * training), output "logits" N×classes×H×W; batch norms folded into the convolutions, constants as
 * initializers, LayerNorm written out as ReduceMean/Sub/Mul/Add/Sqrt/Div. The checkpoint's
 * preprocessing (size, mean, std, class names) is stored in metadata_props["maskforge"] as JSON.
 * The model passes onnx::checker::check_model before it is written (atomically).
 * Throws FileError naming the checkpoint or `outPath`.
 */
OnnxExportInfo exportOnnx(const std::string& runOrCheckpoint, const std::string& outPath);

} // namespace mf::deploy
