#include "classify/pixelforest.h"

#include "io/cancelled.h"

#include <vigra/multi_array.hxx>
#include <vigra/random.hxx>
#include <vigra/random_forest_3.hxx>

#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <cstring>
#include <set>
#include <stdexcept>
#include <thread>

namespace mf {

using Features = vigra::MultiArray<2, float>;
using Labels = vigra::MultiArray<1, int>;
using Forest = vigra::rf3::DefaultRF<Features, Labels>::type;

struct PixelForest::Impl {
    Forest forest;
};

namespace {

/** vigra's arrays are column-major (shape instances × features): copy the rows across. */
Features toVigra(const cv::Mat& samples) {
    Features out(vigra::Shape2(samples.rows, samples.cols));
    for (int r = 0; r < samples.rows; ++r) {
        const float* src = samples.ptr<float>(r);
        for (int c = 0; c < samples.cols; ++c)
            out(r, c) = src[c];
    }
    return out;
}

/** Stops a training at its next split once the flag is set: the exception leaves through the tree's task,
 *  and vigra's random_forest rethrows it from the future it waits on. */
class CancelVisitor : public vigra::rf3::RFVisitorBase {
public:
    explicit CancelVisitor(const std::atomic<bool>* cancel) : m_cancel(cancel) {}
    // Before each tree too: once the first tree's task has thrown, vigra's pool still runs the trees queued
    // behind it before it can be destroyed, and each of them must end before its first (costly) split.
    template <typename TREE, typename FEATURES, typename LABELS, typename WEIGHTS>
    void visit_before_tree(TREE&, FEATURES&, LABELS&, WEIGHTS&) {
        if (m_cancel->load())
            throw Cancelled();
    }
    template <typename TREE, typename FEATURES, typename LABELS, typename WEIGHTS, typename SCORER, typename ITER>
    void visit_after_split(TREE&, FEATURES&, LABELS&, WEIGHTS&, SCORER&, ITER, ITER, ITER) {
        if (m_cancel->load())
            throw Cancelled();
    }

private:
    const std::atomic<bool>* m_cancel;
};

int threadCount(int requested) {
    if (requested > 0)
        return requested;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

} // namespace

PixelForest::PixelForest() = default;
PixelForest::~PixelForest() = default;
PixelForest::PixelForest(PixelForest&&) noexcept = default;
PixelForest& PixelForest::operator=(PixelForest&&) noexcept = default;

void PixelForest::train(const cv::Mat& samples, const std::vector<int>& labels, const ForestOptions& options) {
    if (samples.empty() || samples.type() != CV_32F)
        throw std::invalid_argument("PixelForest::train: no samples (or not CV_32F)");
    if (static_cast<std::size_t>(samples.rows) != labels.size())
        throw std::invalid_argument("PixelForest::train: samples and labels differ in count");
    const std::set<int> distinct(labels.begin(), labels.end());
    if (distinct.size() < 2)
        throw std::invalid_argument("PixelForest::train: the samples need at least two labels");
    Labels l(vigra::Shape1(static_cast<std::ptrdiff_t>(labels.size())));
    std::copy(labels.begin(), labels.end(), l.begin());
    auto rfOptions = vigra::rf3::RandomForestOptions()
                         .tree_count(options.trees)
                         .features_per_node(vigra::rf3::RF_SQRT)
                         .n_threads(threadCount(options.threads));
    if (options.maxDepth > 0)
        rfOptions.max_depth(options.maxDepth);
    else
        rfOptions.min_num_instances(options.minSamplesSplit);
    vigra::MersenneTwister random(options.seed);
    auto impl = std::make_unique<Impl>();
    if (options.cancel) {
        if (options.cancel->load())
            throw Cancelled();
        CancelVisitor cancel(options.cancel);
        impl->forest = vigra::rf3::random_forest(toVigra(samples), l, rfOptions, vigra::rf3::create_visitor(cancel), random);
    } else {
        impl->forest = vigra::rf3::random_forest(toVigra(samples), l, rfOptions, vigra::rf3::RFStopVisiting(), random);
    }
    m_impl = std::move(impl);
    m_classes.assign(distinct.begin(), distinct.end());
    m_features = samples.cols;
    m_threads = threadCount(options.threads);
}

bool PixelForest::trained() const { return m_impl != nullptr; }

cv::Mat PixelForest::probabilities(const cv::Mat& samples) const {
    if (!m_impl)
        throw std::logic_error("PixelForest::probabilities before train");
    if (samples.cols != m_features || samples.type() != CV_32F)
        throw std::invalid_argument("PixelForest::probabilities: samples of another feature count or type");
    cv::Mat out(samples.rows, static_cast<int>(m_classes.size()), CV_32F, cv::Scalar(0));
    if (samples.rows == 0)
        return out;
    vigra::MultiArray<2, double> probs(vigra::Shape2(samples.rows, static_cast<std::ptrdiff_t>(m_classes.size())));
    m_impl->forest.predict_probabilities(toVigra(samples), probs, m_threads);
    // rf3 answers each class's summed tree votes: normalise each row to probabilities.
    for (int r = 0; r < samples.rows; ++r) {
        double sum = 0;
        for (int c = 0; c < out.cols; ++c)
            sum += probs(r, c);
        for (int c = 0; c < out.cols; ++c)
            out.at<float>(r, c) = sum > 0 ? static_cast<float>(probs(r, c) / sum) : 0.F;
    }
    return out;
}

cv::Mat PixelForest::probabilities(const std::vector<cv::Mat>& planes, cv::Rect roi) const {
    if (!m_impl)
        throw std::logic_error("PixelForest::probabilities before train");
    if (static_cast<int>(planes.size()) != m_features)
        throw std::invalid_argument("PixelForest::probabilities: planes of another feature count");
    for (const cv::Mat& p : planes)
        if (p.type() != CV_32FC1 || (roi & cv::Rect(cv::Point(), p.size())) != roi)
            throw std::invalid_argument("PixelForest::probabilities: a plane that is not CV_32FC1 or misses the roi");
    const int classes = static_cast<int>(m_classes.size());
    cv::Mat out(roi.area(), classes, CV_32F, cv::Scalar(0));
    if (roi.empty())
        return out;
    // Blocks of whole roi rows, about 4096 pixels: 49 features x 4096 x 4 bytes = 800 KB, in L2.
    const int blockRows = std::max(1, 4096 / roi.width);
    const int blocks = (roi.height + blockRows - 1) / blockRows;
    const Forest& forest = m_impl->forest;
    cv::parallel_for_(cv::Range(0, blocks), [&](const cv::Range& range) {
        for (int b = range.start; b < range.end; ++b) {
            const int y0 = roi.y + b * blockRows, rows = std::min(blockRows, roi.y + roi.height - y0);
            const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(rows) * roi.width;
            Features f(vigra::Shape2(n, m_features));
            for (int c = 0; c < m_features; ++c) {
                float* dst = &f(0, c);  // column c is contiguous: instance i at dst[i]
                for (int y = 0; y < rows; ++y)
                    std::memcpy(dst + static_cast<std::ptrdiff_t>(y) * roi.width, planes[static_cast<std::size_t>(c)].ptr<float>(y0 + y) + roi.x,
                                sizeof(float) * static_cast<std::size_t>(roi.width));
            }
            vigra::MultiArray<2, double> probs(vigra::Shape2(n, classes));
            forest.predict_probabilities(f, probs, 1);
            for (std::ptrdiff_t i = 0; i < n; ++i) {
                double sum = 0;
                for (int c = 0; c < classes; ++c)
                    sum += probs(i, c);
                float* row = out.ptr<float>(static_cast<int>((y0 - roi.y) * static_cast<std::ptrdiff_t>(roi.width) + i));
                for (int c = 0; c < classes; ++c)
                    row[c] = sum > 0 ? static_cast<float>(probs(i, c) / sum) : 0.F;
            }
        }
    });
    return out;
}

} // namespace mf
