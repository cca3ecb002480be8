#include "review/learnedrefinement.h"

#include "io/cancelled.h"
#include "review/contrastrefinement.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>

namespace mf {
namespace {

constexpr int kExtraFeatures = 12;  // learnedBoxFeatures' columns after the bank, before the class columns

void checkCancel(const LearnedOptions& o) {
    if (o.cancel && o.cancel->load())
        throw Cancelled();
}

/** fn(k) for k in [0, n) on OpenCV's pool, an image per task; stops at a cancel, and rethrows the first
 *  image's error (as std::invalid_argument) once every task has ended. */
template <typename Fn>
void forEachImage(std::size_t n, const LearnedOptions& o, Fn fn) {
    std::vector<std::string> errors(n);
    cv::parallel_for_(cv::Range(0, static_cast<int>(n)), [&](const cv::Range& range) {
        for (int k = range.start; k < range.end; ++k) {
            if (o.cancel && o.cancel->load())
                return;
            try {
                fn(static_cast<std::size_t>(k));
            } catch (const std::exception& e) {
                errors[static_cast<std::size_t>(k)] = e.what();
            }
        }
    });
    checkCancel(o);
    for (const std::string& e : errors)
        if (!e.empty())
            throw std::invalid_argument(e);
}

/** The grey image (smoothed as contrast's) and its texture strength (as the texture method's). */
struct Surface {
    cv::Mat grey, texture, outside;
};

Surface surfaceOf(const cv::Mat& image, const cv::Mat& coarse) {
    Surface s;
    if (image.channels() == 3)
        cv::cvtColor(image, s.grey, cv::COLOR_RGB2GRAY);
    else
        s.grey = image;
    s.grey.convertTo(s.grey, CV_32F);
    cv::GaussianBlur(s.grey, s.grey, cv::Size(0, 0), 1.0, 1.0, cv::BORDER_REFLECT);
    cv::Mat gx, gy;
    cv::Sobel(s.grey, gx, CV_32F, 1, 0);
    cv::Sobel(s.grey, gy, CV_32F, 0, 1);
    cv::magnitude(gx, gy, s.texture);
    cv::GaussianBlur(s.texture, s.texture, cv::Size(0, 0), 6.0, 6.0, cv::BORDER_REFLECT);
    s.outside = coarse == 0;
    return s;
}

/** Each value's rank among the values of `m` (CV_32F), from 0 to 1. */
cv::Mat ranks(const cv::Mat& m) {
    const cv::Mat flat = m.clone().reshape(1, 1);
    const int n = flat.cols;
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    const float* v = flat.ptr<float>(0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return v[a] < v[b]; });
    cv::Mat out(m.size(), CV_32F);
    float* r = out.ptr<float>(0);
    for (int k = 0; k < n; ++k)
        r[order[static_cast<std::size_t>(k)]] = n > 1 ? static_cast<float>(k) / static_cast<float>(n - 1) : 0.5F;
    return out;
}

/** A forest over the box features, or a constant where its samples held one answer only. */
struct Model {
    PixelForest forest;
    int constant = -1;  ///< 0 or 1 where every sample said so

    void train(const cv::Mat& rows, const std::vector<int>& labels, const ForestOptions& fo) {
        const std::set<int> seen(labels.begin(), labels.end());
        if (seen.size() < 2) {
            constant = seen.empty() ? 0 : *seen.begin();
            return;
        }
        forest.train(rows, labels, fo);
    }
    /** The object probability of each row, CV_32F column. */
    cv::Mat object(const cv::Mat& rows) const {
        if (constant >= 0)
            return cv::Mat(rows.rows, 1, CV_32F, cv::Scalar(constant));
        const std::vector<int>& c = forest.classes();
        const auto it = std::find(c.begin(), c.end(), 1);
        return forest.probabilities(rows).col(static_cast<int>(it - c.begin())).clone();
    }
};

/** One image's boxes, as the features describe them. */
struct BoxRows {
    DetectionBox box;
    cv::Mat rows;   ///< the box's pixels, row-major
    cv::Mat label;  ///< CV_8U, the box's size: 1 object, 0 not, 255 not learnt (teaching images only)
};

std::vector<BoxRows> describe(const cv::Mat& image, const CoarseStart& start, const cv::Mat& truth, int classCount,
                              const LearnedOptions& o) {
    if (image.size() != start.coarse.size() || (!truth.empty() && truth.size() != image.size()))
        throw std::invalid_argument("learned refinement: the image, its coarse mask and its true mask differ in size");
    const cv::Rect frame({0, 0}, image.size());
    std::vector<BoxRows> out;
    std::vector<DetectionBox> boxes;
    for (DetectionBox b : start.boxes)
        if (!(b.rect &= frame).empty())
            boxes.push_back(b);
    if (boxes.empty())
        return out;
    const FeatureStack bank = computeFeatures(image, o.features);
    const Surface s = surfaceOf(image, start.coarse);
    for (const DetectionBox& b : boxes) {
        BoxRows r;
        r.box = b;
        r.rows = learnedBoxFeatures(bank, s.grey, s.texture, s.outside, b, classCount);
        if (!truth.empty()) {
            const cv::Mat t = truth(b.rect);
            r.label = cv::Mat(t.size(), CV_8U, cv::Scalar(0));
            r.label.setTo(1, t == b.classId);
            r.label.setTo(255, t >= classCount);  // ignored, or a class no box of this pass holds: not learnt
            r.label.setTo(255, start.coarse(b.rect) != b.classId);  // never predicted there either
        }
        out.push_back(std::move(r));
    }
    return out;
}

/** Each box's object probability, the box's shape, smoothed. */
std::vector<cv::Mat> predict(const Model& m, const std::vector<BoxRows>& boxes, const LearnedOptions& o) {
    std::vector<cv::Mat> out;
    for (const BoxRows& r : boxes) {
        cv::Mat p = m.object(r.rows).reshape(1, r.box.rect.height);
        if (o.smoothSigma > 0)
            cv::GaussianBlur(p, p, cv::Size(0, 0), o.smoothSigma, o.smoothSigma, cv::BORDER_REPLICATE);
        out.push_back(p);
    }
    return out;
}

/** The proposal of one image from its boxes' object probabilities, each class at its threshold. */
RefinementProposal compose(const CoarseStart& start, const std::vector<BoxRows>& boxes,
                           const std::vector<cv::Mat>& probability, const std::map<int, float>& thresholds,
                           const LearnedOptions& o) {
    RefinementProposal out;
    out.candidate = start.coarse.clone();
    cv::Mat keep(start.coarse.size(), CV_8U, cv::Scalar(0));
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const cv::Rect b = boxes[i].box.rect;
        const cv::Mat fill = start.coarse(b) == boxes[i].box.classId;
        const auto t = thresholds.find(boxes[i].box.classId);
        cv::Mat object = (probability[i] >= (t == thresholds.end() ? o.threshold : t->second)) & fill;
        if (cv::countNonZero(object) == 0) {
            ++out.emptyBoxes;  // nothing learnt stands out: the box still says an object is there
            object = fill;
        }
        cv::Mat k = keep(b);
        k |= object;
    }
    for (const BoxRows& r : boxes)
        out.candidate(r.box.rect).setTo(0, (start.coarse(r.box.rect) == r.box.classId) & ~keep(r.box.rect));
    out.changedPixels = cv::countNonZero(out.candidate != start.coarse);
    return out;
}

/** Per class, the threshold of `o.thresholds` whose objects best match the teaching boxes' true objects
 *  (IoU over their learnt pixels), by the probabilities of forests that never saw them; a tie goes to the
 *  one nearest o.threshold. Classes without a teaching box are left out (o.threshold). */
std::map<int, float> classThresholds(const std::vector<std::vector<BoxRows>>& taught,
                                     const std::vector<std::vector<cv::Mat>>& probability, const LearnedOptions& o) {
    std::map<int, std::vector<std::pair<double, double>>> counts;  // class -> per threshold (intersection, union)
    for (std::size_t t = 0; t < taught.size(); ++t) {
        for (std::size_t i = 0; i < taught[t].size(); ++i) {
            const BoxRows& r = taught[t][i];
            auto& c = counts[r.box.classId];
            c.resize(o.thresholds.size());
            const cv::Mat learnt = r.label != 255, truth = r.label == 1;
            for (std::size_t k = 0; k < o.thresholds.size(); ++k) {
                const cv::Mat object = (probability[t][i] >= o.thresholds[k]) & learnt;
                c[k].first += cv::countNonZero(object & truth);
                c[k].second += cv::countNonZero(object | truth);
            }
        }
    }
    std::map<int, std::set<std::size_t>> imagesOf;  // class -> the teaching images holding a box of it
    for (std::size_t t = 0; t < taught.size(); ++t)
        for (const BoxRows& r : taught[t])
            imagesOf[r.box.classId].insert(t);
    const auto best = [&](const auto& score) {
        double top = -1;
        float chosen = o.threshold;
        for (std::size_t k = 0; k < o.thresholds.size(); ++k) {
            const double v = score(k);
            const bool nearer = std::abs(o.thresholds[k] - o.threshold) < std::abs(chosen - o.threshold);
            if (v > top + 1e-9 || (v > top - 1e-9 && nearer))
                top = v, chosen = o.thresholds[k];
        }
        return chosen;
    };
    const auto iouOf = [](const std::pair<double, double>& c) { return c.second > 0 ? c.first / c.second : 0.0; };
    // The pooled threshold: the best mean of the classes' IoUs.
    const float pooled = best([&](std::size_t k) {
        double sum = 0;
        for (const auto& [cls, c] : counts)
            sum += iouOf(c[k]);
        return counts.empty() ? 0.0 : sum / static_cast<double>(counts.size());
    });
    std::map<int, float> out;
    for (const auto& [cls, c] : counts)
        out[cls] = static_cast<int>(imagesOf[cls].size()) >= o.ownThresholdImages
                       ? best([&, &c = c](std::size_t k) { return iouOf(c[k]); })
                       : pooled;
    return out;
}

/** Up to `budget` learnt pixels of a teaching box, drawn uniformly (the box's object share kept). */
void sample(const BoxRows& r, int budget, cv::RNG& rng, std::vector<cv::Mat>& rows, std::vector<int>& labels) {
    std::vector<cv::Point> pts;
    cv::findNonZero(r.label != 255, pts);
    const int n = static_cast<int>(pts.size());
    for (int i = 0; i < std::min(n, budget); ++i) {
        std::swap(pts[static_cast<std::size_t>(i)], pts[static_cast<std::size_t>(rng.uniform(i, n))]);
        const cv::Point q = pts[static_cast<std::size_t>(i)];
        rows.push_back(r.rows.row(q.y * r.box.rect.width + q.x));
        labels.push_back(r.label.at<uchar>(q));
    }
}

} // namespace

cv::Mat learnedBoxFeatures(const FeatureStack& bank, const cv::Mat& grey, const cv::Mat& texture, const cv::Mat& outside,
                           const DetectionBox& box, int classCount) {
    const cv::Rect b = box.rect & cv::Rect({0, 0}, bank.size());
    if (b.empty())
        return {};
    const cv::Mat own = bank.samples(b);
    const int classes = std::max(0, classCount - 1);
    cv::Mat out(b.area(), own.cols + kExtraFeatures + classes, CV_32F, cv::Scalar(0));
    own.copyTo(out.colRange(0, own.cols));
    const cv::Mat zDark = boxContrast(grey, outside, b, false), zSmooth = boxContrast(texture, outside, b, false);
    const cv::Mat rankGrey = ranks(grey(b)), rankTexture = ranks(texture(b));
    const float w = static_cast<float>(b.width), h = static_cast<float>(b.height);
    const float half = 0.5F * std::min(w, h), side = std::max(w, h);
    const cv::Size image = bank.size();
    const float logW = std::log(w), logH = std::log(h);
    const float share = static_cast<float>(b.area()) / static_cast<float>(image.area());
    for (int y = 0; y < b.height; ++y) {
        for (int x = 0; x < b.width; ++x) {
            float* f = out.ptr<float>(y * b.width + x) + own.cols;
            const float cx = static_cast<float>(x) + 0.5F, cy = static_cast<float>(y) + 0.5F;
            const int ix = b.x + x, iy = b.y + y;
            const float border = static_cast<float>(std::min({ix, iy, image.width - 1 - ix, image.height - 1 - iy}));
            f[0] = std::min({cx, w - cx, cy, h - cy}) / half;
            f[1] = std::abs(cx / w - 0.5F) * 2.F;
            f[2] = std::abs(cy / h - 0.5F) * 2.F;
            f[3] = std::min(3.F, border / side);
            f[4] = logW;
            f[5] = logH;
            f[6] = share;
            f[7] = zDark.at<float>(y, x);
            f[8] = zSmooth.at<float>(y, x);
            f[9] = rankGrey.at<float>(y, x);
            f[10] = rankTexture.at<float>(y, x);
            f[11] = std::min(3.F, border / 32.F);
            if (box.classId >= 1 && box.classId <= classes)
                f[kExtraFeatures + box.classId - 1] = 1.F;
        }
    }
    return out;
}

std::vector<RefinementProposal> learnedProposals(const std::vector<LearnedImage>& images, int classCount,
                                                 const LearnedOptions& o, std::map<int, float>* chosen) {
    std::vector<std::size_t> teaching;
    for (std::size_t i = 0; i < images.size(); ++i) {
        if (!images[i].image || !images[i].start)
            throw std::invalid_argument("learned refinement: an image without its image or coarse start");
        if (!images[i].truth.empty() && !images[i].start->boxes.empty())
            teaching.push_back(i);
    }
    if (teaching.empty())
        throw std::runtime_error("no trusted mask of an image with boxes to learn from (review a few images, or pass --truth)");
    // The teaching images' boxes, described once (their features kept for their own cross-validated proposals).
    std::vector<std::vector<BoxRows>> taught(teaching.size());
    forEachImage(teaching.size(), o, [&](std::size_t k) {
        const LearnedImage& im = images[teaching[k]];
        taught[k] = describe(*im.image, *im.start, im.truth, classCount, o);
    });
    const int folds = std::min<int>(o.folds, static_cast<int>(teaching.size()));
    // Fold k holds every folds-th teaching image; a forest per fold learns from the others, and one from all.
    auto trainWithout = [&](int leftOut) {
        std::vector<cv::Mat> rows;
        std::vector<int> labels;
        for (std::size_t t = 0; t < taught.size(); ++t) {
            if (static_cast<int>(t % static_cast<std::size_t>(std::max(1, folds))) == leftOut)
                continue;
            cv::RNG rng(o.seed + static_cast<unsigned>(t));
            for (const BoxRows& r : taught[t])
                sample(r, o.samplesPerBox, rng, rows, labels);
        }
        Model m;
        ForestOptions fo = o.forest;
        fo.cancel = o.cancel;
        cv::Mat all;
        if (!rows.empty())
            cv::vconcat(rows, all);
        if (labels.empty())
            throw std::runtime_error("no learnt pixel in the trusted masks' boxes");
        m.train(all, labels, fo);
        return m;
    };
    std::vector<RefinementProposal> out(images.size());
    std::map<int, float> thresholds;
    if (folds >= 2) {
        std::vector<std::vector<cv::Mat>> heldOut(taught.size());
        for (int k = 0; k < folds; ++k) {
            checkCancel(o);
            const Model m = trainWithout(k);
            for (std::size_t t = static_cast<std::size_t>(k); t < taught.size(); t += static_cast<std::size_t>(folds))
                heldOut[t] = predict(m, taught[t], o);
        }
        if (o.classThresholds)
            thresholds = classThresholds(taught, heldOut, o);
        if (chosen)
            *chosen = thresholds;
        for (std::size_t t = 0; t < taught.size(); ++t)
            out[teaching[t]] = compose(*images[teaching[t]].start, taught[t], heldOut[t], thresholds, o);
    } else {  // a single teaching image: nothing else to learn its boxes from, its fills are kept
        RefinementProposal p;
        p.candidate = images[teaching.front()].start->coarse.clone();
        out[teaching.front()] = p;
    }
    std::vector<std::size_t> rest;
    for (std::size_t i = 0; i < images.size(); ++i)
        if (std::find(teaching.begin(), teaching.end(), i) == teaching.end())
            rest.push_back(i);
    if (rest.empty())
        return out;
    checkCancel(o);
    const Model all = trainWithout(-1);
    forEachImage(rest.size(), o, [&](std::size_t k) {
        const std::size_t i = rest[k];
        const std::vector<BoxRows> boxes = describe(*images[i].image, *images[i].start, {}, classCount, o);
        out[i] = compose(*images[i].start, boxes, predict(all, boxes, o), thresholds, o);
    });
    return out;
}

} // namespace mf
