#pragma once
#include "infer/predictor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mf {

/** Per-class calibration of a trained network: an offset added to each class's log-probability before
 *  the argmax (softmax(logits + b)). A network trained with class weights, Dice, or on machine-made labels
 *  (boxes refined into masks) is biased towards or against some classes; the offsets that score best on
 *  trusted masks correct that without retraining (docs/calibration.md). */

/** Pixels of evidence: each sampled pixel's log-probabilities and its true class. */
class CalibrationSamples {
public:
    explicit CalibrationSamples(int classCount, int ignoreIndex = 255) : m_classes(classCount), m_ignore(ignoreIndex) {}
    /** Adds the pixels of one image (every `stride`-th in raster order so that at most `maxPixels` are
     *  kept, at least 1 in 64): `prediction` uncalibrated, `truth` CV_8UC1 class indices of its size;
     *  pixels at the ignore index or at no class are skipped. Throws std::invalid_argument on a size or
     *  class-count mismatch. */
    void add(const Prediction& prediction, const cv::Mat& truth, long maxPixels = 1 << 18);
    int classCount() const { return m_classes; }
    int images() const { return m_images; }
    std::size_t pixels() const { return m_label.size(); }
    /** Confusion counts (truth row, prediction column, classes × classes) of the argmax of log p + bias:
     *  over every pixel (fold -1), or over the images whose index is fold mod 2 (inFold) or is not. */
    std::vector<long long> confusion(const std::vector<double>& bias, int fold = -1, bool inFold = true) const;

private:
    int m_classes;
    int m_ignore;
    int m_images = 0;
    std::vector<float> m_logp;        ///< pixels × classes
    std::vector<std::uint8_t> m_label;
    std::vector<int> m_image;         ///< the image each pixel came from
};

/** The score calibration maximises: mean IoU over the classes other than 0 (background) that occur in
 *  the evidence's truth or predictions; with two classes, class 1's IoU. */
double calibrationScore(const std::vector<long long>& confusion, int classCount);

/** What fitting found. */
struct CalibrationFit {
    std::vector<double> bias;   ///< one offset per class (class 0: 0); all 0 when not applied
    std::vector<double> fitted; ///< the offsets fitted on all the evidence, applied or not
    double before = 0;          ///< calibrationScore on the evidence without offsets
    double after = 0;           ///< with the fitted offsets (on the evidence they were fitted on)
    double heldOutGain = 0;     ///< two-fold: mean gain on the half of the images each fit did not see
    bool applied = false;       ///< fitted offsets are kept: they gain on held-out halves (heldOutGain > 0)
    std::string note;           ///< one line: evidence, offsets, scores, decision
};

/** Fits per-class offsets on `samples` by coordinate ascent over {-1, -0.5, 0, 0.5, 1} (two rounds;
 *  ties keep the smaller offset), and checks them two-fold (images alternately in two halves: fit on
 *  one, score on the other): the offsets are applied only when they gain on the halves they were not
 *  fitted on, on average. `evidence` names the evidence in the note. */
CalibrationFit fitClassBias(const CalibrationSamples& samples, const std::string& evidence);

/** Applies `bias` to a prediction: probabilities p_c e^{b_c} renormalised, labels their argmax (the
 *  first class winning ties). An empty bias leaves it as it is. */
void applyClassBias(Prediction& prediction, const std::vector<double>& bias);

/** "+0.5 -1 0 …" for notes and logs. */
std::string describeBias(const std::vector<double>& bias);

} // namespace mf
