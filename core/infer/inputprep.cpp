#include "infer/inputprep.h"

#include <algorithm>

namespace mf {

void normaliseImage(const cv::Mat& rgb, float* dst, const std::vector<double>& mean, const std::vector<double>& std) {
    const int plane = rgb.rows * rgb.cols;
    for (int c = 0; c < 3; ++c) {
        cv::Mat channel;
        cv::extractChannel(rgb, channel, c);
        cv::Mat out(rgb.rows, rgb.cols, CV_32FC1, dst + static_cast<std::ptrdiff_t>(c) * plane);
        channel.convertTo(out, CV_32F, 1.0 / (255.0 * std[c]), -mean[c] / std[c]);
    }
}

TileGrid tileGrid(int tile, int overlap, int divisor) {
    TileGrid g;
    g.tile = std::max(divisor, tile / divisor * divisor);
    g.overlap = std::clamp(overlap, 0, g.tile - divisor);
    g.stride = std::max(divisor, (g.tile - g.overlap) / divisor * divisor);
    return g;
}

std::vector<int> tileStarts(int length, int tile, int stride) {
    std::vector<int> starts;
    if (length <= tile)
        return {0};
    for (int s = 0; s + tile < length; s += stride)
        starts.push_back(s);
    starts.push_back(length - tile);
    return starts;
}

std::vector<float> edgeRamp(int length, int ramp, bool rampStart, bool rampEnd) {
    std::vector<float> w(static_cast<std::size_t>(length), 1.0f);
    if (ramp <= 0)
        return w;
    for (int i = 0; i < std::min(ramp, length); ++i) {
        const float v = (i + 0.5f) / ramp;
        if (rampStart)
            w[i] = std::min(w[i], v);
        if (rampEnd)
            w[length - 1 - i] = std::min(w[length - 1 - i], v);
    }
    return w;
}

} // namespace mf
