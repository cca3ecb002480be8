#pragma once
#include "runs/trainconfig.h"

#include <array>
#include <opencv2/core.hpp>
#include <random>
#include <utility>

namespace mf {

/** Native-resolution cropping (TrainConfig::input = crop) instead of the resize: a size×size window
 *  of the image at its own scale, padded (image 0, mask `maskFill`) where the image is smaller;
 *  with probability `foreground` the window is centred on a random pixel of a class other than the
 *  mask's most common one (whatever its index), drawn uniformly from those in the mask (rare classes
 *  are seen as often as common ones). */
struct NativeCrop {
    bool enabled = false;
    double foreground = 0.0;
};

/** Training augmentations of one image/mask pair (albumentations-like), OpenCV only.
 *
 *  Order: random crop -> resize to size×size (INTER_LINEAR image, INTER_NEAREST mask; or, in
 *  native-crop mode, a size×size window at the image's own scale instead of both; seed 002 also
 *  resized first, and the warps below are cheaper at the network size) -> horizontal flip -> vertical
 *  flip -> shift-scale-rotate -> grid distortion -> optical distortion -> Gaussian blur ->
 *  brightness/contrast -> JPEG. Each step runs with its probability from AugmentConfig. Geometric
 *  steps move image and mask identically, the mask by nearest neighbour so it only ever holds values it
 *  had; pixels coming from outside the image are 0 (black) in the image and `maskFill` in the mask.
 *  The loader passes the ignore index as `maskFill`, so invented borders count for no class.
 *  All draws come from the caller's generator: the same seed gives the same output. */
class Augmenter {
public:
    Augmenter(const AugmentConfig& config, int size, int maskFill = 0, NativeCrop crop = {});

    /** `rgb` CV_8UC3 and `mask` CV_8UC1 of the same size; replaced by size×size results (never
     *  written in place, so shared/cached inputs are safe). Throws std::invalid_argument otherwise. */
    void apply(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const;

    /** The plain evaluation transform: resize only. */
    static void resize(cv::Mat& rgb, cv::Mat& mask, int size);

    int size() const { return m_size; }

private:
    void randomCrop(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const;
    void nativeCrop(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const;
    void shiftScaleRotate(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const;
    void gridDistortion(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const;
    void opticalDistortion(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const;
    void photometric(cv::Mat& rgb, std::mt19937_64& rng) const;
    void remapBoth(cv::Mat& rgb, cv::Mat& mask, const cv::Mat& mapX, const cv::Mat& mapY) const;

    AugmentConfig m_config;
    int m_size;
    int m_maskFill;
    NativeCrop m_crop;
};

/** Four-image mosaic (seed 002): a random centre splits the size×size output into four quadrants;
 *  quadrant k (top-left, top-right, bottom-left, bottom-right) is a random window of in[k] resized to
 *  size×size. Masks follow their images exactly (nearest neighbour). */
void mosaic(const std::array<std::pair<cv::Mat, cv::Mat>, 4>& in, cv::Mat& outImage, cv::Mat& outMask, int size,
            std::mt19937_64& rng);

} // namespace mf
