#pragma once
// The classifier prior of clickbench --prior classifier: the one pixel classifier of core/classify (the
// filter bank and vigra forest of the live classifier) trained once on the true masks of other images
// (object against background: what a project with reviewed masks knows), predicting each benchmark
// image's object probability, which the click segmenter takes as ClickQuery::prior.
#include "classify/liveclassifier.h"
#include "interactive/clickdata.h"

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mf {

struct ClassifierPriorOptions {
    ClassifierPriorOptions() {
        // The box classifier's forest (16 trees, depth 14): trained once, so its extra cost is paid once.
        classifier.forest.trees = 16;
        classifier.forest.maxDepth = 14;
        classifier.maxSamplesPerClass = 400;  // per class and training image: ~300 images give ~120 K rows per class
    }
    LiveClassifierOptions classifier;
    /** The forest learns from as many object as background samples per image, so its probabilities
     *  answer "object or background, even odds"; defects cover a few per cent of an image. true: the
     *  odds are scaled back by the training images' object-to-background pixel ratio (Bayes' rule with
     *  the true class frequencies), so a pixel is called object at 0.5 only where the evidence outweighs
     *  how rare objects are. */
    bool calibrate = true;
};

/** A pixel classifier of object against background. */
class ClassifierPrior {
public:
    /** Trains on every object pixel (label 1) and background pixel (label 0) of `training`'s truths
     *  (the ignore label left out; with several objects per image their union is the object), at most
     *  options.classifier.maxSamplesPerClass of each per image. Throws std::invalid_argument when the
     *  images hold no object pixel or no background pixel at all. */
    static ClassifierPrior train(const std::vector<ClickSample>& training, const ClassifierPriorOptions& options = {});
    /** Trains on the whole masks of the images that split.txt of `dir` marks `split` (loadClickData).
     *  Throws std::invalid_argument when `split` is empty or is `benchSplit` (the benchmark's own images'
     *  masks are never learnt from), FileError as loadClickData does. */
    static ClassifierPrior trainOnSplit(const std::string& dir, const std::string& split, const std::string& benchSplit,
                                        const ClassifierPriorOptions& options = {});

    /** The object probability of each pixel of `image` (CV_32FC1, the image's size, in [0, 1]). Uses the
     *  image alone: no mask is read. */
    cv::Mat predict(const cv::Mat& image) const;

    int trainingImages() const { return m_images; }
    int trainingSamples() const { return m_samples; }
    /** The factor the forest's odds are multiplied by (1 without calibration). */
    double oddsScale() const { return m_oddsScale; }

private:
    ClassifierPriorOptions m_options;
    std::shared_ptr<const PixelForest> m_forest;
    int m_images = 0, m_samples = 0;
    double m_oddsScale = 1.0;  ///< (object / background pixels) / (object / background samples)
};

/** A forest's object probability (class 1) as an image of `size`, from its per-pixel class probabilities
 *  (`probs`: one row per pixel in row order, one column per entry of `classes`), its odds multiplied by
 *  `oddsScale` (p / (1 - p) = scale · q / (1 - q): back to the true object share where the forest learnt from
 *  balanced samples); 0 everywhere where the forest never saw an object. One rule for the classifier prior
 *  and the click model. */
cv::Mat objectProbability(const cv::Mat& probs, const std::vector<int>& classes, cv::Size size, double oddsScale);

/** The prior of class `classId` from a prediction's per-class probability maps (softmax, CV_32FC1): that
 *  class's map when there is one of `size`, else empty (no prior: the model does not know the class or
 *  predicted another image). The one rule behind the GUI click tool's model prior and clickbench
 *  --prior model. */
cv::Mat classPrior(const std::vector<cv::Mat>& probabilities, int classId, cv::Size size);

/** An image's object prior from per-class maps: at each pixel the largest of its objects' classes'
 *  probabilities (classPrior; 0 where none has a map), what priorIoU scores the prior by. */
cv::Mat objectsPrior(const std::vector<cv::Mat>& probabilities, const ClickSample& sample);

/** The truth of an image as the union of its objects: 1 object, 0 background, 255 ignore. */
cv::Mat sampleTruth(const ClickSample& sample);

/** IoU of `prior` ≥ 0.5 against `truth` (1 object, 0 background, 255 left out). */
double priorIoU(const cv::Mat& prior, const cv::Mat& truth);

} // namespace mf
