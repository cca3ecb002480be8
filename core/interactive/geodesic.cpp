#include "interactive/geodesic.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mf {
namespace {

float colourDistance(const cv::Vec3f& a, const cv::Vec3f& b) {
    const cv::Vec3f d = a - b;
    return std::sqrt(d.dot(d));
}

/** One forward (top-left to bottom-right) or backward pass; returns whether anything got shorter. */
bool sweep(const cv::Mat& image, cv::Mat& dist, float edgeCost, bool forward) {
    const int w = image.cols, h = image.rows;
    const int dir = forward ? 1 : -1;
    // The already-visited neighbours of a pass: left, up-left, up, up-right (mirrored backwards).
    const int nx[4] = {-1, -1, 0, 1}, ny[4] = {0, -1, -1, -1};
    const float len[4] = {1.f, 1.41421356f, 1.f, 1.41421356f};
    bool changed = false;
    for (int k = 0; k < h; ++k) {
        const int y = forward ? k : h - 1 - k;
        for (int j = 0; j < w; ++j) {
            const int x = forward ? j : w - 1 - j;
            float& d = dist.at<float>(y, x);
            const cv::Vec3f& c = image.at<cv::Vec3f>(y, x);
            for (int n = 0; n < 4; ++n) {
                const int qx = x + dir * nx[n], qy = y + dir * ny[n];
                if (qx < 0 || qy < 0 || qx >= w || qy >= h)
                    continue;
                const float cand = dist.at<float>(qy, qx) + len[n] + edgeCost * colourDistance(c, image.at<cv::Vec3f>(qy, qx));
                if (cand < d)
                    d = cand, changed = true;
            }
        }
    }
    return changed;
}

} // namespace

cv::Mat geodesicDistance(const cv::Mat& image, const cv::Mat& sources, float edgeCost) {
    if (image.type() != CV_32FC3 || sources.type() != CV_8UC1 || image.size() != sources.size())
        throw std::invalid_argument("geodesicDistance needs a CV_32FC3 image and CV_8UC1 sources of its size");
    constexpr float kFar = 1e7f;
    cv::Mat dist(image.size(), CV_32FC1, cv::Scalar(kFar));
    dist.setTo(0.f, sources);
    if (cv::countNonZero(sources) == 0)
        return dist;
    for (int round = 0; round < 4; ++round) {
        const bool a = sweep(image, dist, edgeCost, true);
        const bool b = sweep(image, dist, edgeCost, false);
        if (!a && !b)
            break;
    }
    return dist;
}

std::vector<cv::Mat> boundaryWeights(const cv::Mat& image) {
    const int w = image.cols, h = image.rows;
    const int dx[4] = {1, 0, 1, -1}, dy[4] = {0, 1, 1, 1};
    std::vector<cv::Mat> sq(4);
    double sum = 0;
    long count = 0;
    for (int d = 0; d < 4; ++d) {
        sq[d] = cv::Mat::zeros(image.size(), CV_32FC1);
        for (int y = 0; y + dy[d] < h; ++y)
            for (int x = std::max(0, -dx[d]); x < w && x + dx[d] < w; ++x) {
                const cv::Vec3f diff = image.at<cv::Vec3f>(y, x) - image.at<cv::Vec3f>(y + dy[d], x + dx[d]);
                const float v = diff.dot(diff);
                sq[d].at<float>(y, x) = v;
                sum += v;
                ++count;
            }
    }
    const double beta = sum > 0 ? 1.0 / (2.0 * sum / std::max(1L, count)) : 0.0;
    std::vector<cv::Mat> out(4);
    for (int d = 0; d < 4; ++d) {
        cv::exp(sq[d] * -beta, out[d]);
        out[d] /= (dx[d] != 0 && dy[d] != 0) ? std::sqrt(2.0) : 1.0;
        // Entries without a neighbour in direction d hold exp(0) = 1 after the exp: zero them.
        if (dy[d] == 1)
            out[d].row(h - 1).setTo(0);
        if (dx[d] == 1)
            out[d].col(w - 1).setTo(0);
        if (dx[d] == -1)
            out[d].col(0).setTo(0);
    }
    return out;
}

} // namespace mf
