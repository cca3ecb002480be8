#pragma once
#include "classify/pixelforest.h"
#include "classify/tiledfeatures.h"

#include <opencv2/core.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace mf {

/** How the live classifier learns and predicts. */
struct LiveClassifierOptions {
    LiveClassifierOptions() {
        // An update after a stroke predicts every pixel: 8 trees of depth 10 from 1000 samples per class
        // take 560 ms of CPU on 1 megapixel (2 cores: under 300 ms), where the box classifier's 16 trees
        // of depth 14 from 3000 take 1940 ms for an IoU of 0.829 instead of 0.817 (bench_live, ISBI).
        forest.trees = 8;
        forest.maxDepth = 10;
    }
    FeatureBankOptions features;
    ForestOptions forest;
    int tileSize = 512;
    std::size_t featureCacheBytes = std::size_t(1) << 30;  ///< a 1-megapixel image's 196 MB fit five times over
    int maxSamplesPerClass = 1000;  ///< stroke pixels per class and image (an even draw): neighbours say the same
    int maxOtherSamplesPerClass = 3000;  ///< other images' samples per class, at most
    int chunkPixels = 1 << 16;      ///< prediction is cancelled between chunks of this many pixels
};

/** Labelled feature rows: the stroke pixels of one image (or of several), what an image leaves behind
 *  for the classifier when it is closed, so the project's strokes keep teaching it. */
struct LabelledSamples {
    cv::Mat rows;             ///< N × features, CV_32F
    std::vector<int> labels;  ///< N class ids
    int size() const { return static_cast<int>(labels.size()); }
    bool empty() const { return labels.empty(); }
    void append(const LabelledSamples& other);
    /** At most `perClass` rows of each class, drawn evenly and the same each time. */
    LabelledSamples capped(int perClass) const;
};

/** A forest of `samples` grown as the live classifier grows its own (others capped per class);
 *  null when they hold fewer than two classes. */
std::shared_ptr<const PixelForest> trainLiveForest(const LabelledSamples& samples, const LiveClassifierOptions& options = {});

/** What the classifier proposes for a region. */
struct LivePrediction {
    cv::Rect region;       ///< image rectangle the maps cover
    cv::Mat labels;        ///< CV_8UC1 class ids (region size)
    cv::Mat confidence;    ///< CV_8UC1, the winning class's probability × 255
    bool complete = false; ///< false when cancelled (the maps are then partly filled; do not show them)
};

/** The live pixel classifier of one open image (ilastik's live mode): the image's filter bank
 *  (TiledFeatures, computed once), a PixelForest trained on the strokes painted on it plus the samples
 *  other images' strokes left, and a prediction of the whole image or a region that a cancel flag can
 *  stop between chunks. The forest is shared (shared_ptr) so a finished training can predict other
 *  images (predictWith). Not thread-safe itself: one job at a time (the features are). */
class LiveClassifier {
public:
    explicit LiveClassifier(cv::Mat image, LiveClassifierOptions options = {});

    cv::Size size() const { return m_features.size(); }
    TiledFeatures& features() { return m_features; }
    const LiveClassifierOptions& options() const { return m_options; }
    /** Computes the image's features (every tile that fits the cache); false when cancelled. */
    bool computeFeatures(const std::atomic<bool>* cancel = nullptr) { return m_features.computeAll(cancel); }

    /** The samples under `strokes` (CV_8UC1 of the image's size: class id where painted, 255 elsewhere),
     *  at most maxSamplesPerClass per class, drawn evenly and the same each time. Throws
     *  std::invalid_argument on a map of another size or type. */
    LabelledSamples strokeSamples(const cv::Mat& strokes);
    /** Trains on this image's strokes and `others`. A class without strokes anywhere is not learnt, so
     *  deleting a class's strokes removes it from the predictions. Returns false (and forgets the forest)
     *  when fewer than two classes have strokes. */
    bool train(const cv::Mat& strokes, const LabelledSamples& others = {});
    bool trained() const { return m_forest != nullptr; }
    std::shared_ptr<const PixelForest> forest() const { return m_forest; }
    void setForest(std::shared_ptr<const PixelForest> forest) { m_forest = std::move(forest); }

    /** Predicts `region` (clipped to the image; the whole image when empty), checking `cancel` between
     *  chunks. Throws std::logic_error before training. */
    LivePrediction predict(cv::Rect region = {}, const std::atomic<bool>* cancel = nullptr);

    /** The order predictTiles() goes through the tiles: those meeting `first` (the part of the image on
     *  screen) before the others, each group nearest `first`'s centre first (the image's centre when
     *  `first` is empty or outside). */
    std::vector<int> tileOrder(cv::Rect first) const;
    /** Predicts the whole image tile by tile in tileOrder(first), checking `cancel` between chunks;
     *  `onTile` (may be empty) hears each tile's prediction (its region: the tile's rectangle) as soon as
     *  it is done, on the calling thread, so a large image's visible part can be shown first. Returns the
     *  whole image's maps, complete when no cancel came. The tiles meeting `first` go into the feature
     *  cache as usual; the others only where it has room, so on an image larger than the cache the
     *  visible tiles' features are still there for the next update. Throws std::logic_error before
     *  training. */
    LivePrediction predictTiles(cv::Rect first, const std::atomic<bool>* cancel = nullptr,
                                const std::function<void(const LivePrediction& tile)>& onTile = {});

private:
    LivePrediction predictRegion(cv::Rect region, const std::atomic<bool>* cancel, bool evict);

    LiveClassifierOptions m_options;
    TiledFeatures m_features;
    std::shared_ptr<const PixelForest> m_forest;
};

} // namespace mf
