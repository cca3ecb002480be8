#pragma once
#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mf {

/** How to predict one image. */
struct PredictOptions {
    int tile = 0;          ///< sliding-window tile side; 0: the run's training size when the image is larger
    int overlap = 32;      ///< pixels shared by neighbouring tiles
    bool flipTta = false;  ///< average with the horizontally flipped prediction
    std::string device = "auto";
};

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
    static std::unique_ptr<Predictor> open(const std::string& runOrCheckpoint, const std::string& device = "auto");
    virtual Prediction predict(const cv::Mat& rgb, const PredictOptions& options = {}) = 0;
    virtual int classCount() const = 0;
    virtual int trainingSize() const = 0;
    virtual std::string description() const = 0;
};

} // namespace mf
