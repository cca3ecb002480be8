#include "review/contrastrefinement.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace mf {
namespace {

float quantile(std::vector<float> v, float q) {
    if (v.empty())
        return 0.F;
    const auto k = static_cast<std::size_t>(std::clamp(q, 0.F, 1.F) * static_cast<float>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

cv::Rect contextOf(const cv::Rect& box, const cv::Size& size, const ContrastOptions& o) {
    const int m = std::max(o.minContext, static_cast<int>(std::lround(o.contextScale * std::max(box.width, box.height))));
    return cv::Rect(box.x - m, box.y - m, box.width + 2 * m, box.height + 2 * m) & cv::Rect({0, 0}, size);
}

constexpr double kWideSigmaPerStep = 6.0;

/** A Gaussian blur (BORDER_REFLECT) of a wide σ, as cv::GaussianBlur but at a fraction of its cost
 *  (ContrastOptions::fastSurface): the result varies on the scale of σ, so the image is averaged down by a
 *  factor f (σ/f = kWideSigmaPerStep), blurred there by the σ that with the averaging's own spread (f²/12)
 *  makes σ, and resized back linearly. A click's 250-px window (σ 125) had a contrast map of 35–52 ms at
 *  full resolution, 1.4 ms so; the contrast differs by under 0.01 noise units (test
 *  ContrastRefinement.AWideBoxsSurfaceIsTheExactInterpolationWithinAThirtiethOfANoiseUnit). */
void wideGaussianBlur(const cv::Mat& src, cv::Mat& dst, double sigma) {
    const double f = sigma / kWideSigmaPerStep;
    if (f < 2 || src.cols < 4 * f || src.rows < 4 * f) {
        cv::GaussianBlur(src, dst, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
        return;
    }
    // The averaged grid spans the image exactly (steps fx, fy near f), so that its borders, where the
    // blur reflects, are the image's own.
    const cv::Size small(static_cast<int>(std::lround(src.cols / f)), static_cast<int>(std::lround(src.rows / f)));
    const double fx = static_cast<double>(src.cols) / small.width, fy = static_cast<double>(src.rows) / small.height;
    cv::Mat s;
    cv::resize(src, s, small, 0, 0, cv::INTER_AREA);
    const double sx = std::sqrt(std::max(1.0, sigma * sigma - fx * fx / 12.0)) / fx;
    const double sy = std::sqrt(std::max(1.0, sigma * sigma - fy * fy / 12.0)) / fy;
    cv::GaussianBlur(s, s, cv::Size(0, 0), sx, sy, cv::BORDER_REFLECT);
    cv::resize(s, dst, src.size(), 0, 0, cv::INTER_LINEAR);
}

/** The rows' and columns' maxima of `z` over `fill` (the tightness prior's evidence). */
std::vector<float> rowColumnMaxima(const cv::Mat& z, const cv::Mat& fill) {
    std::vector<float> out;
    std::vector<float> colMax(static_cast<std::size_t>(z.cols), -1e30F);
    std::vector<bool> colAny(static_cast<std::size_t>(z.cols), false);
    for (int y = 0; y < z.rows; ++y) {
        const float* p = z.ptr<float>(y);
        const uchar* f = fill.ptr<uchar>(y);
        float best = -1e30F;
        bool any = false;
        for (int x = 0; x < z.cols; ++x) {
            if (!f[x])
                continue;
            any = true;
            best = std::max(best, p[x]);
            colMax[static_cast<std::size_t>(x)] = std::max(colMax[static_cast<std::size_t>(x)], p[x]);
            colAny[static_cast<std::size_t>(x)] = true;
        }
        if (any)
            out.push_back(best);
    }
    for (std::size_t x = 0; x < colMax.size(); ++x)
        if (colAny[x])
            out.push_back(colMax[x]);
    return out;
}

} // namespace

cv::Mat boxContrast(const cv::Mat& grey, const cv::Mat& outside, const cv::Rect& box, bool brighter,
                    const ContrastOptions& options) {
    if (grey.type() != CV_32FC1 || outside.type() != CV_8UC1 || grey.size() != outside.size())
        throw std::invalid_argument("boxContrast: a CV_32F grey image and a CV_8U mask of its size needed");
    const cv::Rect b = box & cv::Rect({0, 0}, grey.size());
    if (b.empty())
        return {};
    const cv::Rect ctx = contextOf(b, grey.size(), options);
    const cv::Rect inner = b - ctx.tl();
    cv::Mat weight;
    cv::Mat(outside(ctx) != 0).convertTo(weight, CV_32F, 1.0 / 255.0);
    cv::Mat weighted = grey(ctx).mul(weight);
    const double sigma = std::max(2.0, 0.5 * std::max(b.width, b.height));
    cv::Mat num, den;
    if (options.fastSurface) {
        wideGaussianBlur(weighted, num, sigma);
        wideGaussianBlur(weight, den, sigma);
    } else {
        cv::GaussianBlur(weighted, num, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
        cv::GaussianBlur(weight, den, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
    }
    // Where no surrounding pixel reaches (a box over most of its context), the mean of the surroundings.
    const double total = cv::sum(weight)[0];
    const float fallback = total > 0 ? static_cast<float>(cv::sum(weighted)[0] / total)
                                     : static_cast<float>(cv::mean(grey(ctx))[0]);
    cv::Mat surface(ctx.size(), CV_32F);
    for (int y = 0; y < ctx.height; ++y) {
        const float* n = num.ptr<float>(y);
        const float* d = den.ptr<float>(y);
        float* s = surface.ptr<float>(y);
        for (int x = 0; x < ctx.width; ++x)
            s[x] = d[x] > 1e-3F ? n[x] / d[x] : fallback;
    }
    cv::Mat diff = surface - grey(ctx);  // darker: positive
    if (brighter)
        diff = -diff;
    // The surface's own spread: the robust deviation of the surrounding pixels from the interpolation.
    std::vector<float> dev;
    for (int y = 0; y < ctx.height; ++y) {
        const float* d = diff.ptr<float>(y);
        const float* w = weight.ptr<float>(y);
        for (int x = 0; x < ctx.width; ++x)
            if (w[x] > 0)
                dev.push_back(d[x]);
    }
    float spread = 1.F;
    if (dev.size() >= 10) {
        const float med = quantile(dev, 0.5F);
        for (float& v : dev)
            v = std::abs(v - med);
        spread = std::max(1.F, 1.4826F * quantile(dev, 0.5F));
    }
    cv::Mat z = diff(inner) / spread;
    return z;
}

RefinementProposal contrastProposal(const cv::Mat& image, const CoarseStart& start, const ContrastOptions& o) {
    if (image.size() != start.coarse.size() || (image.type() != CV_8UC1 && image.type() != CV_8UC3))
        throw std::invalid_argument("contrast refinement: an 8-bit image of the coarse mask's size needed");
    cv::Mat grey;
    if (image.channels() == 3)
        cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
    else
        grey = image;
    grey.convertTo(grey, CV_32F);
    if (o.smoothSigma > 0)
        cv::GaussianBlur(grey, grey, cv::Size(0, 0), o.smoothSigma, o.smoothSigma, cv::BORDER_REFLECT);
    const cv::Mat outside = start.coarse == 0;
    std::vector<cv::Mat> channels;
    if (o.brightness || o.textureSigma <= 0)
        channels.push_back(grey);
    if (o.textureSigma > 0) {
        cv::Mat gx, gy, energy;
        cv::Sobel(grey, gx, CV_32F, 1, 0);
        cv::Sobel(grey, gy, CV_32F, 0, 1);
        cv::magnitude(gx, gy, energy);
        cv::GaussianBlur(energy, energy, cv::Size(0, 0), o.textureSigma, o.textureSigma, cv::BORDER_REFLECT);
        channels.push_back(energy);
    }
    RefinementProposal out;
    out.candidate = start.coarse.clone();
    // Pixels some box of their class keeps: overlapping boxes of a class must not erase each other's object.
    cv::Mat keep(image.size(), CV_8U, cv::Scalar(0));
    std::vector<DetectionBox> refined;
    for (const DetectionBox& box : start.boxes) {
        const cv::Rect b = box.rect & cv::Rect({0, 0}, image.size());
        if (b.empty())
            continue;
        const cv::Mat fill = start.coarse(b) == box.classId;
        // Darker or brighter (or smoother, rougher): whichever the box's pixels deviate to more.
        cv::Mat z;
        int most = -1;
        for (const cv::Mat& channel : channels) {
            const cv::Mat dark = boxContrast(channel, outside, b, false, o);
            const int nDark = cv::countNonZero((dark > 3.F) & fill), nBright = cv::countNonZero((dark < -3.F) & fill);
            if (std::max(nDark, nBright) > most) {
                most = std::max(nDark, nBright);
                z = nBright > nDark ? cv::Mat(-dark) : dark;
            }
        }
        const float t = std::clamp(quantile(rowColumnMaxima(z, fill), o.missQuantile), o.minZ, o.maxZ);
        cv::Mat object = (z >= t) & fill;
        if (o.closeRadius > 0) {
            const int k = 2 * o.closeRadius + 1;
            cv::morphologyEx(object, object, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
            object &= fill;
        }
        if (cv::countNonZero(object) == 0) {
            ++out.emptyBoxes;  // nothing stands out: the box still says an object is there, its fill is kept
            object = fill;
        }
        cv::Mat k = keep(b);
        k |= object;
        refined.push_back({box.classId, b});
    }
    for (const DetectionBox& box : refined)
        out.candidate(box.rect).setTo(0, (start.coarse(box.rect) == box.classId) & ~keep(box.rect));
    out.changedPixels = cv::countNonZero(out.candidate != start.coarse);
    return out;
}

} // namespace mf
