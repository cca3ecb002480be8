#pragma once
#include "classify/featurebank.h"
#include "classify/pixelforest.h"
#include "review/refinement.h"

#include <opencv2/core.hpp>

#include <atomic>
#include <map>
#include <vector>

namespace mf {

/** How learnedProposals learns from the trusted masks. */
struct LearnedOptions {
    FeatureBankOptions features;
    ForestOptions forest;
    int samplesPerBox = 800;  ///< pixels drawn from each training box's fill (uniformly: the box's share of object kept)
    int folds = 8;            ///< the training images' own proposals come from forests trained on the other folds
    double smoothSigma = 1.0; ///< the object probability is smoothed by this σ before the threshold
    float threshold = 0.5F;   ///< object where the smoothed probability reaches this...
    /** ...or, per class, the one of these whose objects match the teaching boxes' true objects best, by the
     *  probabilities of the forests that never saw them (regions that fill much of their box want a lower
     *  one than blowholes and cracks). */
    bool classThresholds = true;
    /** A class takes its own threshold when this many teaching images hold it; with fewer, the pooled one
     *  (the best mean of the classes' IoUs): a threshold chosen on two or three images is noise. */
    int ownThresholdImages = 5;
    std::vector<float> thresholds = {0.2F, 0.25F, 0.3F, 0.35F, 0.4F, 0.45F, 0.5F, 0.55F, 0.6F, 0.65F, 0.7F};
    unsigned seed = 11;
    const std::atomic<bool>* cancel = nullptr;  ///< checked between images and inside the forests' training
};

/** One image of a learned refinement: its image and boxes, and a trusted mask when it teaches (empty when
 *  it is only refined). Not owned. */
struct LearnedImage {
    const cv::Mat* image = nullptr;       ///< 8-bit grey or RGB, the coarse mask's size
    const CoarseStart* start = nullptr;
    cv::Mat truth;                        ///< CV_8UC1 class labels (255 or any other ignored value: not learnt)
};

/** The features learnedProposals describes a box's pixels by (rows: the box's pixels row-major, CV_32F):
 *  the filter bank (`bank`, the image's) and, since what a defect's pixels look like depends on where they
 *  are in their box and on what the box holds, the pixel's place in its box (distance to the box's edge
 *  over its half side, to its centre along x and y), its distance to the image's border over the box's
 *  side (chipped edges lie on it), the box's size and share of the image, its contrast to the surface
 *  around the box in brightness and in texture (boxContrast, darker and smoother positive), its rank
 *  within the box in both, and the box's class (one column per class 1..classCount-1). */
cv::Mat learnedBoxFeatures(const FeatureStack& bank, const cv::Mat& grey, const cv::Mat& texture, const cv::Mat& outside,
                           const DetectionBox& box, int classCount);

/** Masks from boxes learnt from the trusted masks (a project's reviewed images): one forest, over every
 *  box of the teaching images, learns which of a box's pixels are its object (the true mask's pixels of
 *  the box's class) from learnedBoxFeatures; every other image's boxes are predicted by it, each box's
 *  object its smoothed probability above the threshold, confined as grabCutProposal's to its class's
 *  coarse fill (a box where nothing passes keeps its fill, emptyBoxes); `thresholds` (when given) receives each class's. A teaching image's own proposal
 *  comes from a forest that never saw it (its fold left out; with a single teaching image, its fill), so
 *  that scoring the proposals on the teaching masks is honest. Where the box methods fail on regions
 *  (break, fray: half the box, about as bright as the tile), what such a region looks like in its box is
 *  what the project's reviewed images know. Throws std::runtime_error without a teaching image that holds
 *  a box, std::invalid_argument on sizes that disagree, Cancelled. */
std::vector<RefinementProposal> learnedProposals(const std::vector<LearnedImage>& images, int classCount,
                                                 const LearnedOptions& options = {},
                                                 std::map<int, float>* thresholds = nullptr);

} // namespace mf
