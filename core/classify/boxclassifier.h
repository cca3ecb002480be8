#pragma once
#include "classify/featurebank.h"
#include "classify/pixelforest.h"
#include "formats/annotation.h"

#include <opencv2/core.hpp>

#include <atomic>
#include <vector>

namespace mf {

/** How masks are learnt from boxes (BoxClassifier). */
struct BoxClassifierOptions {
    FeatureBankOptions features;
    ForestOptions forest;
    int backgroundSamples = 40000;  ///< pixels drawn from outside every box, over all images
    int boxSamples = 40000;         ///< pixels drawn from inside the boxes, over all images
    int minSamplesPerImage = 200;   ///< each image's share of either budget is at least this
    /** ...and at most this share of the image's pixels: neighbours say much the same, and a forest's
     *  training time grows with its samples (a few small images would otherwise give every pixel). */
    double maxPixelShare = 0.1;
    int rounds = 2;                 ///< tightness re-training rounds after the first forest
    float threshold = 0.5F;         ///< object probability that is always object inside a box
    /** Share of a box's rows and columns allowed to miss the object: a box's own threshold is this
     *  quantile of its row and column maxima (capped by `threshold`), so that the rest meet it. */
    float missQuantile = 0.1F;
    unsigned seed = 7;
    /** Checked between images and inside each forest's training: once set, addImages and run throw
     *  Cancelled (io/cancelled.h). */
    const std::atomic<bool>* cancel = nullptr;
};

/** What BoxClassifier found in one image. */
struct BoxClassification {
    cv::Mat labels;       ///< the coarse mask with each box's fill replaced by the object found in it
    cv::Mat probability;  ///< CV_32F object probability of each box's class inside the boxes (0 elsewhere)
    int emptyBoxes = 0;   ///< boxes where nothing passed the threshold (kept by the tightness prior alone)
};

/** Masks from the boxes of a set of images with a pixel forest and the tightness prior (every row and
 *  every column across a box meets its object; Lempitsky et al. 2009, BoxInst's projection term).
 *  One forest learns from all images together: a first one separates the pixels outside every box
 *  (background) from the box interiors; then, for every row and column of each box, its most object-like
 *  pixel becomes a positive of the box's class and the box's unlikely pixels background, and the forest
 *  is trained again (`rounds` times). A box's object is its pixels above the threshold plus each row's and
 *  column's most likely pixel, confined to the box's class in the coarse mask. A thin dark crack, which
 *  never occurs outside the boxes, comes out as a line; the texture around it, which occurs everywhere,
 *  as background. Pooling the images matters: a forest of one image learns where its box is (the large-σ
 *  features differ there) instead of what a defect looks like.
 *
 *  Memory: the features of the boxes' pixels are kept (4 bytes × features per box pixel) so that each
 *  round only predicts; the rest of each image's features are dropped after sampling. */
class BoxClassifier {
public:
    explicit BoxClassifier(BoxClassifierOptions options = {});
    ~BoxClassifier();
    BoxClassifier(BoxClassifier&&) noexcept;

    /** Adds one image (8-bit grey or RGB) with its coarse mask and boxes, and optionally `known` pixels
     *  (CV_8UC1, 255 = unknown: a reviewed mask, strokes) that train the forest and are kept as they
     *  are. Computes its features now. `expectedImages` sets each image's share of the sample budgets.
     *  Throws std::invalid_argument on sizes that disagree. Returns the image's index. */
    int addImage(const cv::Mat& image, const cv::Mat& coarse, const std::vector<DetectionBox>& boxes,
                 const cv::Mat& known = {}, int expectedImages = 1);
    /** addImage of several images (no known pixels), their features computed in parallel (OpenCV's pool,
     *  an image per task): the same result as adding them one by one in order, in a fraction of the time
     *  (the filter bank is most of the classifier's work). `coarse[i]` and `boxes[i]` belong to `images[i]`. */
    void addImages(const std::vector<cv::Mat>& images, const std::vector<cv::Mat>& coarse,
                   const std::vector<std::vector<DetectionBox>>& boxes, int expectedImages);

    /** Trains the forests (first one, then the tightness rounds) over every image added. Images whose
     *  boxes cover everything add no background, but learn from the others'. Throws std::runtime_error
     *  when no image gave both background and box samples (nothing to learn from). */
    void run();

    int images() const;
    /** The result for image `index` (after run()). */
    BoxClassification result(int index) const;

private:
    struct Image;
    struct Samples;
    Image prepare(const cv::Mat& image, const cv::Mat& coarse, const std::vector<DetectionBox>& boxes,
                  const cv::Mat& known, int expectedImages, std::size_t index) const;
    void checkCancel() const;
    Samples fixedSamples() const;
    void trainForest(const Samples& s, int round);
    void predict();

    BoxClassifierOptions m_options;
    std::vector<Image> m_images;
    PixelForest m_forest;
    bool m_ran = false;
};

/** One image's masks from its boxes alone (a BoxClassifier of that image): what a single image can
 *  learn. */
BoxClassification classifyBoxes(const cv::Mat& image, const cv::Mat& coarse, const std::vector<DetectionBox>& boxes,
                                const cv::Mat& known = {}, const BoxClassifierOptions& options = {});

} // namespace mf
