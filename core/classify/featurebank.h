#pragma once
#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace mf {

/** Which filters the bank computes: ilastik's pixel-classification set. */
struct FeatureBankOptions {
    /** Gaussian smoothing at every σ; LoG, gradient magnitude, DoG, structure-tensor and Hessian
     *  eigenvalues at every σ but the first (ilastik's default selection). */
    std::vector<double> sigmas = {0.3, 0.7, 1.0, 1.6, 3.5, 5.0, 10.0};
};

/** The filter responses of one image: one CV_32FC1 plane per feature, the image's size. Computed once
 *  per image (computeFeatures) and kept by its owner (a refinement pass, a live-labelling canvas), so
 *  that re-training after a stroke only gathers samples and predicts. */
class FeatureStack {
public:
    FeatureStack() = default;
    FeatureStack(std::vector<cv::Mat> planes, std::vector<std::string> names);

    int channels() const { return static_cast<int>(m_planes.size()); }
    cv::Size size() const { return m_planes.empty() ? cv::Size() : m_planes.front().size(); }
    bool empty() const { return m_planes.empty(); }
    const std::vector<cv::Mat>& planes() const { return m_planes; }
    const std::vector<std::string>& names() const { return m_names; }

    /** One row per point (CV_32F, points × channels): the training or prediction samples. */
    cv::Mat samples(const std::vector<cv::Point>& points) const;
    /** One row per pixel of `roi` (row-major inside it). */
    cv::Mat samples(cv::Rect roi) const;

private:
    std::vector<cv::Mat> m_planes;
    std::vector<std::string> m_names;
};

/** The filter bank of `image` (8-bit grey or colour, converted to grey: the defect photographs this is
 *  made for are grey, and a colour's hue rarely separates a defect that its brightness does not).
 *  Throws std::invalid_argument on an empty image. */
FeatureStack computeFeatures(const cv::Mat& image, const FeatureBankOptions& options = {});

/** How many planes computeFeatures gives with `options`. */
int featureCount(const FeatureBankOptions& options);
/** How far (in pixels) a feature's value reaches into the image: the widest filter's radius, the
 *  structure tensor's derivative and smoothing radii added. A crop computed with this margin around a
 *  tile gives the tile exactly the whole image's features (TiledFeatures). */
int featureMargin(const FeatureBankOptions& options);

} // namespace mf
