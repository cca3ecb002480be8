#pragma once
#include <opencv2/core.hpp>

#include <vector>

namespace mf {

/** Writes the network input of an 8-bit RGB image as channel planes (x/255 − mean)/std into `dst`
 *  (3·rows·cols floats). Torch-free: the training loader, the LibTorch predictor and the OpenCV
 *  engine feed networks through this one function. */
void normaliseImage(const cv::Mat& rgb, float* dst, const std::vector<double>& mean, const std::vector<double>& std);

/** Sliding-window geometry for tiled prediction: tile and stride on the network's size divisor. */
struct TileGrid {
    int tile = 0;
    int overlap = 0;
    int stride = 0;
};
/** The tile side rounded down to `divisor`, the overlap clamped below it, the stride they leave. */
TileGrid tileGrid(int tile, int overlap, int divisor);

/** Tile origins along one axis: multiples of `stride` (kept on the network's pooling grid) and a
 *  last tile flush with the far edge. */
std::vector<int> tileStarts(int length, int tile, int stride);

/** Weights along one axis of a tile: 1 inside, a linear ramp over `ramp` pixels at an edge that lies
 *  inside the image (where a neighbouring tile takes over), so overlapping tiles blend smoothly and
 *  each pixel is decided mostly by the tile that sees it farthest from an edge. */
std::vector<float> edgeRamp(int length, int ramp, bool rampStart, bool rampEnd);

} // namespace mf
