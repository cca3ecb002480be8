#include "plan/fingerprint.h"

#include "io/errors.h"
#include "io/imageio.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace mf {
namespace {

constexpr int kBinsPerPixel = 4;   // ridge distances are kept in a histogram of quarter pixels
constexpr int kMaxDistance = 1024;

int median(std::vector<int> v) {
    if (v.empty())
        return 0;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

/** Running sums for one class over all images. */
struct ClassAccumulator {
    long long pixels = 0;
    int images = 0;
    std::vector<int> areas;
    std::vector<long long> ridgeHistogram = std::vector<long long>(kMaxDistance * kBinsPerPixel, 0);
    std::vector<long long> speckRidgeHistogram = std::vector<long long>(kMaxDistance * kBinsPerPixel, 0);
};

// Regions smaller than this are specks (label noise such as sky seen through leaves): their ridges
// count for the thickness only when a class has nothing else.
constexpr int kSpeckArea = 16;

void addClass(const cv::Mat& binary, ClassAccumulator& acc) {
    const int n = cv::countNonZero(binary);
    if (n == 0)
        return;
    acc.pixels += n;
    ++acc.images;
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(binary, labels, stats, centroids, 8, CV_32S);
    for (int i = 1; i < count; ++i)
        acc.areas.push_back(stats.at<int>(i, cv::CC_STAT_AREA));
    // Pad by one pixel of "other" so the image border counts as an edge of the structure.
    cv::Mat padded;
    cv::copyMakeBorder(binary, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::Mat dist;
    cv::distanceTransform(padded, dist, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    for (int y = 1; y + 1 < padded.rows; ++y) {
        const float* d = dist.ptr<float>(y);
        const int* label = labels.ptr<int>(y - 1);
        for (int x = 1; x + 1 < padded.cols; ++x)
            if (d[x] > 0) {
                const int bin = std::min(kMaxDistance * kBinsPerPixel - 1, static_cast<int>(d[x] * kBinsPerPixel));
                const bool speck = stats.at<int>(label[x - 1], cv::CC_STAT_AREA) < kSpeckArea;
                ++(speck ? acc.speckRidgeHistogram : acc.ridgeHistogram)[static_cast<std::size_t>(bin)];
            }
    }
}

/** The area of the region a typical pixel of the class lies in (the pixel-weighted median), so a
 *  few large regions are not outvoted by many specks. */
double weightedMedianArea(std::vector<int> areas) {
    if (areas.empty())
        return 0;
    std::sort(areas.begin(), areas.end());
    long long total = 0;
    for (int a : areas)
        total += a;
    long long seen = 0;
    for (int a : areas) {
        seen += a;
        if (2 * seen >= total)
            return a;
    }
    return areas.back();
}

double histogramQuantile(const std::vector<long long>& h, double q) {
    long long total = 0;
    for (long long v : h)
        total += v;
    if (total == 0)
        return 0;
    long long seen = 0;
    for (std::size_t i = 0; i < h.size(); ++i) {
        seen += h[i];
        if (static_cast<double>(seen) >= q * static_cast<double>(total))
            return static_cast<double>(i) / kBinsPerPixel;  // the lower edge: distances are often whole
    }
    return 0;
}

} // namespace

DatasetFingerprint computeFingerprint(const std::vector<LoaderItem>& items, int classCount, int ignoreIndex,
                                      const std::vector<std::string>& classNames, int maxImages) {
    if (items.empty())
        throw std::invalid_argument("fingerprint: no labelled images");
    if (classCount < 1 || classCount > 255)
        throw std::invalid_argument("fingerprint: class count must be in 1..255");
    DatasetFingerprint f;
    f.images = static_cast<int>(items.size());
    f.boxImages = static_cast<int>(std::count_if(items.begin(), items.end(), [](const LoaderItem& i) { return i.boxSupervised; }));
    f.classCount = classCount;
    f.ignoreIndex = ignoreIndex;
    const int n = std::min<int>(f.images, std::max(1, maxImages));
    std::vector<int> widths, heights;
    std::vector<ClassAccumulator> acc(static_cast<std::size_t>(classCount));
    std::array<double, 3> sum{}, sumSq{};
    double pixelsSeen = 0;
    long long labelled = 0;
    bool gray = true;
    for (int k = 0; k < n; ++k) {
        const LoaderItem& item = items[static_cast<std::size_t>(static_cast<long long>(k) * f.images / n)];
        const cv::Mat rgb = readImageRgb(item.image);
        const cv::Mat mask = readMask(item.mask, item.maskEncoding);
        if (mask.size() != rgb.size())
            throw FileError(item.mask, "the mask's size differs from its image " + item.image);
        widths.push_back(rgb.cols);
        heights.push_back(rgb.rows);
        std::vector<cv::Mat> planes;
        cv::split(rgb, planes);
        if (gray && (cv::countNonZero(planes[0] != planes[1]) > 0 || cv::countNonZero(planes[0] != planes[2]) > 0))
            gray = false;
        for (int c = 0; c < 3; ++c) {
            cv::Scalar m, s;
            cv::meanStdDev(planes[static_cast<std::size_t>(c)], m, s);
            const double px = static_cast<double>(rgb.total());
            sum[static_cast<std::size_t>(c)] += m[0] / 255.0 * px;
            sumSq[static_cast<std::size_t>(c)] += (s[0] * s[0] + m[0] * m[0]) / (255.0 * 255.0) * px;
        }
        pixelsSeen += static_cast<double>(rgb.total());
        for (int c = 0; c < classCount; ++c) {
            const cv::Mat binary = mask == c;
            if (c != ignoreIndex)
                addClass(binary, acc[static_cast<std::size_t>(c)]);
        }
        labelled += static_cast<long long>(mask.total()) - (ignoreIndex >= 0 && ignoreIndex <= 255
                                                                ? cv::countNonZero(mask == ignoreIndex)
                                                                : 0);
    }
    f.analysed = n;
    f.grayscale = gray;
    for (int c = 0; c < 3; ++c) {
        const double m = sum[static_cast<std::size_t>(c)] / pixelsSeen;
        f.mean[static_cast<std::size_t>(c)] = m;
        f.std[static_cast<std::size_t>(c)] = std::sqrt(std::max(0.0, sumSq[static_cast<std::size_t>(c)] / pixelsSeen - m * m));
    }
    f.minWidth = *std::min_element(widths.begin(), widths.end());
    f.maxWidth = *std::max_element(widths.begin(), widths.end());
    f.minHeight = *std::min_element(heights.begin(), heights.end());
    f.maxHeight = *std::max_element(heights.begin(), heights.end());
    f.medianWidth = median(widths);
    f.medianHeight = median(heights);
    for (int c = 0; c < classCount; ++c) {
        const ClassAccumulator& a = acc[static_cast<std::size_t>(c)];
        ClassFingerprint cf;
        cf.name = c < static_cast<int>(classNames.size()) ? classNames[static_cast<std::size_t>(c)] : "class_" + std::to_string(c);
        cf.pixelFraction = labelled > 0 ? static_cast<double>(a.pixels) / static_cast<double>(labelled) : 0.0;
        cf.imageFraction = static_cast<double>(a.images) / n;
        cf.components = static_cast<long long>(a.areas.size());
        cf.medianComponentArea = weightedMedianArea(a.areas);
        // The 90th percentile of the distance to the nearest other pixel, over the class's pixels: a
        // jagged outline (sky through branches) lowers few pixels' distance, unlike a median over ridges.
        double ridge = histogramQuantile(a.ridgeHistogram, 0.9);
        if (ridge <= 0)
            ridge = histogramQuantile(a.speckRidgeHistogram, 0.9);
        cf.thickness = ridge > 0 ? std::max(1.0, 2.0 * ridge - 1.0) : 0.0;
        f.classes.push_back(cf);
    }
    return f;
}

std::string describeFingerprint(const DatasetFingerprint& f) {
    std::ostringstream s;
    char buf[256];
    s << f.images << " labelled training images (" << f.analysed << " analysed), " << f.classCount << " classes, "
      << (f.grayscale ? "grey" : "colour") << "\n";
    if (f.boxImages > 0)
        s << f.boxImages << " of them coarse (box fills, no trusted mask): their class statistics below are the boxes'\n";
    std::snprintf(buf, sizeof buf, "width %d..%d (median %d), height %d..%d (median %d)\n", f.minWidth, f.maxWidth,
                  f.medianWidth, f.minHeight, f.maxHeight, f.medianHeight);
    s << buf;
    std::snprintf(buf, sizeof buf, "intensity mean %.3f %.3f %.3f, std %.3f %.3f %.3f\n", f.mean[0], f.mean[1], f.mean[2],
                  f.std[0], f.std[1], f.std[2]);
    s << buf;
    for (const ClassFingerprint& c : f.classes) {
        std::snprintf(buf, sizeof buf, "class %-16s %6.2f %% of pixels, in %5.1f %% of images, %lld regions, median %.0f px, "
                                       "thickness %.1f px\n",
                      c.name.c_str(), 100 * c.pixelFraction, 100 * c.imageFraction, c.components,
                      c.medianComponentArea, c.thickness);
        s << buf;
    }
    return s.str();
}

} // namespace mf
