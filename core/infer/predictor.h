#pragma once
#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mf {

/** How to predict one image. */
struct PredictOptions {
    /** -1: as the run was trained (tiles of its predict_tile with its overlap at the image's own
     *  resolution for a crop-trained run, else the resize below); 0: the whole image resized to the
     *  run's training size (as training saw it) and the probabilities resized back; > 0: the image at
     *  its own resolution, in sliding-window tiles of this side (rounded down to the network's size
     *  divisor) when it is larger, else whole. */
    int tile = -1;
    int overlap = 32;      ///< pixels shared by neighbouring tiles (tile > 0); their probabilities are blended
    /** Average with the prediction of the horizontally mirrored image: -1 as the run was trained (its
     *  predict_flip), 0 no, 1 yes. */
    int flipTta = -1;
    int batchTiles = 0;    ///< tiles per network call; 0: as many as fit about a million pixels
    std::string device = "auto";
    /** Number format of the network's arithmetic (Predictor::open and evaluate read it):
     *  auto | fp32 | bf16 (see resolveInferPrecision). */
    std::string precision = "auto";
    /** Apply the run's per-class calibration offsets (CheckpointMeta::classBias, fitted after training on
     *  trusted masks; infer/calibration.h) when it has any; false: the network's own probabilities. */
    bool calibrated = true;
};

/** The precision a prediction runs in for `asked` (auto | fp32 | bf16): "auto" is bf16 on a CPU with
 *  bf16 units (AVX-512 BF16 or AMX: 1.9-2.0x fp32 there, the same horse IoU, docs/performance.md) and
 *  fp32 everywhere else (CPUs without them, where bf16 is slower; CUDA, where fp16 has not been
 *  measured). Returns "fp32" or "bf16"; throws std::invalid_argument for anything else. */
std::string resolveInferPrecision(const std::string& asked, bool cudaDevice, bool cpuHasBf16Units);

/** A prediction at the image's own resolution. */
struct Prediction {
    cv::Mat labels;                     ///< CV_8UC1 argmax class per pixel
    std::vector<cv::Mat> probabilities; ///< one CV_32FC1 softmax map per class
};

/** Runs a trained network (a run folder's best.pt, or a checkpoint file) on images. Torch-free
 *  interface so the GUI can hold one; thread-compatible (one call at a time). */
class Predictor {
public:
    virtual ~Predictor() = default;
    /** Opens `runOrCheckpoint`; throws FileError naming the file when it is missing or not a MaskForge checkpoint. */
    static std::unique_ptr<Predictor> open(const std::string& runOrCheckpoint, const std::string& device = "auto",
                                           const std::string& precision = "auto");
    virtual Prediction predict(const cv::Mat& rgb, const PredictOptions& options = {}) = 0;
    virtual int classCount() const = 0;
    virtual int trainingSize() const = 0;
    /** The options tile = -1 and flipTta = -1 stand for: {tile, overlap} as the run was trained ({0, …}
     *  for resize) and its predict_flip (0 or 1). */
    virtual PredictOptions asTrained() const = 0;
    virtual std::string description() const = 0;
    /** "fp32" or "bf16" (fp16 on CUDA): what the network computes in. */
    virtual std::string precision() const { return "fp32"; }
};

struct CheckpointMeta;
/** How a run wants to be predicted, from the config embedded in its checkpoint: crop-trained runs in
 *  tiles at native resolution, others resized (what PredictOptions::tile = -1 means), mirrored too
 *  when its predict_flip says so (flipTta = -1). */
PredictOptions asTrainedOptions(const CheckpointMeta& meta);

} // namespace mf
