#pragma once
#include <opencv2/core.hpp>

namespace mf {

/** What a flood fill compares to decide whether a neighbour belongs to the region. */
enum class FloodSource { ImageColour, MaskValue };

/** Options of floodRegion. */
struct FloodOptions {
    FloodSource source = FloodSource::MaskValue;
    int tolerance = 0;          ///< max difference per channel from the seed's value (0..255)
    bool eightConnected = false;
};

/** The connected region found by floodRegion: a 0/255 CV_8UC1 patch covering `rect` in the mask. */
struct FloodRegion {
    cv::Rect rect;
    cv::Mat region;
    int pixels = 0;
};

/** The region connected to `seed` whose value (the image's colour or the mask's class, per
 *  `options.source`) stays within the tolerance of the seed's. A pure function: inputs are not
 *  modified. `image` is CV_8UC3 or CV_8UC1 and may be empty when the source is the mask. An out-of-range
 *  seed gives an empty region. */
FloodRegion floodRegion(const cv::Mat& image, const cv::Mat& mask, cv::Point seed, const FloodOptions& options);

} // namespace mf
