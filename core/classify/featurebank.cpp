#include "classify/featurebank.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <stdexcept>
#include <utility>

namespace mf {
namespace {

/** 1-D Gaussian derivative kernels of order 0, 1 and 2 at `sigma` (radius 3σ, at least 1). */
struct GaussKernels {
    cv::Mat k0, k1, k2;
};

int kernelRadius(double sigma) { return std::max(1, static_cast<int>(std::ceil(3.0 * sigma))); }

GaussKernels gaussKernels(double sigma) {
    const int radius = kernelRadius(sigma);
    GaussKernels k{cv::Mat(2 * radius + 1, 1, CV_32F), cv::Mat(2 * radius + 1, 1, CV_32F),
                   cv::Mat(2 * radius + 1, 1, CV_32F)};
    double sum = 0;
    for (int i = -radius; i <= radius; ++i)
        sum += std::exp(-0.5 * i * i / (sigma * sigma));
    const double s2 = sigma * sigma;
    for (int i = -radius; i <= radius; ++i) {
        const double g = std::exp(-0.5 * i * i / s2) / sum;
        k.k0.at<float>(i + radius) = static_cast<float>(g);
        // sepFilter2D correlates: the derivative kernel is mirrored, hence the sign.
        k.k1.at<float>(i + radius) = static_cast<float>(i / s2 * g);
        k.k2.at<float>(i + radius) = static_cast<float>((i * i / s2 - 1.0) / s2 * g);
    }
    // A sampled kernel at small σ loses mass: renormalise so that flat regions give 0 and ramps slope 1.
    double m1 = 0, m2 = 0;
    for (int i = -radius; i <= radius; ++i) {
        m1 += i * k.k1.at<float>(i + radius);
        m2 += 0.5 * i * i * k.k2.at<float>(i + radius);
    }
    k.k1 /= m1;
    cv::Mat mean2 = k.k2 - static_cast<float>(cv::sum(k.k2)[0] / k.k2.rows);
    k.k2 = mean2 / m2;
    return k;
}

cv::Mat filter(const cv::Mat& img, const cv::Mat& kx, const cv::Mat& ky) {
    cv::Mat out;
    cv::sepFilter2D(img, out, CV_32F, kx, ky, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
    return out;
}

/** Eigenvalues of the symmetric 2×2 field [a b; b c], larger first. */
std::pair<cv::Mat, cv::Mat> eigen2(const cv::Mat& a, const cv::Mat& b, const cv::Mat& c) {
    cv::Mat half = (a + c) * 0.5, diff = (a - c) * 0.5, root;
    cv::sqrt(diff.mul(diff) + b.mul(b), root);
    return {half + root, half - root};
}

std::string tag(const char* what, double sigma) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s %.1f", what, sigma);
    return buf;
}

} // namespace

FeatureStack::FeatureStack(std::vector<cv::Mat> planes, std::vector<std::string> names)
    : m_planes(std::move(planes)), m_names(std::move(names)) {}

cv::Mat FeatureStack::samples(const std::vector<cv::Point>& points) const {
    cv::Mat out(static_cast<int>(points.size()), channels(), CV_32F);
    for (int c = 0; c < channels(); ++c) {
        const cv::Mat& p = m_planes[static_cast<std::size_t>(c)];
        for (std::size_t i = 0; i < points.size(); ++i)
            out.at<float>(static_cast<int>(i), c) = p.at<float>(points[i]);
    }
    return out;
}

cv::Mat FeatureStack::samples(cv::Rect roi) const {
    roi &= cv::Rect(cv::Point(), size());
    cv::Mat out(roi.area(), channels(), CV_32F);
    for (int c = 0; c < channels(); ++c) {
        const cv::Mat p = m_planes[static_cast<std::size_t>(c)](roi);
        int row = 0;
        for (int y = 0; y < p.rows; ++y) {
            const float* src = p.ptr<float>(y);
            for (int x = 0; x < p.cols; ++x)
                out.at<float>(row++, c) = src[x];
        }
    }
    return out;
}

int featureCount(const FeatureBankOptions& options) {
    const int n = static_cast<int>(options.sigmas.size());
    return n == 0 ? 0 : n + 7 * (n - 1);
}

int featureMargin(const FeatureBankOptions& options) {
    int margin = 0;
    for (double s : options.sigmas)
        margin = std::max(margin, kernelRadius(s) + kernelRadius(0.5 * s));
    return margin;
}

FeatureStack computeFeatures(const cv::Mat& image, const FeatureBankOptions& options) {
    if (image.empty())
        throw std::invalid_argument("computeFeatures: empty image");
    cv::Mat grey;
    if (image.channels() == 3)
        cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
    else if (image.channels() == 4)
        cv::cvtColor(image, grey, cv::COLOR_RGBA2GRAY);
    else
        grey = image;
    grey.convertTo(grey, CV_32F);
    std::vector<cv::Mat> planes;
    std::vector<std::string> names;
    auto add = [&](cv::Mat m, std::string name) {
        planes.push_back(std::move(m));
        names.push_back(std::move(name));
    };
    for (std::size_t i = 0; i < options.sigmas.size(); ++i) {
        const double s = options.sigmas[i];
        const GaussKernels k = gaussKernels(s);
        cv::Mat g = filter(grey, k.k0, k.k0);
        add(g, tag("gauss", s));
        if (i == 0)
            continue;
        const cv::Mat gx = filter(grey, k.k1, k.k0), gy = filter(grey, k.k0, k.k1);
        const cv::Mat gxx = filter(grey, k.k2, k.k0), gyy = filter(grey, k.k0, k.k2), gxy = filter(grey, k.k1, k.k1);
        add(gxx + gyy, tag("LoG", s));
        cv::Mat mag;
        cv::magnitude(gx, gy, mag);
        add(mag, tag("gradient", s));
        const GaussKernels inner = gaussKernels(0.66 * s);
        add(g - filter(grey, inner.k0, inner.k0), tag("DoG", s));
        // Structure tensor: gradients at σ/2, averaged over σ (ilastik's inner and outer scales).
        const GaussKernels d = gaussKernels(0.5 * s);
        const cv::Mat dx = filter(grey, d.k1, d.k0), dy = filter(grey, d.k0, d.k1);
        auto st = eigen2(filter(dx.mul(dx), k.k0, k.k0), filter(dx.mul(dy), k.k0, k.k0), filter(dy.mul(dy), k.k0, k.k0));
        add(st.first, tag("structure max", s));
        add(st.second, tag("structure min", s));
        auto he = eigen2(gxx, gxy, gyy);
        add(he.first, tag("hessian max", s));
        add(he.second, tag("hessian min", s));
    }
    return FeatureStack(std::move(planes), std::move(names));
}

} // namespace mf
