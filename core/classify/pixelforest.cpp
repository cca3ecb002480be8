#include "classify/pixelforest.h"

#include "io/cancelled.h"

#include <vigra/multi_array.hxx>
#include <vigra/random.hxx>
#include <vigra/random_forest_3.hxx>

#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <stdexcept>
#include <thread>

namespace mf {

using Features = vigra::MultiArray<2, float>;
using Labels = vigra::MultiArray<1, int>;
using Forest = vigra::rf3::DefaultRF<Features, Labels>::type;

/** The forest flattened for prediction: rf3's graph walks a node at a time through property maps and
 *  copies every leaf's count vector into a fresh std::vector per instance and tree. Here the nodes of all
 *  trees are plain arrays, a leaf is a node whose two children are itself (so every walk takes exactly
 *  `depth` steps with no branch on the data), and each leaf holds its class shares already divided by the
 *  tree count: a pixel's probabilities are the sum of its leaves' rows. The test is rf3's
 *  LessEqualSplitTest (feature <= threshold: left), so the answers are rf3's. */
struct FlatForest {
    std::vector<int> feature;     ///< per node (0 for a leaf)
    std::vector<float> threshold; ///< per node (+inf for a leaf: always "left", which is itself)
    std::vector<int> child;       ///< 2 per node: left, right
    std::vector<int> leaf;        ///< per node: its row in `shares` (-1 for an inner node)
    std::vector<float> shares;    ///< leaves × classes
    std::vector<int> roots;
    int depth = 0;                ///< the deepest leaf's depth over all trees
    int classes = 0;
};

struct PixelForest::Impl {
    Forest forest;
    FlatForest flat;
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

FlatForest flatten(const Forest& forest) {
    FlatForest f;
    const auto& graph = forest.graph_;
    const std::size_t nodes = graph.numNodes();
    const std::size_t trees = graph.numRoots();
    f.classes = static_cast<int>(forest.num_classes());
    f.feature.assign(nodes, 0);
    f.threshold.assign(nodes, std::numeric_limits<float>::infinity());
    f.child.assign(2 * nodes, 0);
    f.leaf.assign(nodes, -1);
    for (std::size_t t = 0; t < trees; ++t) {
        const auto root = graph.getRoot(t);
        f.roots.push_back(static_cast<int>(graph.id(root)));
        std::vector<std::pair<Forest::Node, int>> stack{{root, 0}};
        while (!stack.empty()) {
            const auto [node, depth] = stack.back();
            stack.pop_back();
            const auto id = static_cast<std::size_t>(graph.id(node));
            f.child[2 * id] = f.child[2 * id + 1] = static_cast<int>(id);
            if (graph.outDegree(node) == 0) {
                f.depth = std::max(f.depth, depth);
                f.leaf[id] = static_cast<int>(f.shares.size()) / std::max(1, f.classes);
                const std::vector<double>& counts = forest.node_responses_.at(node);
                double sum = 0;
                for (double c : counts)
                    sum += c;
                for (int c = 0; c < f.classes; ++c) {
                    const double v = static_cast<std::size_t>(c) < counts.size() && sum > 0 ? counts[static_cast<std::size_t>(c)] / sum : 0.0;
                    f.shares.push_back(static_cast<float>(v / static_cast<double>(trees)));
                }
                continue;
            }
            const auto& test = forest.split_tests_.at(node);
            f.feature[id] = static_cast<int>(test.dim_);
            f.threshold[id] = test.val_;
            for (int side = 0; side < 2; ++side) {
                const auto c = graph.getChild(node, static_cast<std::size_t>(side));
                if (graph.valid(c)) {
                    f.child[2 * id + static_cast<std::size_t>(side)] = static_cast<int>(graph.id(c));
                    stack.emplace_back(c, depth + 1);
                }
            }
        }
    }
    return f;
}

/** Adds the leaf shares of `n` pixels to `probs` (n × classes, zeroed by the caller). `value(i, node)`
 *  reads pixel i's value of the feature that inner node `node` tests. Pixels go through a tree in lockstep groups, level by level: the walks of a
 *  group are independent, so their loads overlap instead of each waiting on its last. */
template <typename Value>
void predictFlat(const FlatForest& f, int n, Value value, float* probs) {
    constexpr int kGroup = 32;
    const float* threshold = f.threshold.data();
    const int* child = f.child.data();
    int node[kGroup];
    for (int i0 = 0; i0 < n; i0 += kGroup) {
        const int g = std::min(kGroup, n - i0);
        for (int root : f.roots) {
            for (int k = 0; k < g; ++k)
                node[k] = root;
            for (int level = 0; level < f.depth; ++level)
                for (int k = 0; k < g; ++k) {
                    const int at = node[k];
                    node[k] = child[2 * at + !(value(i0 + k, at) <= threshold[at])];
                }
            for (int k = 0; k < g; ++k) {
                const float* s = &f.shares[static_cast<std::size_t>(f.leaf[static_cast<std::size_t>(node[k])]) * static_cast<std::size_t>(f.classes)];
                float* p = probs + static_cast<std::ptrdiff_t>(i0 + k) * f.classes;
                for (int c = 0; c < f.classes; ++c)
                    p[c] += s[c];
            }
        }
    }
}

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
    impl->flat = flatten(impl->forest);
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
    const FlatForest& flat = m_impl->flat;
    const int* feature = flat.feature.data();
    const int grain = 4096;
    cv::parallel_for_(cv::Range(0, (samples.rows + grain - 1) / grain), [&](const cv::Range& range) {
        for (int b = range.start; b < range.end; ++b) {
            const int r0 = b * grain, n = std::min(grain, samples.rows - r0);
            predictFlat(flat, n, [&](int i, int node) { return samples.ptr<float>(r0 + i)[feature[node]]; }, out.ptr<float>(r0));
        }
    });
    return out;
}

cv::Mat PixelForest::referenceProbabilities(const cv::Mat& samples) const {
    if (!m_impl)
        throw std::logic_error("PixelForest::referenceProbabilities before train");
    if (samples.cols != m_features || samples.type() != CV_32F)
        throw std::invalid_argument("PixelForest::referenceProbabilities: samples of another feature count or type");
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
    // A roi row at a time: its feature values copied side by side (features × width floats, in the cache
    // while every tree walks its pixels), each node's feature as an offset into them, so a test is one load.
    const FlatForest& flat = m_impl->flat;
    const int width = roi.width;
    const int rowsPerStripe = std::max(1, 4096 / width);
    const int stripes = (roi.height + rowsPerStripe - 1) / rowsPerStripe;
    cv::parallel_for_(cv::Range(0, stripes), [&](const cv::Range& range) {
        std::vector<float> row(static_cast<std::size_t>(m_features) * static_cast<std::size_t>(width));
        std::vector<int> offset(flat.feature.size());
        for (std::size_t n = 0; n < offset.size(); ++n)
            offset[n] = flat.feature[n] * width;
        const float* values = row.data();
        const int* off = offset.data();
        for (int s = range.start; s < range.end; ++s)
            for (int y = s * rowsPerStripe; y < std::min(roi.height, (s + 1) * rowsPerStripe); ++y) {
                for (int c = 0; c < m_features; ++c)
                    std::memcpy(row.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(width),
                                planes[static_cast<std::size_t>(c)].ptr<float>(roi.y + y) + roi.x, sizeof(float) * static_cast<std::size_t>(width));
                predictFlat(flat, width, [values, off](int i, int node) { return values[off[node] + i]; },
                            out.ptr<float>(static_cast<int>(static_cast<std::ptrdiff_t>(y) * width)));
            }
    });
    return out;
}

} // namespace mf
