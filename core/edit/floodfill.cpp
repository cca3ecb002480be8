#include "edit/floodfill.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <stdexcept>

namespace mf {

FloodRegion floodRegion(const cv::Mat& image, const cv::Mat& mask, cv::Point seed, const FloodOptions& options) {
    const cv::Mat& source = options.source == FloodSource::ImageColour ? image : mask;
    if (source.empty())
        throw std::invalid_argument("floodRegion: the source to compare is empty");
    if (!cv::Rect(0, 0, source.cols, source.rows).contains(seed))
        return {};
    const int tol = std::clamp(options.tolerance, 0, 255);
    // floodFill with MASK_ONLY leaves `source` untouched (the cast is safe) and marks the region in
    // a bordered mask; FIXED_RANGE compares with the seed, so gradients cannot leak the fill away.
    cv::Mat marks = cv::Mat::zeros(source.rows + 2, source.cols + 2, CV_8UC1);
    const int flags = (options.eightConnected ? 8 : 4) | cv::FLOODFILL_MASK_ONLY | cv::FLOODFILL_FIXED_RANGE | (255 << 8);
    cv::Rect bounds;
    const cv::Scalar diff = cv::Scalar::all(tol);
    const int pixels = cv::floodFill(const_cast<cv::Mat&>(source), marks, seed, cv::Scalar(), &bounds, diff, diff, flags);
    FloodRegion out;
    out.rect = bounds;
    out.region = marks(bounds + cv::Point(1, 1)).clone();
    out.pixels = pixels;
    return out;
}

} // namespace mf
