#include "train/loader.h"

#include "edit/boximport.h"
#include "infer/inputprep.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "train/rng.h"
#include "train/sampler.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>
#include <string>

namespace mf {

/** A decoded item. For a box-supervised item `mask` holds box codes instead of classes: 0 outside
 *  every box, and inside one code per set of classes whose boxes overlap there (`codeClasses[code]`), so
 *  every augmentation moves the boxes exactly as the image, nearest-neighbour like any mask. */
struct DataLoader::Decoded {
    cv::Mat rgb;
    cv::Mat mask;
    bool boxes = false;
    std::vector<std::vector<int>> codeClasses;
};

namespace {

std::string sizeText(const cv::Mat& m) { return std::to_string(m.cols) + "×" + std::to_string(m.rows); }

// A plain loop rather than a torch copy: torch ops on worker threads would start their own
// intra-op thread teams and fight the network for the cores.
void writeMask(const cv::Mat& mask, std::int64_t* dst) {
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* row = mask.ptr<uchar>(y);
        for (int x = 0; x < mask.cols; ++x)
            *dst++ = row[x];
    }
}

} // namespace

int boxIgnoreIndex(int ignoreIndex) { return ignoreIndex >= 0 && ignoreIndex <= 255 ? ignoreIndex : 255; }

DataLoader::DataLoader(std::vector<LoaderItem> items, const TrainConfig& config, bool training, int classCount)
    : m_items(std::move(items)), m_size(config.size), m_batch(config.batch), m_workers(std::max(0, config.workers)),
      m_window(static_cast<std::size_t>(std::max({1, config.prefetch, config.workers}))), m_mean(config.mean),
      m_std(config.std), m_seed(config.seed), m_ignoreIndex(config.ignoreIndex),
      m_fill(config.ignoreIndex >= 0 && config.ignoreIndex <= 255 ? config.ignoreIndex : 0),
      m_mosaic(config.augment.mosaic),
      m_training(training), m_classCount(classCount),
      // Pixels invented by warps get the ignore index when a mask can hold it, else background.
      m_augmenter(config.augment, std::max(1, config.size),
                  config.ignoreIndex >= 0 && config.ignoreIndex <= 255 ? config.ignoreIndex : 0,
                  NativeCrop{config.input == "crop", config.cropForeground}),
      m_repeats(training ? std::max(1, config.epochRepeats) : 1),
      m_cache(m_items.size()), m_cacheBudget(static_cast<std::size_t>(std::max(0, config.cacheMB)) << 20) {
    if (m_size < 1 || m_batch < 1)
        throw std::invalid_argument("loader: size and batch must be positive");
    if (m_mean.size() != 3 || m_std.size() != 3 ||
        std::any_of(m_std.begin(), m_std.end(), [](double s) { return !(s > 0); }))
        throw std::invalid_argument("loader: mean and std need three values, std positive");
    m_anyBoxes = std::any_of(m_items.begin(), m_items.end(), [](const LoaderItem& i) { return i.boxSupervised; });
    if (m_anyBoxes && m_classCount < 2)
        throw std::invalid_argument("loader: box-supervised items need the class count (background and a class)");
}

DataLoader::~DataLoader() { stopWorkers(); }

void DataLoader::setShard(int rank, int worldSize) {
    dist::shardSize(m_items.size(), rank, worldSize, m_training);  // checks the pair
    m_rank = rank;
    m_worldSize = worldSize;
}

std::size_t DataLoader::batchesPerEpoch() const {
    const std::size_t n = dist::shardSize(m_items.size() * static_cast<std::size_t>(m_repeats), m_rank, m_worldSize, m_training);
    const std::size_t b = static_cast<std::size_t>(m_batch);
    const std::size_t full = n / b, rest = n % b;
    if (!m_training)
        return full + (rest ? 1 : 0);
    return full + (rest > 1 || (rest == 1 && full == 0) ? 1 : 0);
}

std::size_t DataLoader::cachedItems() const {
    std::lock_guard<std::mutex> lock(m_cacheMutex);
    return static_cast<std::size_t>(std::count_if(m_cache.begin(), m_cache.end(), [](const auto& d) { return !!d; }));
}

std::vector<std::vector<std::size_t>> DataLoader::epochOrder(int epoch) const {
    // Draws are numbered 0..n·repeats−1; draw d shows item d mod n with its own random stream.
    std::vector<std::size_t> order(m_items.size() * static_cast<std::size_t>(m_repeats));
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    if (m_training)
        order = dist::epochPermutation(order.size(), m_seed, epoch);
    order = dist::shardOf(order, m_rank, m_worldSize, m_training);
    std::vector<std::vector<std::size_t>> batches(batchesPerEpoch());
    for (std::size_t k = 0; k < batches.size(); ++k) {
        auto first = order.begin() + static_cast<std::ptrdiff_t>(k * static_cast<std::size_t>(m_batch));
        auto last = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), (k + 1) * static_cast<std::size_t>(m_batch)));
        batches[k].assign(first, last);
    }
    return batches;
}

void DataLoader::startEpoch(int epoch, std::size_t firstBatch) {
    stopWorkers();
    m_epoch = epoch;
    m_batches = epochOrder(epoch);
    m_nextToClaim = m_nextToDeliver = std::min(firstBatch, m_batches.size());
    m_ready.clear();
    m_stop = false;
    m_started = true;
    const int threads = std::min<int>(m_workers, static_cast<int>(m_batches.size()));
    for (int i = 0; i < threads; ++i)
        m_threads.emplace_back([this] { workerLoop(); });
}

void DataLoader::stopWorkers() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_spaceFree.notify_all();
    for (std::thread& t : m_threads)
        t.join();
    m_threads.clear();
}

void DataLoader::workerLoop() {
    for (;;) {
        std::size_t k = 0;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_spaceFree.wait(lock, [this] {
                return m_stop || m_nextToClaim >= m_batches.size() || m_nextToClaim < m_nextToDeliver + m_window;
            });
            if (m_stop || m_nextToClaim >= m_batches.size())
                return;
            k = m_nextToClaim++;
        }
        Slot slot;
        try {
            slot.batch = makeBatch(k);
        } catch (...) {
            slot.error = std::current_exception();
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_ready.emplace(k, std::move(slot));
        }
        m_batchDone.notify_all();
    }
}

bool DataLoader::next(Batch& out) {
    if (!m_started)
        throw std::logic_error("DataLoader::next called before startEpoch");
    if (m_nextToDeliver >= m_batches.size())
        return false;
    if (m_threads.empty()) {
        out = makeBatch(m_nextToDeliver++);
        return true;
    }
    Slot slot;
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_batchDone.wait(lock, [this] { return m_ready.count(m_nextToDeliver) > 0; });
        auto it = m_ready.find(m_nextToDeliver);
        slot = std::move(it->second);
        m_ready.erase(it);
        ++m_nextToDeliver;
    }
    m_spaceFree.notify_all();
    if (slot.error)
        std::rethrow_exception(slot.error);
    out = std::move(slot.batch);
    return true;
}

Batch DataLoader::makeBatch(std::size_t k) const {
    const std::vector<std::size_t>& indices = m_batches[k];
    const auto n = static_cast<std::int64_t>(indices.size());
    const std::int64_t s = m_size;
    Batch batch;
    for (std::size_t d : indices)
        batch.indices.push_back(d % m_items.size());
    batch.images = torch::empty({n, 3, s, s}, torch::kFloat);
    batch.masks = torch::empty({n, s, s}, torch::kLong);
    float* images = batch.images.data_ptr<float>();
    std::int64_t* masks = batch.masks.data_ptr<std::int64_t>();
    const std::int64_t c = m_classCount;
    if (m_anyBoxes) {
        batch.boxes = torch::zeros({n, c, s, s}, torch::kUInt8);
        batch.lab = torch::zeros({n, 3, s, s}, torch::kFloat);
    }
    for (std::int64_t b = 0; b < n; ++b) {
        cv::Mat rgb, mask;
        const std::size_t draw = indices[static_cast<std::size_t>(b)];
        const LoaderItem& item = m_items[draw % m_items.size()];
        std::shared_ptr<const Decoded> decoded;
        try {
            decoded = makeSample(draw, rgb, mask);
        } catch (const FileError&) {
            throw;
        } catch (const std::exception& e) {
            throw FileError(item.image, std::string("could not prepare the sample: ") + e.what());
        }
        normaliseImage(rgb, images + b * 3 * s * s, m_mean, m_std);
        if (item.boxSupervised) {
            writeBoxSample(*decoded, rgb, mask, masks + b * s * s,
                           batch.boxes.data_ptr<std::uint8_t>() + b * c * s * s, batch.lab.data_ptr<float>() + b * 3 * s * s);
            batch.boxSamples.push_back(b);
        } else {
            writeMask(mask, masks + b * s * s);
        }
    }
    return batch;
}

std::shared_ptr<const DataLoader::Decoded> DataLoader::makeSample(std::size_t draw, cv::Mat& rgb, cv::Mat& mask) const {
    const std::size_t item = draw % m_items.size();
    std::shared_ptr<const Decoded> d = decode(item);
    if (!m_training) {
        rgb = d->rgb;
        mask = d->mask;
        Augmenter::resize(rgb, mask, m_size);
        return d;
    }
    std::mt19937_64 rng(sampleSeed(m_seed, static_cast<std::uint64_t>(m_epoch), draw));
    // Box-coded masks cannot share a mosaic with class masks or other images' codes: a box-supervised
    // sample is never a mosaic, and a mosaic shows its own image where it drew a box-supervised one.
    if (chance(rng, m_mosaic) && m_items.size() > 1 && !d->boxes) {
        std::array<std::shared_ptr<const Decoded>, 4> parts{d, nullptr, nullptr, nullptr};
        std::array<std::pair<cv::Mat, cv::Mat>, 4> in;
        for (int q = 0; q < 4; ++q) {
            if (q > 0) {
                parts[q] = decode(static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(m_items.size()) - 1)));
                if (parts[q]->boxes)
                    parts[q] = d;
            }
            in[q] = {parts[q]->rgb, parts[q]->mask};
        }
        mosaic(in, rgb, mask, m_size, rng);
    } else {
        rgb = d->rgb;
        mask = d->mask;
    }
    // The Augmenter never writes into its inputs, so cached matrices stay intact.
    m_augmenter.apply(rgb, mask, rng);
    return d;
}

std::shared_ptr<const DataLoader::Decoded> DataLoader::decode(std::size_t item) const {
    {
        std::lock_guard<std::mutex> lock(m_cacheMutex);
        if (m_cache[item])
            return m_cache[item];
    }
    const LoaderItem& paths = m_items[item];
    auto d = std::make_shared<Decoded>();
    d->rgb = readImageRgb(paths.image);
    d->mask = readMask(paths.mask, paths.maskEncoding);
    if (d->rgb.size() != d->mask.size())
        throw FileError(paths.mask, "the mask is " + sizeText(d->mask) + " but its image " + paths.image + " is " +
                                        sizeText(d->rgb));
    if (paths.boxSupervised)
        decodeBoxes(paths, *d);
    else
        checkMask(d->mask, paths);
    const std::size_t bytes = d->rgb.total() * d->rgb.elemSize() + d->mask.total();
    std::lock_guard<std::mutex> lock(m_cacheMutex);
    if (!m_cache[item] && m_cacheBytes + bytes <= m_cacheBudget) {
        m_cache[item] = d;
        m_cacheBytes += bytes;
    }
    return m_cache[item] ? m_cache[item] : d;
}

void DataLoader::checkMask(const cv::Mat& mask, const LoaderItem& item) const {
    if (m_classCount <= 0)
        return;
    std::array<bool, 256> seen{};
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* row = mask.ptr<uchar>(y);
        for (int x = 0; x < mask.cols; ++x)
            seen[row[x]] = true;
    }
    for (int v = m_classCount; v < 256; ++v)
        if (seen[static_cast<std::size_t>(v)] && v != m_ignoreIndex)
            throw FileError(item.mask, "holds the value " + std::to_string(v) + ", which is neither a class (0.." +
                                           std::to_string(m_classCount - 1) + ") nor the ignore index " +
                                           std::to_string(m_ignoreIndex));
}

} // namespace mf

namespace mf {

void DataLoader::decodeBoxes(const LoaderItem& item, Decoded& d) const {
    const std::string source = item.boxes.empty() ? item.mask : item.boxes;
    const std::vector<DetectionBox> boxes = imageBoxes(item.boxes, d.mask);
    cv::Mat codes(d.mask.size(), CV_8UC1, cv::Scalar(0));
    d.codeClasses.assign(1, {});  // code 0: outside every box
    std::map<std::vector<int>, int> codeOf{{{}, 0}};
    for (const DetectionBox& box : boxes) {
        if (box.classId == m_ignoreIndex)
            continue;  // regions of the ignore value in a mask the boxes were recovered from
        if (box.classId < 1 || box.classId >= m_classCount)
            throw FileError(source, "holds a box of class " + std::to_string(box.classId) + ", which is not a class of "
                                    "the project (1.." + std::to_string(m_classCount - 1) + ")");
        const cv::Rect r = box.rect & cv::Rect(0, 0, codes.cols, codes.rows);
        if (r.empty())
            continue;  // a box outside the image, or of zero width, says nothing about any pixel
        std::array<int, 256> remap;
        remap.fill(-1);
        for (int y = r.y; y < r.y + r.height; ++y) {
            uchar* row = codes.ptr<uchar>(y);
            for (int x = r.x; x < r.x + r.width; ++x) {
                int& to = remap[row[x]];
                if (to < 0) {
                    std::vector<int> set = d.codeClasses[row[x]];
                    if (std::find(set.begin(), set.end(), box.classId) == set.end()) {
                        set.push_back(box.classId);
                        std::sort(set.begin(), set.end());
                    }
                    auto it = codeOf.find(set);
                    if (it == codeOf.end()) {
                        int next = static_cast<int>(d.codeClasses.size());
                        if (next == m_fill && m_fill > 0)
                            ++next;  // the fill value marks invented pixels
                        if (next > 255)
                            throw FileError(source, "its boxes overlap in more than 254 different combinations of "
                                                    "classes; box supervision cannot hold them");
                        d.codeClasses.resize(static_cast<std::size_t>(next) + 1);
                        d.codeClasses[static_cast<std::size_t>(next)] = set;
                        it = codeOf.emplace(set, next).first;
                    }
                    to = it->second;
                }
                row[x] = static_cast<uchar>(to);
            }
        }
    }
    d.mask = codes;
    d.boxes = true;
}

void DataLoader::writeBoxSample(const Decoded& d, const cv::Mat& rgb, const cv::Mat& codes, std::int64_t* mask,
                                std::uint8_t* boxes, float* lab) const {
    const int ignore = boxIgnoreIndex(m_ignoreIndex);
    const std::size_t plane = codes.total();
    for (int y = 0; y < codes.rows; ++y) {
        const uchar* row = codes.ptr<uchar>(y);
        for (int x = 0; x < codes.cols; ++x) {
            const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(codes.cols) + static_cast<std::size_t>(x);
            const int code = row[x];
            if (code == 0) {
                mask[i] = 0;
                boxes[i] = 1;  // channel 0: outside every box
                continue;
            }
            mask[i] = ignore;
            if (static_cast<std::size_t>(code) >= d.codeClasses.size())
                continue;  // the fill of an invented pixel: no box and no background known
            for (int k : d.codeClasses[static_cast<std::size_t>(code)])
                boxes[static_cast<std::size_t>(k) * plane + i] = 1;
        }
    }
    cv::Mat f, converted;
    rgb.convertTo(f, CV_32FC3, 1.0 / 255.0);
    cv::cvtColor(f, converted, cv::COLOR_RGB2Lab);
    for (int y = 0; y < converted.rows; ++y) {
        const float* row = converted.ptr<float>(y);
        for (int x = 0; x < converted.cols; ++x)
            for (int ch = 0; ch < 3; ++ch)
                lab[static_cast<std::size_t>(ch) * plane + static_cast<std::size_t>(y) * static_cast<std::size_t>(converted.cols) +
                    static_cast<std::size_t>(x)] = row[3 * x + ch];
    }
}

} // namespace mf
