// "geocut": a graph cut seeded by the clicks. Data term: colour histograms of object and background,
// re-fitted to the cut a few times (GrabCut's idea, with histograms instead of GMMs for speed), plus
// the geodesic foreground probability of Bai and Sapiro (distance to the positive clicks against the
// distance to the negative clicks and the image border or box), plus the prior when given. Boundary
// term: GrabCut's contrast-sensitive weights. Only regions connected to a positive click are kept.
// This file: the whole-image cut and the cut itself; geocutlocal.cpp: local refinement (the default).
#include "interactive/geocutimpl.h"
#include "interactive/geodesic.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/imgproc/detail/gcgraph.hpp>

#include <algorithm>
#include <cmath>

namespace mf::geocut {
namespace {

constexpr float kHard = 1e6f;

/** Smoothed colour histogram: 16^3 RGB bins (or 64 grey bins), [1 2 1] blurred along each axis. */
class ColourModel {
public:
    ColourModel(int dims, int binsPerAxis) : m_dims(dims), m_bins(binsPerAxis) {
        m_hist.assign(static_cast<std::size_t>(std::pow(binsPerAxis, dims)), 0.f);
    }
    void add(int bin) { m_hist[bin] += 1.f, m_total += 1.f; }
    /** -log probability of each bin, after smoothing and a small uniform share. */
    std::vector<float> costs() const {
        std::vector<float> h = m_hist;
        for (int axis = 0; axis < m_dims; ++axis)
            blurAxis(h, axis);
        const float n = static_cast<float>(h.size());
        const float alpha = 0.5f;
        float total = 0.f;
        for (float v : h)
            total += v;
        std::vector<float> out(h.size());
        for (std::size_t i = 0; i < h.size(); ++i)
            out[i] = -std::log((h[i] + alpha) / (total + alpha * n));
        return out;
    }
    float total() const { return m_total; }

private:
    void blurAxis(std::vector<float>& h, int axis) const {
        int stride = 1;
        for (int a = 0; a < axis; ++a)
            stride *= m_bins;
        std::vector<float> src = h;
        for (std::size_t i = 0; i < h.size(); ++i) {
            const int k = static_cast<int>(i / stride) % m_bins;
            float v = 2.f * src[i], w = 2.f;
            if (k > 0)
                v += src[i - stride], w += 1.f;
            if (k + 1 < m_bins)
                v += src[i + stride], w += 1.f;
            h[i] = v / w;
        }
    }
    int m_dims, m_bins;
    std::vector<float> m_hist;
    float m_total = 0.f;
};

} // namespace

Level makeLevel(const cv::Mat& rgb, bool grey, double scale) {
    Level l;
    l.scale = scale;
    l.bins.create(rgb.size(), CV_32SC1);
    for (int y = 0; y < rgb.rows; ++y) {
        const cv::Vec3b* p = rgb.ptr<cv::Vec3b>(y);
        int* b = l.bins.ptr<int>(y);
        for (int x = 0; x < rgb.cols; ++x)
            b[x] = grey ? p[x][0] >> 2 : (p[x][0] >> 4) | ((p[x][1] >> 4) << 4) | ((p[x][2] >> 4) << 8);
    }
    cv::Mat f;
    rgb.convertTo(f, CV_32FC3, 1.0 / 255.0);
    cv::cvtColor(f, l.lab, cv::COLOR_RGB2Lab);
    l.weights = boundaryWeights(l.lab);
    return l;
}

cv::Point scaled(cv::Point p, double s) { return {static_cast<int>(p.x * s), static_cast<int>(p.y * s)}; }

/** Keeps the regions of `mask` (0/255) that hold a positive click. */
cv::Mat keepConnected(const cv::Mat& mask, const std::vector<Click>& clicks, double scale) {
    cv::Mat labels;
    cv::connectedComponents(mask, labels, 8, CV_32S);
    cv::Mat keep = cv::Mat::zeros(mask.size(), CV_8UC1);
    std::vector<int> kept;
    const cv::Rect inside({0, 0}, mask.size());
    for (const Click& c : clicks) {
        const cv::Point p = scaled(c.pos, scale);
        if (!c.positive || !inside.contains(p))
            continue;
        const int l = labels.at<int>(p);
        if (l > 0 && std::find(kept.begin(), kept.end(), l) == kept.end()) {
            kept.push_back(l);
            keep.setTo(255, labels == l);
        }
    }
    return keep;
}

void GeoCut::setImage(const cv::Mat& image) {
    cv::Mat rgb;
    if (image.channels() == 1)
        cv::cvtColor(image, rgb, cv::COLOR_GRAY2RGB);
    else
        rgb = image;
    std::vector<cv::Mat> ch;
    cv::split(rgb, ch);
    const bool grey = image.channels() == 1 || (cv::countNonZero(ch[0] != ch[1]) == 0 && cv::countNonZero(ch[1] != ch[2]) == 0);
    m_dims = grey ? 1 : 3;
    m_binsPerAxis = grey ? 64 : 16;
    m_full = makeLevel(rgb, grey, 1.0);
    m_steps.clear();
    m_base.release();
    m_stepsBox = cv::Rect();
    m_stepsPrior = nullptr;
    if (grey) {
        ch[0].convertTo(m_grey, CV_32F);
        cv::GaussianBlur(m_grey, m_grey, cv::Size(0, 0), 1.0, 1.0, cv::BORDER_REFLECT);
    } else {
        m_grey.release();
    }
    // Large images are cut at a coarse level first (the colour models' iterations), then only in a
    // band around the boundary at full resolution: the narrow-band graph cut of Lombaert et al. (2005).
    const double pixels = static_cast<double>(rgb.total());
    m_twoLevels = m_o.coarsePixels > 0 && pixels > m_o.coarsePixels;
    if (m_twoLevels) {
        const double s = std::sqrt(m_o.coarsePixels / pixels);
        cv::Mat small;
        cv::resize(rgb, small, cv::Size(), s, s, cv::INTER_AREA);
        m_coarse = makeLevel(small, grey, static_cast<double>(small.cols) / rgb.cols);
    }
}

cv::Mat GeoCut::seeds(const Level& level, const std::vector<Click>& clicks, const ClickQuery& q) const {
    // 1 = object, 2 = background, 0 = free.
    cv::Mat s = cv::Mat::zeros(level.lab.size(), CV_8UC1);
    if (!q.box.empty()) {
        const cv::Rect box(scaled(q.box.tl(), level.scale), scaled(q.box.br(), level.scale));
        s.setTo(2);
        s(box & cv::Rect({0, 0}, s.size())).setTo(0);
    }
    const int radius = std::max(0, static_cast<int>(std::lround(seedRadius() * level.scale)));
    for (const Click& c : clicks)
        cv::circle(s, scaled(c.pos, level.scale), radius, cv::Scalar(c.positive ? 1 : 2), cv::FILLED);
    return s;
}

cv::Mat GeoCut::dataCosts(const Level& level, const cv::Mat& object, const cv::Mat& fgGeo, const cv::Mat& bgGeo,
                          const cv::Mat& prior, const cv::Mat& contrast, const cv::Mat& previous) const {
    ColourModel fg(m_dims, m_binsPerAxis), bg(m_dims, m_binsPerAxis);
    for (int y = 0; y < object.rows; ++y) {
        const uchar* o = object.ptr<uchar>(y);
        const int* b = level.bins.ptr<int>(y);
        for (int x = 0; x < object.cols; ++x)
            (o[x] ? fg : bg).add(b[x]);
    }
    const std::vector<float> fgCost = fg.costs(), bgCost = bg.costs();
    // Channel 0: the cost of labelling the pixel object; channel 1: background.
    cv::Mat costs(object.size(), CV_32FC2);
    for (int y = 0; y < object.rows; ++y) {
        const int* b = level.bins.ptr<int>(y);
        const float* gf = fgGeo.ptr<float>(y);
        const float* gb = bgGeo.ptr<float>(y);
        const float* pr = prior.empty() ? nullptr : prior.ptr<float>(y);
        const float* z = contrast.empty() ? nullptr : contrast.ptr<float>(y);
        const uchar* pv = previous.empty() ? nullptr : previous.ptr<uchar>(y);
        cv::Vec2f* c = costs.ptr<cv::Vec2f>(y);
        for (int x = 0; x < object.cols; ++x) {
            float cf = m_o.colourWeight * fgCost[b[x]], cb = m_o.colourWeight * bgCost[b[x]];
            if (z) {
                const float p = std::clamp(1.f / (1.f + std::exp(-(z[x] - m_o.contrastThreshold) / m_o.contrastSlope)), 0.02f, 0.98f);
                cf -= m_o.contrastWeight * std::log(p);
                cb -= m_o.contrastWeight * std::log(1.f - p);
            }
            if (pv)
                (pv[x] ? cb : cf) += m_o.previousWeight;
            const float pg = std::clamp(gb[x] / std::max(gf[x] + gb[x], 1e-6f), 0.01f, 0.99f);
            cf -= m_o.geodesicWeight * std::log(pg);
            cb -= m_o.geodesicWeight * std::log(1.f - pg);
            if (pr) {
                const float p = std::clamp(pr[x], 0.01f, 0.99f);
                cf -= m_priorWeightNow * std::log(p);
                cb -= m_priorWeightNow * std::log(1.f - p);
            }
            c[x] = {cf, cb};
        }
    }
    return costs;
}

cv::Mat GeoCut::cut(const Level& level, const cv::Mat& costs, const cv::Mat& seedMap, const cv::Mat& fixed) const {
    // fixed: 0 = a node of the graph, 1 = object, 2 = background (its neighbours' boundary terms
    // become their terminal capacities). Empty: every pixel is a node.
    const int w = costs.cols, h = costs.rows;
    cv::Mat index(h, w, CV_32SC1, cv::Scalar(-1));
    int nodes = 0;
    for (int y = 0; y < h; ++y) {
        int* ix = index.ptr<int>(y);
        const uchar* f = fixed.empty() ? nullptr : fixed.ptr<uchar>(y);
        for (int x = 0; x < w; ++x)
            if (!f || f[x] == 0)
                ix[x] = nodes++;
    }
    const int dirs = m_o.eightConnected ? 4 : 2;
    // OpenCV's Boykov-Kolmogorov max-flow (the one cv::grabCut cuts with).
    cv::detail::GCGraph<float> graph(static_cast<unsigned>(nodes), static_cast<unsigned>(2 * nodes * dirs));
    for (int i = 0; i < nodes; ++i)
        graph.addVtx();
    // Each node's source minus sink capacity: a graph without any edge (a window of one pixel, or of
    // nodes each walled in by seeds) is decided by it, as OpenCV's max-flow refuses an edgeless graph.
    std::vector<float> net(static_cast<std::size_t>(nodes), 0.f);
    auto term = [&graph, &net](int i, float source, float sink) {
        graph.addTermWeights(i, source, sink);
        net[static_cast<std::size_t>(i)] += source - sink;
    };
    bool anyEdge = false;
    for (int y = 0; y < h; ++y) {
        const cv::Vec2f* c = costs.ptr<cv::Vec2f>(y);
        const uchar* s = seedMap.ptr<uchar>(y);
        const int* ix = index.ptr<int>(y);
        for (int x = 0; x < w; ++x) {
            if (ix[x] < 0)
                continue;
            // Source = object: the source capacity is what labelling the pixel background costs.
            if (s[x] == 1)
                term(ix[x], kHard, 0.f);
            else if (s[x] == 2)
                term(ix[x], 0.f, kHard);
            else
                term(ix[x], c[x][1], c[x][0]);
        }
    }
    // A coarse pixel stands for 1/scale^2 pixels of area but 1/scale of boundary: relative to the data
    // term the boundary term shrinks by the scale.
    const float smoothness = m_o.smoothness * static_cast<float>(level.scale);
    const int dx[4] = {1, 0, 1, -1}, dy[4] = {0, 1, 1, 1};
    for (int d = 0; d < dirs; ++d) {
        for (int y = 0; y + dy[d] < h; ++y) {
            const float* wr = level.weights[d].ptr<float>(y);
            const int* ia = index.ptr<int>(y);
            const int* ib = index.ptr<int>(y + dy[d]);
            for (int x = std::max(0, -dx[d]); x < w && x + dx[d] < w; ++x) {
                const int a = ia[x], b = ib[x + dx[d]];
                if (a < 0 && b < 0)
                    continue;
                const float v = smoothness * wr[x];
                if (a >= 0 && b >= 0) {
                    graph.addEdges(a, b, v, v);
                    anyEdge = true;
                } else if (a >= 0) {
                    fixed.at<uchar>(y + dy[d], x + dx[d]) == 1 ? term(a, v, 0.f) : term(a, 0.f, v);
                } else {
                    fixed.at<uchar>(y, x) == 1 ? term(b, v, 0.f) : term(b, 0.f, v);
                }
            }
        }
    }
    if (anyEdge)
        graph.maxFlow();
    auto isObject = [&](int i) { return anyEdge ? graph.inSourceSegment(i) : net[static_cast<std::size_t>(i)] > 0.f; };
    cv::Mat mask(h, w, CV_8UC1);
    for (int y = 0; y < h; ++y) {
        uchar* m = mask.ptr<uchar>(y);
        const int* ix = index.ptr<int>(y);
        const uchar* f = fixed.empty() ? nullptr : fixed.ptr<uchar>(y);
        for (int x = 0; x < w; ++x)
            m[x] = ix[x] >= 0 ? (isObject(ix[x]) ? 255 : 0) : (f[x] == 1 ? 255 : 0);
    }
    return mask;
}

cv::Mat GeoCut::coarseCut(const Level& level, const std::vector<Click>& clicks, const ClickQuery& q, int iterations,
                          cv::Mat& fgGeo, cv::Mat& bgGeo) const {
    const cv::Size size = level.lab.size();
    const bool anyPositive = std::any_of(clicks.begin(), clicks.end(), [](const Click& c) { return c.positive; });
    const cv::Mat seedMap = seeds(level, clicks, q);
    // Geodesic sources: the positive clicks (or the box's centre); the negative clicks plus the image
    // border (or the box's outside).
    cv::Mat fgSrc = seedMap == 1, bgSrc = seedMap == 2;
    if (!anyPositive)
        cv::circle(fgSrc, scaled((q.box.tl() + q.box.br()) / 2, level.scale), 1, cv::Scalar(255), cv::FILLED);
    if (q.box.empty())
        cv::rectangle(bgSrc, cv::Rect({0, 0}, size), cv::Scalar(255), 1);
    fgGeo = geodesicDistance(level.lab, fgSrc, m_o.edgeCost);
    bgGeo = geodesicDistance(level.lab, bgSrc, m_o.edgeCost);
    cv::Mat prior;
    if (q.prior && !q.prior->empty())
        cv::resize(*q.prior, prior, size, 0, 0, cv::INTER_AREA);
    cv::Mat object = (fgGeo < bgGeo) & (seedMap != 2);
    for (int it = 0; it < std::max(1, iterations); ++it) {
        cv::Mat next = cut(level, dataCosts(level, object, fgGeo, bgGeo, prior), seedMap, cv::Mat());
        if (anyPositive)
            next = keepConnected(next, clicks, level.scale);
        const bool stable = cv::countNonZero(next != object) == 0;
        object = next;
        if (stable)
            break;
    }
    return object;
}

cv::Mat GeoCut::bandCut(const cv::Mat& coarse, const std::vector<Click>& clicks, const ClickQuery& q,
                        const cv::Mat& fgGeoCoarse, const cv::Mat& bgGeoCoarse) const {
    const cv::Size size = m_full.lab.size();
    cv::Mat up, fgGeo, bgGeo;
    cv::resize(coarse, up, size, 0, 0, cv::INTER_LINEAR);
    up = up > 127;
    cv::resize(fgGeoCoarse, fgGeo, size, 0, 0, cv::INTER_LINEAR);
    cv::resize(bgGeoCoarse, bgGeo, size, 0, 0, cv::INTER_LINEAR);
    const int r = static_cast<int>(std::ceil(2.0 / m_coarse.scale)) + 1;
    const cv::Mat disk = cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * r + 1, 2 * r + 1});
    cv::Mat grown, shrunk;
    cv::dilate(up, grown, disk);
    cv::erode(up, shrunk, disk);
    cv::Mat fixed(size, CV_8UC1, cv::Scalar(0));
    fixed.setTo(1, shrunk);
    fixed.setTo(2, grown == 0);
    const cv::Mat seedMap = seeds(m_full, clicks, q);
    fixed.setTo(0, seedMap != 0);  // the clicks' seeds decide in the graph, not the coarse result
    const cv::Mat empty;
    const cv::Mat costs = dataCosts(m_full, up, fgGeo, bgGeo, q.prior ? *q.prior : empty);
    cv::Mat mask = cut(m_full, costs, seedMap, fixed);
    const bool anyPositive = std::any_of(clicks.begin(), clicks.end(), [](const Click& c) { return c.positive; });
    return anyPositive ? keepConnected(mask, clicks, 1.0) : mask;
}

cv::Mat GeoCut::wholeCut(const std::vector<Click>& clicks, const ClickQuery& q, int iterations) {
    cv::Mat fgGeo, bgGeo;
    const cv::Mat coarse = coarseCut(m_twoLevels ? m_coarse : m_full, clicks, q, iterations, fgGeo, bgGeo);
    return m_twoLevels ? bandCut(coarse, clicks, q, fgGeo, bgGeo) : coarse;
}

cv::Mat GeoCut::segment(const ClickQuery& q) {
    const cv::Size size = m_full.lab.size();
    checkPrior(q.prior, size);
    const std::vector<Click> clicks = clicksInside(q.clicks, size);
    const bool anyPositive = std::any_of(clicks.begin(), clicks.end(), [](const Click& c) { return c.positive; });
    if ((!anyPositive && q.box.empty()) || size.empty())
        return cv::Mat::zeros(size, CV_8UC1);
    const auto weightAfter = [this](std::size_t n) {
        return m_o.priorWeight / (1.f + m_o.priorFade * static_cast<float>(std::max<std::size_t>(n, 1) - 1));
    };
    if (!m_o.local) {
        m_priorWeightNow = weightAfter(clicks.size());
        if (!q.stepPrior)
            return wholeCut(clicks, q, m_o.iterations);
        ClickQuery whole = q;
        const cv::Mat map = q.stepPrior->probability(cv::Mat(), clicks, cv::Rect({0, 0}, size));
        whole.prior = &map;
        whole.stepPrior = nullptr;
        return wholeCut(clicks, whole, m_o.iterations);
    }
    // Each click's step starts from the mask of the clicks before it, so the answer depends on the clicks
    // alone; the steps of a query that extends the last one are taken from the cache.
    const bool hasPrior = q.prior && !q.prior->empty() && !q.stepPrior;
    const void* prior = q.stepPrior ? static_cast<const void*>(q.stepPrior) : hasPrior ? q.prior->data : nullptr;
    const double priorSum = hasPrior ? cv::sum(*q.prior)[0] : 0.0;
    if (q.box != m_stepsBox || prior != m_stepsPrior || priorSum != m_stepsPriorSum) {
        m_steps.clear();
        m_base.release();
        m_stepsBox = q.box, m_stepsPrior = prior, m_stepsPriorSum = priorSum;
    }
    std::size_t same = 0;
    while (same < m_steps.size() && same < clicks.size() && m_steps[same].click.pos == clicks[same].pos &&
           m_steps[same].click.positive == clicks[same].positive)
        ++same;
    m_steps.resize(same);
    if (!q.box.empty() && m_base.empty()) {
        m_priorWeightNow = weightAfter(0);
        m_base = wholeCut({}, q, m_o.iterations);
    }
    for (std::size_t i = same; i < clicks.size(); ++i) {
        const std::vector<Click> upTo(clicks.begin(), clicks.begin() + static_cast<std::ptrdiff_t>(i + 1));
        m_priorWeightNow = weightAfter(i + 1);
        m_steps.push_back({clicks[i], localStep(i > 0 ? m_steps[i - 1].mask : m_base, upTo, q)});
    }
    return (m_steps.empty() ? m_base : m_steps.back().mask).clone();
}

} // namespace mf::geocut

namespace mf {

std::unique_ptr<ClickSegmenter> makeGeoCut(const GeoCutOptions& options) { return std::make_unique<geocut::GeoCut>(options); }

} // namespace mf
