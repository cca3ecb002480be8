#pragma once
#include "classify/featurebank.h"

#include <opencv2/core.hpp>

#include <atomic>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace mf {

/** The filter bank of one image computed tile by tile (each tile from a crop with featureMargin()
 *  around it, so it equals computeFeatures of the whole image), kept in a least-recently-used cache of
 *  at most `cacheBytes`. A 1-megapixel image's 49 planes (196 MB) stay whole; a 100-megapixel one
 *  (19.6 GB) never is: its tiles are computed when asked for and the oldest dropped. Thread-safe: the
 *  cache is locked, and a tile handed out stays valid while held even if evicted. */
class TiledFeatures {
public:
    explicit TiledFeatures(cv::Mat image, FeatureBankOptions options = {}, int tileSize = 512,
                           std::size_t cacheBytes = std::size_t(1) << 30);

    cv::Size size() const { return m_image.size(); }
    int channels() const { return m_channels; }
    int margin() const { return m_margin; }
    int tileSize() const { return m_tile; }
    cv::Size grid() const { return m_grid; }
    /** Image rectangle of tile `index` (row-major over grid()). */
    cv::Rect tileRect(int index) const;
    /** The tile holding pixel `p` (inside the image). */
    int tileOf(cv::Point p) const;
    /** Bytes one full tile's planes take. */
    std::size_t tileBytes() const;
    /** True when every tile fits in the cache at once. */
    bool fitsInCache() const;

    /** Computes the tiles that fit in the cache (all of them for an image that fits), checking `cancel`
     *  between tiles; false when cancelled. */
    bool computeAll(const std::atomic<bool>* cancel = nullptr);
    /** The planes of tile `index` (tileRect's size), computed now unless cached. With `evict` false a
     *  tile computed now is cached only where it fits without dropping another: a pass over a large
     *  image's far tiles keeps the tiles on screen, which the next update needs first. */
    std::shared_ptr<const FeatureStack> tile(int index, bool evict = true);
    /** Whether tile `index` is in the cache now. */
    bool isCached(int index) const;
    /** One row per point (CV_32F, points × channels()); computes only the tiles the points fall in.
     *  Throws std::out_of_range for a point outside the image. */
    cv::Mat samples(const std::vector<cv::Point>& points);

    int cachedTiles() const;
    std::size_t cachedBytes() const;

private:
    FeatureStack computeTile(int index) const;

    cv::Mat m_image;
    FeatureBankOptions m_options;
    int m_tile, m_margin, m_channels;
    cv::Size m_grid;
    std::size_t m_cacheBytes;
    mutable std::mutex m_mutex;
    /** Most recently used first: (tile index, planes). */
    std::list<std::pair<int, std::shared_ptr<const FeatureStack>>> m_cache;
};

} // namespace mf
