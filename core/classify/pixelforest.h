#pragma once
#include <opencv2/core.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace mf {

/** How a PixelForest grows. */
struct ForestOptions {
    int trees = 16;  ///< fewer than ilastik's 100: two CPU cores, and the boxes' pixels are predicted once per round
    int maxDepth = 14;       ///< 0: grow until pure
    int minSamplesSplit = 4;  ///< used when maxDepth is 0
    int threads = 0;          ///< 0: every hardware thread
    unsigned seed = 1;
    /** Checked at every split while training: once set, train() throws Cancelled (io/cancelled.h) within a
     *  split's time, and the forest is left as it was. A batch refinement stopped by the person must not
     *  wait for a forest of 80 000 samples. */
    const std::atomic<bool>* cancel = nullptr;
};

/** A random forest over pixel feature samples (rows of CV_32F, one column per feature), multi-class,
 *  answering class probabilities. Backed by vigra's rf3 forest (the one ilastik grew from): it trains and
 *  predicts on several threads and answers probabilities directly, where OpenCV's ml::RTrees is
 *  single-threaded and answers votes only through a slower call (measured, see docs/boxes-to-masks.md). */
class PixelForest {
public:
    PixelForest();
    ~PixelForest();
    PixelForest(PixelForest&&) noexcept;
    PixelForest& operator=(PixelForest&&) noexcept;

    /** Trains on `samples` (N × F, CV_32F) with labels (N, any ints: class ids). Replaces any earlier
     *  forest. Throws std::invalid_argument when there are no samples, sizes disagree or only one label;
     *  Cancelled when options.cancel is set meanwhile. */
    void train(const cv::Mat& samples, const std::vector<int>& labels, const ForestOptions& options = {});

    bool trained() const;
    /** The labels seen in training, ascending: the columns of probabilities(). */
    const std::vector<int>& classes() const { return m_classes; }
    int features() const { return m_features; }

    /** N × classes() probabilities (CV_32F) of `samples` (N × features()): each tree's leaf class shares,
     *  averaged. Predicted by a flattened copy of the forest (branch-free walks, leaves' shares summed). */
    cv::Mat probabilities(const cv::Mat& samples) const;
    /** The same answer by vigra's own rf3 prediction (per-instance, with allocations): the reference the
     *  flattened prediction is tested and benchmarked against. */
    cv::Mat referenceProbabilities(const cv::Mat& samples) const;
    /** The probabilities of the pixels of `roi` (row-major) in `planes` (one CV_32FC1 plane per feature,
     *  features() of them): the same answer as probabilities(samples of roi), read straight from the planes
     *  a row at a time (no per-pixel sample rows: a whole image's prediction once spent two thirds of its
     *  time building and converting them), rows spread over every thread. */
    cv::Mat probabilities(const std::vector<cv::Mat>& planes, cv::Rect roi) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::vector<int> m_classes;
    int m_features = 0;
    int m_threads = 0;
};

} // namespace mf
