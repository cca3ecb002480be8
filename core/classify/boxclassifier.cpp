#include "classify/boxclassifier.h"

#include "io/cancelled.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

namespace mf {
namespace {

constexpr uchar kUnknown = 255;

/** Up to `budget` points of `mask` (non-zero), drawn at random without replacement. */
std::vector<cv::Point> draw(const cv::Mat& mask, int budget, cv::RNG& rng) {
    std::vector<cv::Point> all;
    cv::findNonZero(mask, all);
    const int n = static_cast<int>(all.size());
    if (n > budget) {
        for (int i = 0; i < budget; ++i)
            std::swap(all[static_cast<std::size_t>(i)], all[static_cast<std::size_t>(rng.uniform(i, n))]);
        all.resize(static_cast<std::size_t>(std::max(0, budget)));
    }
    return all;
}

/** The pixels of box `b` its class filled in the coarse mask (the box's own region). */
cv::Mat boxFill(const cv::Mat& coarse, const DetectionBox& b) {
    cv::Mat fill = coarse(b.rect) == b.classId;
    return fill;
}

/** Each row's and each column's most object-like pixel of the box's fill (the tightness prior). The
 *  probabilities are smoothed first: a forest of few trees gives whole bands the same top vote (a dark
 *  line and the edges beside it), and the first pixel of a band would win; smoothed, its middle does. */
cv::Mat rowColumnMaxima(const cv::Mat& probability, const cv::Mat& fill) {
    cv::Mat p;
    cv::GaussianBlur(probability, p, cv::Size(0, 0), 1.0, 1.0, cv::BORDER_REPLICATE);
    cv::Mat out(p.size(), CV_8U, cv::Scalar(0));
    for (int y = 0; y < p.rows; ++y) {
        int best = -1;
        for (int x = 0; x < p.cols; ++x)
            if (fill.at<uchar>(y, x) && (best < 0 || p.at<float>(y, x) > p.at<float>(y, best)))
                best = x;
        if (best >= 0)
            out.at<uchar>(y, best) = 255;
    }
    for (int x = 0; x < p.cols; ++x) {
        int best = -1;
        for (int y = 0; y < p.rows; ++y)
            if (fill.at<uchar>(y, x) && (best < 0 || p.at<float>(y, x) > p.at<float>(best, x)))
                best = y;
        if (best >= 0)
            out.at<uchar>(best, x) = 255;
    }
    return out;
}

/** The `q` quantile of `p` over `fill`. */
float boxQuantile(const cv::Mat& p, const cv::Mat& fill, float q) {
    std::vector<float> v;
    for (int y = 0; y < p.rows; ++y)
        for (int x = 0; x < p.cols; ++x)
            if (fill.at<uchar>(y, x))
                v.push_back(p.at<float>(y, x));
    if (v.empty())
        return 0.F;
    const auto k = static_cast<std::size_t>(q * static_cast<float>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

/** The box's own threshold: the `quantile` of its rows' and columns' maximum probabilities, so that all
 *  but that share of its rows and columns meet the object; never above `cap`. */
float tightThreshold(const cv::Mat& p, const cv::Mat& fill, float quantile, float cap) {
    std::vector<float> maxima;
    cv::Mat masked(p.size(), CV_32F, cv::Scalar(-1));
    p.copyTo(masked, fill);
    cv::Mat rowMax, colMax;
    cv::reduce(masked, rowMax, 1, cv::REDUCE_MAX);
    cv::reduce(masked, colMax, 0, cv::REDUCE_MAX);
    for (int i = 0; i < rowMax.rows; ++i)
        if (rowMax.at<float>(i) >= 0)
            maxima.push_back(rowMax.at<float>(i));
    for (int i = 0; i < colMax.cols; ++i)
        if (colMax.at<float>(i) >= 0)
            maxima.push_back(colMax.at<float>(i));
    if (maxima.empty())
        return cap;
    const auto k = static_cast<std::size_t>(quantile * static_cast<float>(maxima.size() - 1));
    std::nth_element(maxima.begin(), maxima.begin() + static_cast<std::ptrdiff_t>(k), maxima.end());
    return std::min(cap, maxima[k]);
}

} // namespace

/** Feature rows and their labels. */
struct BoxClassifier::Samples {
    std::vector<cv::Mat> rows;
    std::vector<int> labels;
    void add(const cv::Mat& row, int label) {
        rows.push_back(row);
        labels.push_back(label);
    }
    void append(const Samples& o) {
        rows.insert(rows.end(), o.rows.begin(), o.rows.end());
        labels.insert(labels.end(), o.labels.begin(), o.labels.end());
    }
};

/** One image: its boxes, the features of their pixels, its fixed samples and its latest probabilities. */
struct BoxClassifier::Image {
    cv::Mat coarse, known;
    std::vector<DetectionBox> boxes;
    std::vector<cv::Mat> boxFeatures;  ///< per box: rect.area() × features, row-major inside the rect
    Samples fixed;                     ///< background outside the boxes and known pixels
    Samples interior;                  ///< box pixels labelled with their box's class (the first round)
    cv::Mat probability;               ///< CV_32F, object probability of each box's class
};

BoxClassifier::BoxClassifier(BoxClassifierOptions options) : m_options(std::move(options)) {}
BoxClassifier::~BoxClassifier() = default;
BoxClassifier::BoxClassifier(BoxClassifier&&) noexcept = default;

int BoxClassifier::addImage(const cv::Mat& image, const cv::Mat& coarse, const std::vector<DetectionBox>& boxes,
                            const cv::Mat& known, int expectedImages) {
    m_images.push_back(prepare(image, coarse, boxes, known, expectedImages, m_images.size()));
    m_ran = false;
    return static_cast<int>(m_images.size()) - 1;
}

void BoxClassifier::addImages(const std::vector<cv::Mat>& images, const std::vector<cv::Mat>& coarse,
                              const std::vector<std::vector<DetectionBox>>& boxes, int expectedImages) {
    if (coarse.size() != images.size() || boxes.size() != images.size())
        throw std::invalid_argument("BoxClassifier::addImages: as many coarse masks and box lists as images needed");
    const std::size_t first = m_images.size();
    std::vector<Image> prepared(images.size());
    std::vector<std::string> errors(images.size());
    // Each image's samples come from its own generator (seeded by its index), so the order the tasks run
    // in changes nothing.
    cv::parallel_for_(cv::Range(0, static_cast<int>(images.size())), [&](const cv::Range& range) {
        for (int i = range.start; i < range.end; ++i) {
            const auto k = static_cast<std::size_t>(i);
            if (m_options.cancel && m_options.cancel->load())
                return;
            try {
                prepared[k] = prepare(images[k], coarse[k], boxes[k], {}, expectedImages, first + k);
            } catch (const std::exception& e) {
                errors[k] = e.what();
            }
        }
    });
    checkCancel();
    for (const std::string& e : errors)
        if (!e.empty())
            throw std::invalid_argument(e);
    for (Image& im : prepared)
        m_images.push_back(std::move(im));
    m_ran = false;
}

void BoxClassifier::checkCancel() const {
    if (m_options.cancel && m_options.cancel->load())
        throw Cancelled();
}

BoxClassifier::Image BoxClassifier::prepare(const cv::Mat& image, const cv::Mat& coarse, const std::vector<DetectionBox>& boxes,
                                            const cv::Mat& known, int expectedImages, std::size_t index) const {
    if (image.size() != coarse.size() || coarse.type() != CV_8UC1)
        throw std::invalid_argument("BoxClassifier: the image and its coarse mask differ in size (or the mask is not 8-bit)");
    if (!known.empty() && (known.size() != coarse.size() || known.type() != CV_8UC1))
        throw std::invalid_argument("BoxClassifier: the known pixels and the coarse mask differ in size");
    const cv::Rect frame(cv::Point(), coarse.size());
    Image im;
    im.coarse = coarse.clone();
    im.known = known.empty() ? cv::Mat(coarse.size(), CV_8U, cv::Scalar(kUnknown)) : known.clone();
    for (DetectionBox b : boxes) {
        b.rect &= frame;
        if (!b.rect.empty())
            im.boxes.push_back(b);
    }
    im.probability = cv::Mat(coarse.size(), CV_32F, cv::Scalar(0));
    const FeatureStack f = computeFeatures(image, m_options.features);
    for (const DetectionBox& b : im.boxes)
        im.boxFeatures.push_back(f.samples(b.rect));

    cv::RNG rng(m_options.seed + static_cast<unsigned>(index));
    const int share = std::max(1, expectedImages);
    const int cap = std::max(1, static_cast<int>(m_options.maxPixelShare * static_cast<double>(coarse.total())));
    const int bgBudget = std::min(cap, std::max(m_options.minSamplesPerImage, m_options.backgroundSamples / share));
    const int boxBudget = std::min(cap, std::max(m_options.minSamplesPerImage, m_options.boxSamples / share));
    const cv::Mat unknown = im.known == kUnknown;
    auto take = [&](const cv::Mat& mask, int budget, Samples& into, auto labelOf) {
        const std::vector<cv::Point> pts = draw(mask, budget, rng);
        const cv::Mat rows = f.samples(pts);
        for (std::size_t i = 0; i < pts.size(); ++i)
            into.add(rows.row(static_cast<int>(i)), labelOf(pts[i]));
    };
    take((im.coarse == 0) & unknown, bgBudget, im.fixed, [](cv::Point) { return 0; });
    take(~unknown, bgBudget, im.fixed, [&](cv::Point p) { return int(im.known.at<uchar>(p)); });
    take((im.coarse != 0) & unknown, boxBudget, im.interior, [&](cv::Point p) { return int(im.coarse.at<uchar>(p)); });
    return im;
}

int BoxClassifier::images() const { return static_cast<int>(m_images.size()); }

BoxClassifier::Samples BoxClassifier::fixedSamples() const {
    Samples s;
    for (const Image& im : m_images)
        s.append(im.fixed);
    return s;
}

void BoxClassifier::trainForest(const Samples& s, int round) {
    if (std::set<int>(s.labels.begin(), s.labels.end()).size() < 2)
        throw std::runtime_error("box classifier: nothing to learn from (no background outside the boxes, or no box)");
    cv::Mat rows;
    cv::vconcat(s.rows, rows);
    ForestOptions fo = m_options.forest;
    fo.seed = m_options.forest.seed + static_cast<unsigned>(round);
    fo.cancel = m_options.cancel;
    m_forest.train(rows, s.labels, fo);
}

void BoxClassifier::predict() {
    const std::vector<int>& classes = m_forest.classes();
    for (Image& im : m_images) {
        checkCancel();
        im.probability.setTo(0);
        for (std::size_t i = 0; i < im.boxes.size(); ++i) {
            const DetectionBox& b = im.boxes[i];
            const auto it = std::find(classes.begin(), classes.end(), b.classId);
            if (it == classes.end())
                continue;  // a class no box pixel was drawn from: probability 0, the tightness prior decides
            const cv::Mat p = m_forest.probabilities(im.boxFeatures[i]).col(static_cast<int>(it - classes.begin())).clone();
            cv::Mat dst = im.probability(b.rect);
            cv::max(dst, p.reshape(1, b.rect.height), dst);
        }
    }
}

void BoxClassifier::run() {
    cv::RNG rng(m_options.seed);
    const Samples fixed = fixedSamples();
    Samples s = fixed;
    for (const Image& im : m_images)
        s.append(im.interior);
    trainForest(s, 0);
    predict();
    for (int round = 1; round <= m_options.rounds; ++round) {
        s = fixed;
        for (const Image& im : m_images) {
            const int perBox = std::max(20, m_options.boxSamples / std::max(1, static_cast<int>(m_images.size())) /
                                                std::max(1, static_cast<int>(im.boxes.size())));
            for (std::size_t i = 0; i < im.boxes.size(); ++i) {
                const DetectionBox& b = im.boxes[i];
                const cv::Mat fill = boxFill(im.coarse, b) & (im.known(b.rect) == kUnknown), p = im.probability(b.rect);
                // The rows' and columns' maxima are the object; the box's less likely half is not (a
                // box is never half object along every row and column at once but for a box-filling
                // region, which its maxima keep).
                const cv::Mat positive = rowColumnMaxima(p, fill);
                const cv::Mat negative = (p < boxQuantile(p, fill, 0.5F)) & fill & ~positive;
                for (const cv::Point& q : draw(positive, perBox, rng))
                    s.add(im.boxFeatures[i].row(q.y * b.rect.width + q.x), b.classId);
                for (const cv::Point& q : draw(negative, perBox, rng))
                    s.add(im.boxFeatures[i].row(q.y * b.rect.width + q.x), 0);
            }
        }
        trainForest(s, round);
        predict();
    }
    m_ran = true;
}

BoxClassification BoxClassifier::result(int index) const {
    if (!m_ran)
        throw std::logic_error("BoxClassifier::result before run");
    const Image& im = m_images.at(static_cast<std::size_t>(index));
    BoxClassification out;
    out.labels = im.coarse.clone();
    out.probability = im.probability.clone();
    cv::Mat keep(im.coarse.size(), CV_8U, cv::Scalar(0));  // pixels some box of their class keeps
    for (const DetectionBox& b : im.boxes) {
        const cv::Mat fill = boxFill(im.coarse, b), p = im.probability(b.rect);
        if (cv::countNonZero((p >= m_options.threshold) & fill) == 0)
            ++out.emptyBoxes;
        cv::Mat object = (p >= tightThreshold(p, fill, m_options.missQuantile, m_options.threshold)) & fill;
        object |= rowColumnMaxima(p, fill);
        cv::Mat k = keep(b.rect);
        k |= object;
    }
    for (const DetectionBox& b : im.boxes)
        out.labels(b.rect).setTo(0, boxFill(im.coarse, b) & ~keep(b.rect));
    im.known.copyTo(out.labels, im.known != kUnknown);
    return out;
}

BoxClassification classifyBoxes(const cv::Mat& image, const cv::Mat& coarse, const std::vector<DetectionBox>& boxes,
                                const cv::Mat& known, const BoxClassifierOptions& options) {
    BoxClassifier c(options);
    c.addImage(image, coarse, boxes, known, 1);
    c.run();
    return c.result(0);
}

} // namespace mf
