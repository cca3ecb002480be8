#include "classify/liveclassifier.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

namespace mf {

void LabelledSamples::append(const LabelledSamples& other) {
    if (other.empty())
        return;
    if (empty()) {
        rows = other.rows.clone();
        labels = other.labels;
        return;
    }
    cv::vconcat(rows, other.rows, rows);
    labels.insert(labels.end(), other.labels.begin(), other.labels.end());
}

LabelledSamples LabelledSamples::capped(int perClass) const {
    std::map<int, std::vector<int>> byClass;
    for (int i = 0; i < size(); ++i)
        byClass[labels[static_cast<std::size_t>(i)]].push_back(i);
    bool over = false;
    for (const auto& entry : byClass)
        over = over || static_cast<int>(entry.second.size()) > perClass;
    if (!over)
        return *this;
    cv::RNG rng(0xcab);
    std::vector<int> keep;
    for (auto& [cls, idx] : byClass) {
        for (int i = 0; i < perClass && i < static_cast<int>(idx.size()); ++i)
            std::swap(idx[static_cast<std::size_t>(i)], idx[static_cast<std::size_t>(i + rng.uniform(0, static_cast<int>(idx.size()) - i))]);
        idx.resize(std::min(idx.size(), static_cast<std::size_t>(perClass)));
        keep.insert(keep.end(), idx.begin(), idx.end());
    }
    LabelledSamples out;
    out.rows = cv::Mat(static_cast<int>(keep.size()), rows.cols, CV_32F);
    for (std::size_t i = 0; i < keep.size(); ++i) {
        rows.row(keep[i]).copyTo(out.rows.row(static_cast<int>(i)));
        out.labels.push_back(labels[static_cast<std::size_t>(keep[i])]);
    }
    return out;
}

LiveClassifier::LiveClassifier(cv::Mat image, LiveClassifierOptions options)
    : m_options(std::move(options)),
      m_features(std::move(image), m_options.features, m_options.tileSize, m_options.featureCacheBytes) {}

LabelledSamples LiveClassifier::strokeSamples(const cv::Mat& strokes) {
    if (strokes.size() != size() || strokes.type() != CV_8UC1)
        throw std::invalid_argument("LiveClassifier: the stroke map must be CV_8UC1 of the image's size");
    std::map<int, std::vector<cv::Point>> byClass;
    for (int y = 0; y < strokes.rows; ++y) {
        const uchar* row = strokes.ptr<uchar>(y);
        for (int x = 0; x < strokes.cols; ++x)
            if (row[x] != 255)
                byClass[row[x]].emplace_back(x, y);
    }
    std::vector<cv::Point> points;
    LabelledSamples out;
    cv::RNG rng(0x5eed);  // the same draw for the same strokes: a stroke elsewhere does not reshuffle a class
    for (auto& [cls, pts] : byClass) {
        if (static_cast<int>(pts.size()) > m_options.maxSamplesPerClass) {
            for (int i = 0; i < m_options.maxSamplesPerClass; ++i)
                std::swap(pts[static_cast<std::size_t>(i)], pts[static_cast<std::size_t>(i + rng.uniform(0, static_cast<int>(pts.size()) - i))]);
            pts.resize(static_cast<std::size_t>(m_options.maxSamplesPerClass));
        }
        points.insert(points.end(), pts.begin(), pts.end());
        out.labels.insert(out.labels.end(), pts.size(), cls);
    }
    if (!points.empty())
        out.rows = m_features.samples(points);
    return out;
}

std::shared_ptr<const PixelForest> trainLiveForest(const LabelledSamples& samples, const LiveClassifierOptions& options) {
    std::vector<int> distinct(samples.labels);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() < 2)
        return nullptr;
    auto forest = std::make_shared<PixelForest>();
    forest->train(samples.rows, samples.labels, options.forest);
    return forest;
}

bool LiveClassifier::train(const cv::Mat& strokes, const LabelledSamples& others) {
    LabelledSamples all = strokeSamples(strokes);
    if (!others.empty() && others.rows.cols != m_features.channels())
        throw std::invalid_argument("LiveClassifier::train: other samples have another feature count");
    all.append(others.capped(m_options.maxOtherSamplesPerClass));
    m_forest = trainLiveForest(all, m_options);
    return m_forest != nullptr;
}

LivePrediction LiveClassifier::predict(cv::Rect region, const std::atomic<bool>* cancel) {
    return predictRegion(region, cancel, true);
}

LivePrediction LiveClassifier::predictRegion(cv::Rect region, const std::atomic<bool>* cancel, bool evict) {
    if (!m_forest)
        throw std::logic_error("LiveClassifier::predict before training");
    const cv::Rect all(cv::Point(), size());
    region = region.empty() ? all : (region & all);
    LivePrediction out;
    out.region = region;
    out.labels = cv::Mat(region.size(), CV_8UC1, cv::Scalar(255));
    out.confidence = cv::Mat(region.size(), CV_8UC1, cv::Scalar(0));
    const std::vector<int>& classes = m_forest->classes();
    for (int t = 0; t < m_features.grid().area(); ++t) {
        const cv::Rect tr = m_features.tileRect(t) & region;
        if (tr.empty())
            continue;
        if (cancel && cancel->load())
            return out;
        const std::shared_ptr<const FeatureStack> tile = m_features.tile(t, evict);
        const cv::Point origin = m_features.tileRect(t).tl();
        const int chunkRows = std::max(1, m_options.chunkPixels / tr.width);
        for (int y0 = tr.y; y0 < tr.y + tr.height; y0 += chunkRows) {
            if (cancel && cancel->load())
                return out;
            const cv::Rect chunk(tr.x, y0, tr.width, std::min(chunkRows, tr.y + tr.height - y0));
            const cv::Mat probs = m_forest->probabilities(tile->planes(), chunk - origin);
            int i = 0;
            for (int y = chunk.y; y < chunk.y + chunk.height; ++y) {
                uchar* lab = out.labels.ptr<uchar>(y - region.y) + (chunk.x - region.x);
                uchar* conf = out.confidence.ptr<uchar>(y - region.y) + (chunk.x - region.x);
                for (int x = 0; x < chunk.width; ++x, ++i) {
                    const float* p = probs.ptr<float>(i);
                    const int best = static_cast<int>(std::max_element(p, p + probs.cols) - p);
                    lab[x] = static_cast<uchar>(classes[static_cast<std::size_t>(best)]);
                    conf[x] = cv::saturate_cast<uchar>(p[best] * 255.F);
                }
            }
        }
    }
    out.complete = true;
    return out;
}

std::vector<int> LiveClassifier::tileOrder(cv::Rect first) const {
    const cv::Rect all(cv::Point(), size());
    first &= all;
    const cv::Rect focus = first.empty() ? all : first;
    const cv::Point2d centre(focus.x + focus.width / 2.0, focus.y + focus.height / 2.0);
    std::vector<std::pair<std::pair<bool, double>, int>> keyed;  // (not meeting `first`, distance²), tile
    for (int t = 0; t < m_features.grid().area(); ++t) {
        const cv::Rect r = m_features.tileRect(t);
        const double dx = r.x + r.width / 2.0 - centre.x, dy = r.y + r.height / 2.0 - centre.y;
        keyed.push_back({{!first.empty() && (r & first).empty(), dx * dx + dy * dy}, t});
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<int> out;
    out.reserve(keyed.size());
    for (const auto& k : keyed)
        out.push_back(k.second);
    return out;
}

LivePrediction LiveClassifier::predictTiles(cv::Rect first, const std::atomic<bool>* cancel,
                                            const std::function<void(const LivePrediction& tile)>& onTile) {
    if (!m_forest)
        throw std::logic_error("LiveClassifier::predictTiles before training");
    LivePrediction out;
    out.region = cv::Rect(cv::Point(), size());
    out.labels = cv::Mat(size(), CV_8UC1, cv::Scalar(255));
    out.confidence = cv::Mat(size(), CV_8UC1, cv::Scalar(0));
    const cv::Rect visible = first & out.region;
    for (int t : tileOrder(first)) {
        const bool onScreen = visible.empty() || !(m_features.tileRect(t) & visible).empty();
        const LivePrediction tile = predictRegion(m_features.tileRect(t), cancel, onScreen);
        if (!tile.complete)
            return out;
        tile.labels.copyTo(out.labels(tile.region));
        tile.confidence.copyTo(out.confidence(tile.region));
        if (onTile)
            onTile(tile);
    }
    out.complete = true;
    return out;
}

} // namespace mf
