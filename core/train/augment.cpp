#include "train/augment.h"

#include "train/rng.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <vector>

namespace mf {
namespace {

// Strengths not in AugmentConfig, at albumentations' defaults (GridDistortion: 5 steps, limit 0.3)
// or, for OpticalDistortion whose default (0.05) barely moves a pixel, at a visible but mild bend.
constexpr int kGridSteps = 5;
constexpr double kGridLimit = 0.3;
constexpr double kOpticalLimit = 0.3;
constexpr double kOpticalShift = 0.05;

/** Source coordinate of each output coordinate 0..n-1 for one axis of a grid distortion: output
 *  cells are equal, their source cells are stretched by 1 ± limit and rescaled to span the axis, so
 *  the image keeps its corners. */
std::vector<float> gridAxis(int n, std::mt19937_64& rng) {
    std::vector<double> edges(kGridSteps + 1, 0.0);
    for (int i = 1; i <= kGridSteps; ++i)
        edges[i] = edges[i - 1] + 1.0 + uniformReal(rng, -kGridLimit, kGridLimit);
    std::vector<float> out(n);
    const double last = std::max(1, n - 1);
    for (int x = 0; x < n; ++x) {
        double t = x / last * kGridSteps;  // position in output cells
        int cell = std::min(kGridSteps - 1, static_cast<int>(t));
        double source = edges[cell] + (t - cell) * (edges[cell + 1] - edges[cell]);
        out[x] = static_cast<float>(source / edges[kGridSteps] * last);
    }
    return out;
}

} // namespace

Augmenter::Augmenter(const AugmentConfig& config, int size, int maskFill, NativeCrop crop)
    : m_config(config), m_size(size), m_maskFill(maskFill), m_crop(crop) {
    if (size < 1)
        throw std::invalid_argument("augment: size must be positive");
    if (maskFill < 0 || maskFill > 255)
        throw std::invalid_argument("augment: the mask fill value must be within 0..255");
}

void Augmenter::resize(cv::Mat& rgb, cv::Mat& mask, int size) {
    cv::Mat image, labels;
    cv::resize(rgb, image, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
    cv::resize(mask, labels, cv::Size(size, size), 0, 0, cv::INTER_NEAREST_EXACT);
    rgb = image;
    mask = labels;
}

void Augmenter::apply(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const {
    if (rgb.type() != CV_8UC3 || mask.type() != CV_8UC1 || rgb.size() != mask.size() || rgb.empty())
        throw std::invalid_argument("augment: expected an 8-bit RGB image and an 8-bit mask of the same size");
    if (m_crop.enabled) {
        nativeCrop(rgb, mask, rng);  // copies into fresh matrices too
    } else {
        if (chance(rng, m_config.randomCrop))
            randomCrop(rgb, mask, rng);
        // Resizing into fresh matrices is what makes every later in-place step safe for cached inputs.
        resize(rgb, mask, m_size);
    }
    if (chance(rng, m_config.hflip)) {
        cv::flip(rgb, rgb, 1);
        cv::flip(mask, mask, 1);
    }
    if (chance(rng, m_config.vflip)) {
        cv::flip(rgb, rgb, 0);
        cv::flip(mask, mask, 0);
    }
    if (chance(rng, m_config.shiftScaleRotate))
        shiftScaleRotate(rgb, mask, rng);
    if (chance(rng, m_config.gridDistortion))
        gridDistortion(rgb, mask, rng);
    if (chance(rng, m_config.opticalDistortion))
        opticalDistortion(rgb, mask, rng);
    photometric(rgb, rng);
}

void Augmenter::randomCrop(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const {
    const double area = uniformReal(rng, std::clamp(m_config.cropMinArea, 0.01, 1.0), 1.0) * rgb.cols * rgb.rows;
    const double ratio = std::exp(uniformReal(rng, std::log(3.0 / 4.0), std::log(4.0 / 3.0)));
    int w = std::clamp(static_cast<int>(std::lround(std::sqrt(area * ratio))), 1, rgb.cols);
    int h = std::clamp(static_cast<int>(std::lround(std::sqrt(area / ratio))), 1, rgb.rows);
    cv::Rect window(uniformInt(rng, 0, rgb.cols - w), uniformInt(rng, 0, rgb.rows - h), w, h);
    rgb = rgb(window);
    mask = mask(window);
}

namespace {

/** A random pixel of a class present in `mask` other than the mask's most common class (class drawn
 *  uniformly among those, then a pixel uniformly among its pixels); false when the mask holds only
 *  one class (and ignore). The most common class stands for "background" whatever its index: class 0
 *  is often the structure itself (ISBI's membranes), and a window anywhere already shows the
 *  majority class. */
bool foregroundPixel(const cv::Mat& mask, int ignore, std::mt19937_64& rng, cv::Point& out) {
    std::array<std::int64_t, 256> counts{};
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* row = mask.ptr<uchar>(y);
        for (int x = 0; x < mask.cols; ++x)
            ++counts[row[x]];
    }
    int majority = -1;
    for (int v = 0; v < 256; ++v)
        if (v != ignore && counts[static_cast<std::size_t>(v)] > 0 &&
            (majority < 0 || counts[static_cast<std::size_t>(v)] > counts[static_cast<std::size_t>(majority)]))
            majority = v;
    std::vector<int> present;
    for (int v = 0; v < 256; ++v)
        if (counts[static_cast<std::size_t>(v)] > 0 && v != ignore && v != majority)
            present.push_back(v);
    if (present.empty())
        return false;
    const int cls = present[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(present.size()) - 1))];
    std::int64_t k = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(counts[static_cast<std::size_t>(cls)]));
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* row = mask.ptr<uchar>(y);
        for (int x = 0; x < mask.cols; ++x)
            if (row[x] == cls && k-- == 0) {
                out = {x, y};
                return true;
            }
    }
    return false;
}

} // namespace

void Augmenter::nativeCrop(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const {
    const int s = m_size;
    // Window origin in image coordinates; it may start before 0 or end past the image when the image
    // is smaller than the window, and those pixels are padding.
    const int maxX = std::max(0, rgb.cols - s), maxY = std::max(0, rgb.rows - s);
    int x0 = rgb.cols >= s ? uniformInt(rng, 0, maxX) : -uniformInt(rng, 0, s - rgb.cols);
    int y0 = rgb.rows >= s ? uniformInt(rng, 0, maxY) : -uniformInt(rng, 0, s - rgb.rows);
    cv::Point centre;
    if (chance(rng, m_crop.foreground) && foregroundPixel(mask, m_maskFill, rng, centre)) {
        // Centred on the pixel, jittered by up to a quarter window, then kept inside the image where it fits.
        const int jx = uniformInt(rng, -s / 4, s / 4), jy = uniformInt(rng, -s / 4, s / 4);
        x0 = centre.x + jx - s / 2;
        y0 = centre.y + jy - s / 2;
        x0 = rgb.cols >= s ? std::clamp(x0, 0, maxX) : std::clamp(x0, rgb.cols - s, 0);
        y0 = rgb.rows >= s ? std::clamp(y0, 0, maxY) : std::clamp(y0, rgb.rows - s, 0);
    }
    cv::Mat image(s, s, CV_8UC3, cv::Scalar::all(0)), labels(s, s, CV_8UC1, cv::Scalar(m_maskFill));
    const cv::Rect inImage = cv::Rect(x0, y0, s, s) & cv::Rect(0, 0, rgb.cols, rgb.rows);
    const cv::Rect inWindow(inImage.x - x0, inImage.y - y0, inImage.width, inImage.height);
    rgb(inImage).copyTo(image(inWindow));
    mask(inImage).copyTo(labels(inWindow));
    rgb = image;
    mask = labels;
}

void Augmenter::shiftScaleRotate(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const {
    const double angle = uniformReal(rng, -m_config.rotateLimit, m_config.rotateLimit);
    const double scale = uniformReal(rng, 1.0 - m_config.scaleLimit, 1.0 + m_config.scaleLimit);
    const double dx = uniformReal(rng, -m_config.shiftLimit, m_config.shiftLimit);
    const double dy = uniformReal(rng, -m_config.shiftLimit, m_config.shiftLimit);
    cv::Point2f centre(rgb.cols * 0.5f - 0.5f, rgb.rows * 0.5f - 0.5f);
    cv::Mat m = cv::getRotationMatrix2D(centre, angle, scale);
    m.at<double>(0, 2) += dx * rgb.cols;
    m.at<double>(1, 2) += dy * rgb.rows;
    cv::Mat image, labels;
    cv::warpAffine(rgb, image, m, rgb.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
    cv::warpAffine(mask, labels, m, mask.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar(m_maskFill));
    rgb = image;
    mask = labels;
}

void Augmenter::remapBoth(cv::Mat& rgb, cv::Mat& mask, const cv::Mat& mapX, const cv::Mat& mapY) const {
    cv::Mat image, labels;
    cv::remap(rgb, image, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
    cv::remap(mask, labels, mapX, mapY, cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar(m_maskFill));
    rgb = image;
    mask = labels;
}

void Augmenter::gridDistortion(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const {
    std::vector<float> xs = gridAxis(rgb.cols, rng);
    std::vector<float> ys = gridAxis(rgb.rows, rng);
    cv::Mat mapX(rgb.size(), CV_32FC1), mapY(rgb.size(), CV_32FC1);
    for (int y = 0; y < rgb.rows; ++y) {
        float* px = mapX.ptr<float>(y);
        float* py = mapY.ptr<float>(y);
        for (int x = 0; x < rgb.cols; ++x) {
            px[x] = xs[x];
            py[x] = ys[y];
        }
    }
    remapBoth(rgb, mask, mapX, mapY);
}

void Augmenter::opticalDistortion(cv::Mat& rgb, cv::Mat& mask, std::mt19937_64& rng) const {
    // Radial lens model as in albumentations (cv::initUndistortRectifyMap with distortion k, k and the
    // focal length equal to the image side), written out so no camera matrices are needed.
    const double k = uniformReal(rng, -kOpticalLimit, kOpticalLimit);
    const double f = rgb.cols, g = rgb.rows;
    const double cx = 0.5 * f + uniformReal(rng, -kOpticalShift, kOpticalShift) * f;
    const double cy = 0.5 * g + uniformReal(rng, -kOpticalShift, kOpticalShift) * g;
    cv::Mat mapX(rgb.size(), CV_32FC1), mapY(rgb.size(), CV_32FC1);
    for (int y = 0; y < rgb.rows; ++y) {
        float* px = mapX.ptr<float>(y);
        float* py = mapY.ptr<float>(y);
        const double yn = (y - cy) / g;
        for (int x = 0; x < rgb.cols; ++x) {
            const double xn = (x - cx) / f;
            const double r2 = xn * xn + yn * yn;
            const double factor = 1.0 + k * r2 + k * r2 * r2;
            px[x] = static_cast<float>(xn * factor * f + cx);
            py[x] = static_cast<float>(yn * factor * g + cy);
        }
    }
    remapBoth(rgb, mask, mapX, mapY);
}

void Augmenter::photometric(cv::Mat& rgb, std::mt19937_64& rng) const {
    if (chance(rng, m_config.gaussianBlur)) {
        const int kernel = 2 * uniformInt(rng, 1, 3) + 1;  // 3, 5 or 7 as albumentations' blur_limit
        cv::GaussianBlur(rgb, rgb, cv::Size(kernel, kernel), 0);
    }
    if (chance(rng, m_config.brightnessContrast)) {
        const double alpha = 1.0 + uniformReal(rng, -m_config.contrastLimit, m_config.contrastLimit);
        const double beta = 255.0 * uniformReal(rng, -m_config.brightnessLimit, m_config.brightnessLimit);
        rgb.convertTo(rgb, -1, alpha, beta);
    }
    if (chance(rng, m_config.jpeg)) {
        const int quality = uniformInt(rng, std::min(m_config.jpegQualityLow, m_config.jpegQualityHigh),
                                       std::max(m_config.jpegQualityLow, m_config.jpegQualityHigh));
        // JPEG's luma weights assume BGR order; encoding RGB as is would blur the wrong channels.
        cv::Mat bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        std::vector<uchar> bytes;
        cv::imencode(".jpg", bgr, bytes, {cv::IMWRITE_JPEG_QUALITY, std::clamp(quality, 1, 100)});
        cv::cvtColor(cv::imdecode(bytes, cv::IMREAD_COLOR), rgb, cv::COLOR_BGR2RGB);
    }
}

void mosaic(const std::array<std::pair<cv::Mat, cv::Mat>, 4>& in, cv::Mat& outImage, cv::Mat& outMask, int size,
            std::mt19937_64& rng) {
    if (size < 2)
        throw std::invalid_argument("mosaic: size must be at least 2");
    const int cx = uniformInt(rng, size / 4, size - size / 4);
    const int cy = uniformInt(rng, size / 4, size - size / 4);
    const std::array<cv::Rect, 4> quadrants{cv::Rect(0, 0, cx, cy), cv::Rect(cx, 0, size - cx, cy),
                                            cv::Rect(0, cy, cx, size - cy), cv::Rect(cx, cy, size - cx, size - cy)};
    cv::Mat image(size, size, CV_8UC3, cv::Scalar::all(0));
    cv::Mat mask(size, size, CV_8UC1, cv::Scalar(0));
    for (int k = 0; k < 4; ++k) {
        const cv::Rect& q = quadrants[k];
        cv::Mat rgb = in[k].first, labels = in[k].second;
        if (q.area() == 0)
            continue;
        if (rgb.type() != CV_8UC3 || labels.type() != CV_8UC1 || rgb.size() != labels.size())
            throw std::invalid_argument("mosaic: expected 8-bit RGB images with 8-bit masks of the same size");
        Augmenter::resize(rgb, labels, size);
        cv::Rect window(uniformInt(rng, 0, size - q.width), uniformInt(rng, 0, size - q.height), q.width, q.height);
        rgb(window).copyTo(image(q));
        labels(window).copyTo(mask(q));
    }
    outImage = image;
    outMask = mask;
}

} // namespace mf
