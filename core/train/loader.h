#pragma once
#include "runs/trainconfig.h"
#include "train/augment.h"
#include "train/datasplit.h"

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <torch/torch.h>
#include <vector>

namespace mf {

/** One batch: images N×3×S×S float (normalised with the config's mean/std), masks N×S×S int64 (class
 *  indices or the ignore index), and the item indices they came from (the first one for a mosaic).
 *
 *  When the loader holds box-supervised items (LoaderItem::boxSupervised), also their boxes: a
 *  box-supervised sample's mask is background outside every box and boxIgnoreIndex() inside them (and
 *  where an augmentation invented pixels); `boxes` N×C×S×S uint8 holds, augmented exactly as the image
 *  was, channel k ≥ 1 = inside a box of class k (the union of the image's class-k boxes) and channel 0 =
 *  outside every box; `lab` N×3×S×S float the augmented image in CIE L*a*b* (L 0..100) for the
 *  pairwise loss. Mask-supervised samples have all-zero rows there. `boxSamples` lists the positions in
 *  the batch of the box-supervised samples. Without box-supervised items these stay undefined/empty. */
struct Batch {
    torch::Tensor images;
    torch::Tensor masks;
    std::vector<std::size_t> indices;
    torch::Tensor boxes;
    torch::Tensor lab;
    std::vector<std::int64_t> boxSamples;
};

/** The ignore value a box-supervised sample's mask holds inside its boxes: the project's ignore index,
 *  or 255 (never a class) when it has none; the loss must ignore it. */
int boxIgnoreIndex(int ignoreIndex);

/** Feeds batches of a list of samples to a training or evaluation loop.
 *
 *  config.workers threads build whole batches ahead of the consumer, at most max(prefetch, workers)
 *  batches in flight. Everything random is drawn from generators seeded by (seed, epoch, item) and
 *  the epoch order by (seed, epoch), so batch k of an epoch is the same whatever the thread timing
 *  or the worker count; workers = 0 builds each batch in next() on the caller's thread.
 *  Training: each item config.epochRepeats times, shuffled, augmented (mosaic with config.augment.mosaic, then Augmenter), the last batch
 *  dropped when it holds a single item (BatchNorm) unless it is the only one. Evaluation: in order,
 *  plain resize, every item. Decoded images are kept in memory up to config.cacheMB.
 *  An error in a worker (unreadable file, mask of another size, unknown class value) is rethrown by
 *  next() for the batch it belongs to, as a FileError naming the file. The destructor stops and
 *  joins the workers. Use from one consumer thread. */
class DataLoader {
public:
    /** `classCount` > 0 checks every mask value is a class or the ignore index. */
    DataLoader(std::vector<LoaderItem> items, const TrainConfig& config, bool training, int classCount = 0);
    ~DataLoader();
    DataLoader(const DataLoader&) = delete;
    DataLoader& operator=(const DataLoader&) = delete;

    /** Begins an epoch (any integer; the trainer's 1-based number is fine), abandoning the last; from
     *  batch `firstBatch` on (a run resumed in the middle of an epoch: the batches are the same). */
    void startEpoch(int epoch, std::size_t firstBatch = 0);
    /** The next batch of the epoch; false when the epoch is done. Throws std::logic_error before the
     *  first startEpoch. */
    bool next(Batch& out);

    /** Makes every epoch this rank's share of the whole (dist::shardOf: training padded so all ranks
     *  take the same number of steps, evaluation exact). Default rank 0 of 1: everything. */
    void setShard(int rank, int worldSize);

    std::size_t batchesPerEpoch() const;
    std::size_t size() const { return m_items.size(); }
    const std::vector<LoaderItem>& items() const { return m_items; }
    /** How many items are held decoded in memory (for tests and the log). */
    std::size_t cachedItems() const;

private:
    struct Decoded;
    struct Slot {
        Batch batch;
        std::exception_ptr error;
    };

    std::vector<std::vector<std::size_t>> epochOrder(int epoch) const;
    Batch makeBatch(std::size_t k) const;
    /** The augmented sample; for a box-supervised item `mask` holds box codes (see Decoded). */
    std::shared_ptr<const Decoded> makeSample(std::size_t draw, cv::Mat& rgb, cv::Mat& mask) const;
    void writeBoxSample(const Decoded& d, const cv::Mat& rgb, const cv::Mat& codes, std::int64_t* mask,
                        std::uint8_t* boxes, float* lab) const;
    void decodeBoxes(const LoaderItem& item, Decoded& d) const;
    std::shared_ptr<const Decoded> decode(std::size_t item) const;
    void checkMask(const cv::Mat& mask, const LoaderItem& item) const;
    void workerLoop();
    void stopWorkers();

    std::vector<LoaderItem> m_items;
    int m_size;
    int m_batch;
    int m_workers;
    std::size_t m_window;
    std::vector<double> m_mean, m_std;
    std::uint64_t m_seed;
    int m_ignoreIndex;
    int m_fill;  ///< what augmentations write into invented mask pixels
    bool m_anyBoxes = false;
    double m_mosaic;
    bool m_training;
    int m_classCount;
    int m_rank = 0, m_worldSize = 1;
    Augmenter m_augmenter;
    int m_repeats;  ///< training draws per item and epoch

    // Decoded images, shared read-only between workers.
    mutable std::mutex m_cacheMutex;
    mutable std::vector<std::shared_ptr<const Decoded>> m_cache;
    mutable std::size_t m_cacheBytes = 0;
    std::size_t m_cacheBudget;

    // Current epoch; m_batches and m_epoch change only while no worker runs.
    int m_epoch = 0;
    bool m_started = false;
    std::vector<std::vector<std::size_t>> m_batches;
    std::mutex m_mutex;
    std::condition_variable m_spaceFree, m_batchDone;
    std::size_t m_nextToClaim = 0, m_nextToDeliver = 0;
    std::map<std::size_t, Slot> m_ready;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

} // namespace mf
