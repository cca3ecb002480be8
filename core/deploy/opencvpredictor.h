#pragma once
#include "deploy/onnxmodelinfo.h"
#include "infer/predictor.h"

#include <opencv2/dnn.hpp>

#include <memory>
#include <string>

namespace mf::deploy {

/**
 * The OpenCV engine: runs a model written by exportOnnx through OpenCV's DNN module, with no
 * LibTorch at inference (this file and its .cpp include no torch header). Preprocessing, tiling
 * and blending are the LibTorch predictor's (infer/inputprep.h), so both engines see the same input.
 * Thread-compatible: one call at a time.
 */
class OpenCvPredictor : public Predictor {
public:
    /** Reads `onnxPath`; throws FileError naming it when it is missing, not ONNX, not MaskForge's,
     *  or rejected by OpenCV's importer. */
    explicit OpenCvPredictor(const std::string& onnxPath);

    Prediction predict(const cv::Mat& rgb, const PredictOptions& options = {}) override;
    int classCount() const override { return m_info.classes; }
    int trainingSize() const override { return m_info.size; }
    PredictOptions asTrained() const override {
        PredictOptions o;
        o.tile = m_info.predictTile;
        o.overlap = m_info.predictOverlap;
        o.flipTta = m_info.predictFlip ? 1 : 0;
        return o;
    }
    std::string description() const override;

    /** The network's logits (N×classes×H×W, CV_32F) for a normalised N×Cin×H×W CV_32F blob. */
    cv::Mat logits(const cv::Mat& blob);
    const OnnxModelInfo& info() const { return m_info; }

private:
    std::vector<cv::Mat> forwardPadded(const cv::Mat& rgb);
    std::vector<cv::Mat> probabilities(const cv::Mat& rgb, bool flipTta);
    std::vector<cv::Mat> resized(const cv::Mat& rgb, bool flipTta);
    std::vector<cv::Mat> tiled(const cv::Mat& rgb, int tile, int overlap, bool flipTta);

    std::string m_file;
    OnnxModelInfo m_info;
    cv::dnn::Net m_net;
};

} // namespace mf::deploy
