#include "classify/tiledfeatures.h"

#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace mf {

TiledFeatures::TiledFeatures(cv::Mat image, FeatureBankOptions options, int tileSize, std::size_t cacheBytes)
    : m_image(std::move(image)), m_options(std::move(options)), m_tile(std::max(16, tileSize)),
      m_margin(featureMargin(m_options)), m_channels(featureCount(m_options)), m_cacheBytes(cacheBytes) {
    if (m_image.empty())
        throw std::invalid_argument("TiledFeatures: empty image");
    m_grid = cv::Size((m_image.cols + m_tile - 1) / m_tile, (m_image.rows + m_tile - 1) / m_tile);
}

cv::Rect TiledFeatures::tileRect(int index) const {
    const int tx = index % m_grid.width, ty = index / m_grid.width;
    return cv::Rect(tx * m_tile, ty * m_tile, m_tile, m_tile) & cv::Rect(cv::Point(), size());
}

int TiledFeatures::tileOf(cv::Point p) const { return (p.y / m_tile) * m_grid.width + p.x / m_tile; }

std::size_t TiledFeatures::tileBytes() const {
    return static_cast<std::size_t>(m_tile) * static_cast<std::size_t>(m_tile) * static_cast<std::size_t>(m_channels) * sizeof(float);
}

bool TiledFeatures::fitsInCache() const {
    return static_cast<std::size_t>(m_image.total()) * static_cast<std::size_t>(m_channels) * sizeof(float) <= m_cacheBytes;
}

FeatureStack TiledFeatures::computeTile(int index) const {
    const cv::Rect r = tileRect(index);
    const cv::Rect crop = cv::Rect(r.x - m_margin, r.y - m_margin, r.width + 2 * m_margin, r.height + 2 * m_margin) &
                          cv::Rect(cv::Point(), size());
    const FeatureStack whole = computeFeatures(m_image(crop), m_options);
    // Keep only the tile: a copy, so the crop's margin is freed.
    const cv::Rect inner(r.x - crop.x, r.y - crop.y, r.width, r.height);
    std::vector<cv::Mat> planes;
    planes.reserve(whole.planes().size());
    for (const cv::Mat& p : whole.planes())
        planes.push_back(p(inner).clone());
    return FeatureStack(std::move(planes), whole.names());
}

bool TiledFeatures::isCached(int index) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& entry : m_cache)
        if (entry.first == index)
            return true;
    return false;
}

std::shared_ptr<const FeatureStack> TiledFeatures::tile(int index, bool evict) {
    if (index < 0 || index >= m_grid.area())
        throw std::out_of_range("TiledFeatures::tile: no tile " + std::to_string(index));
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (auto it = m_cache.begin(); it != m_cache.end(); ++it)
            if (it->first == index) {
                m_cache.splice(m_cache.begin(), m_cache, it);
                return m_cache.front().second;
            }
    }
    // Computed unlocked: another thread may read cached tiles meanwhile (and, rarely, compute this one too).
    auto planes = std::make_shared<const FeatureStack>(computeTile(index));
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& entry : m_cache)
        if (entry.first == index)
            return entry.second;
    if (!evict && (m_cache.size() + 1) * tileBytes() > m_cacheBytes)
        return planes;  // used once and dropped: the cached tiles stay
    m_cache.emplace_front(index, planes);
    std::size_t bytes = 0;
    for (auto it = m_cache.begin(); it != m_cache.end();) {
        const std::size_t b = tileBytes();
        if (it != m_cache.begin() && bytes + b > m_cacheBytes) {
            it = m_cache.erase(it);
            continue;
        }
        bytes += b;
        ++it;
    }
    return planes;
}

bool TiledFeatures::computeAll(const std::atomic<bool>* cancel) {
    const int fit = static_cast<int>(std::max<std::size_t>(1, m_cacheBytes / std::max<std::size_t>(1, tileBytes())));
    const int n = std::min(m_grid.area(), fit);
    // Tiles in parallel (each tile's filters are then single-threaded: OpenCV runs nested loops serially).
    cv::parallel_for_(cv::Range(0, n), [&](const cv::Range& r) {
        for (int i = r.start; i < r.end; ++i)
            if (!(cancel && cancel->load()))
                tile(i);
    });
    return !(cancel && cancel->load());
}

cv::Mat TiledFeatures::samples(const std::vector<cv::Point>& points) {
    const cv::Rect all(cv::Point(), size());
    std::map<int, std::vector<int>> byTile;  // tile → indices of its points, so each tile is fetched once
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!all.contains(points[i]))
            throw std::out_of_range("TiledFeatures::samples: a point outside the image");
        byTile[tileOf(points[i])].push_back(static_cast<int>(i));
    }
    cv::Mat out(static_cast<int>(points.size()), m_channels, CV_32F);
    for (const auto& [index, members] : byTile) {
        const std::shared_ptr<const FeatureStack> t = tile(index);
        const cv::Point origin = tileRect(index).tl();
        for (int c = 0; c < m_channels; ++c) {
            const cv::Mat& plane = t->planes()[static_cast<std::size_t>(c)];
            for (int i : members)
                out.at<float>(i, c) = plane.at<float>(points[static_cast<std::size_t>(i)] - origin);
        }
    }
    return out;
}

int TiledFeatures::cachedTiles() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return static_cast<int>(m_cache.size());
}

std::size_t TiledFeatures::cachedBytes() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::size_t bytes = 0;
    for (const auto& entry : m_cache)
        bytes += entry.second->planes().empty() ? 0 : entry.second->planes().front().total() * sizeof(float) * static_cast<std::size_t>(m_channels);
    return bytes;
}

} // namespace mf
