// geocut's local refinement (issue 19): each click changes the previous mask only in a window around it
// and the object, with a local-contrast data term on grey images (boxContrast of core/review) and a
// geodesic guard that keeps a correction on its click's side.
#include "interactive/geocutimpl.h"
#include "interactive/geodesic.h"
#include "review/contrastrefinement.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace mf::geocut {

namespace {

/** Does `object` cross window `w`'s edge onto pixels `before` left out (the object, not the window,
 *  would have ended further out)? */
bool crossesEdge(const cv::Mat& object, const cv::Mat& before, const cv::Rect& w) {
    const cv::Rect outer = cv::Rect(w.x - 1, w.y - 1, w.width + 2, w.height + 2) & cv::Rect({0, 0}, object.size());
    for (int y = outer.y; y < outer.br().y; ++y)
        for (int x = outer.x; x < outer.br().x; ++x) {
            if (w.contains({x, y}) || before.at<uchar>(y, x))
                continue;
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    const cv::Point n(x + dx, y + dy);
                    if (w.contains(n) && object.at<uchar>(n) != 0)
                        return true;
                }
        }
    return false;
}

/** boxContrast's settings for clicks: the defaults, the surface interpolated on an averaged-down grid. */
ContrastOptions clickContrast() {
    ContrastOptions o;
    o.fastSurface = true;
    return o;
}

/** The part of the image boxContrast reads for window `r` (its context, ContrastOptions' defaults), with a
 *  4-px margin for the dilations that make its mask: the contrast term costs the window, not the image. */
cv::Rect contrastRegion(const cv::Rect& r, const cv::Size& size) {
    const ContrastOptions o;
    const int m = 4 + std::max(o.minContext, static_cast<int>(std::lround(o.contextScale * std::max(r.width, r.height))));
    return cv::Rect(r.x - m, r.y - m, r.width + 2 * m, r.height + 2 * m) & cv::Rect({0, 0}, size);
}

} // namespace

cv::Rect GeoCut::stepWindow(const cv::Mat& previous, const std::vector<Click>& clicks) const {
    const cv::Rect image({0, 0}, m_full.lab.size());
    const cv::Point p = clicks.back().pos;
    if (!previous.empty() && cv::countNonZero(previous) > 0) {
        const cv::Rect object = cv::boundingRect(previous) | cv::Rect(p, cv::Size(1, 1));
        const int m = std::max(m_o.firstWindow / 2,
                               static_cast<int>(std::lround(m_o.windowMargin * std::max(object.width, object.height))));
        return cv::Rect(object.x - m, object.y - m, object.width + 2 * m, object.height + 2 * m) & image;
    }
    if (m_grey.empty() || m_o.contrastWeight <= 0 || !clicks.back().positive)
        return image;  // a colour image's first click: the whole image (colour tells objects apart)
    return firstWindow(p);
}

cv::Mat GeoCut::localStep(const cv::Mat& previous, const std::vector<Click>& clicks, const ClickQuery& q) {
    const cv::Rect image({0, 0}, m_full.lab.size());
    const bool hasPrevious = !previous.empty() && cv::countNonZero(previous) > 0;
    const bool anyPositive = std::any_of(clicks.begin(), clicks.end(), [](const Click& c) { return c.positive; });
    const cv::Mat before = previous.empty() ? cv::Mat::zeros(image.size(), CV_8UC1) : previous;
    cv::Rect w = stepWindow(previous, clicks);
    for (;;) {
        const bool tooLarge = m_o.coarsePixels > 0 && static_cast<double>(w.area()) > m_o.coarsePixels;
        cv::Mat out = before.clone();
        if (tooLarge) {
            // A click-aware prior is asked for the whole image here, knowing the mask before the click.
            ClickQuery whole = q;
            cv::Mat stepMap;
            if (q.stepPrior) {
                stepMap = q.stepPrior->probability(before, clicks, image);
                whole.prior = &stepMap;
                whole.stepPrior = nullptr;
            }
            // A grey image's whole-image cut re-fits as any large window does (the contrast term leads there:
            // a first click's growth ending here took 0.29 s with every re-fit); a colour image's re-fits its
            // colour models fully (they are its evidence).
            const bool once = !m_grey.empty();
            wholeCut(clicks, whole, once ? m_o.largeWindowIterations : m_o.iterations)(w).copyTo(out(w));
        } else {
            cv::Rect r;
            windowCut(before, clicks, q, w, r).copyTo(out(r));
        }
        if (anyPositive)
            out = keepConnected(out, clicks, 1.0);
        // A negative click's window does not grow: it already holds the object and a margin, and growing
        // it after a leak would only let the leak spread. A positive click's does (a crack goes on).
        if (tooLarge || w == image || (hasPrevious && !clicks.back().positive && !m_o.growLater) ||
            !crossesEdge(out, before, w))
            return out;
        const int g = std::max(w.width, w.height) / 2;
        w = cv::Rect(w.x - g, w.y - g, w.width + 2 * g, w.height + 2 * g) & image;
    }
}

cv::Mat GeoCut::windowCut(const cv::Mat& previous, const std::vector<Click>& clicks, const ClickQuery& q,
                          const cv::Rect& w, cv::Rect& r) const {
    const cv::Rect image({0, 0}, previous.size());
    r = cv::Rect(w.x - 1, w.y - 1, w.width + 2, w.height + 2) & image;
    Level level;
    level.lab = m_full.lab(r);
    level.bins = m_full.bins(r);
    for (const cv::Mat& m : m_full.weights)
        level.weights.push_back(m(r));
    const cv::Rect inner = w - r.tl();
    // 1 = object, 2 = background, 0 = free; clicks as in seeds(), in the crop's coordinates.
    cv::Mat seedMap = cv::Mat::zeros(r.size(), CV_8UC1);
    if (!q.box.empty()) {
        seedMap.setTo(2);
        seedMap((q.box - r.tl()) & cv::Rect({0, 0}, r.size())).setTo(0);
    }
    for (const Click& c : clicks)
        cv::circle(seedMap, c.pos - r.tl(), seedRadius(), cv::Scalar(c.positive ? 1 : 2), cv::FILLED);
    // Outside the window (its 1-px ring) the previous mask stands.
    const cv::Mat prev = previous(r);
    cv::Mat fixed(r.size(), CV_8UC1, cv::Scalar(0));
    fixed.setTo(2, prev == 0);
    fixed.setTo(1, prev != 0);
    fixed(inner).setTo(0);
    fixed.setTo(0, seedMap != 0);
    cv::Mat fgSrc = (seedMap == 1) | (fixed == 1), bgSrc = (seedMap == 2) | (fixed == 2);
    if (cv::countNonZero(bgSrc) == 0 && q.box.empty())
        cv::rectangle(bgSrc, cv::Rect({0, 0}, r.size()), cv::Scalar(255), 1);
    const cv::Mat fgGeo = geodesicDistance(level.lab, fgSrc, m_o.edgeCost);
    const cv::Mat bgGeo = geodesicDistance(level.lab, bgSrc, m_o.edgeCost);
    const cv::Mat prior = q.stepPrior                    ? q.stepPrior->probability(previous, clicks, r)
                          : q.prior && !q.prior->empty() ? (*q.prior)(r)
                                                         : cv::Mat();
    // The colour models start from the geodesic split, as on the whole image: the new click's side of it.
    cv::Mat object = ((fgGeo < bgGeo) & (seedMap != 2)) | (fixed == 1);
    bool useContrast = !m_grey.empty() && m_o.contrastWeight > 0;
    const cv::Mat previousTerm = m_o.previousWeight > 0 && cv::countNonZero(prev) > 0 ? prev : cv::Mat();
    const int iterations = w.area() > m_o.largeWindowPixels ? m_o.largeWindowIterations : m_o.iterations;
    for (int it = 0; it < std::max(1, iterations); ++it) {
        cv::Mat z;
        if (useContrast) {
            z = contrastMap(previous, object, r, seedMap);
            // A click that does not stand out of the surface (a texture, not a stain) gets no contrast term.
            const cv::Mat positive = seedMap == 1;
            if (it == 0 && cv::countNonZero(positive) > 0 && cv::mean(z, positive)[0] < m_o.contrastMinClick) {
                useContrast = false;
                z.release();
            }
            if (!z.empty() && m_o.adaptThreshold)
                z -= clickThreshold(z, clicks, r) - m_o.contrastThreshold;
        }
        cv::Mat next = cut(level, dataCosts(level, object, fgGeo, bgGeo, prior, z, previousTerm), seedMap, fixed);
        const bool stable = cv::countNonZero(next != object) == 0;
        object = next;
        if (stable)
            break;
    }
    if (m_o.geodesicGuard > 0 && cv::countNonZero(prev) > 0) {
        // A click changes only what lies on its side of the geodesic split: it takes away no pixel
        // geodesicGuard times nearer the object's seeds than the background's, and adds none the other way.
        const cv::Mat removed = (prev != 0) & (object == 0) & (bgGeo > m_o.geodesicGuard * fgGeo);
        const cv::Mat added = (prev == 0) & (object != 0) & (fgGeo > m_o.geodesicGuard * bgGeo);
        object.setTo(255, removed);
        object.setTo(0, added);
    }
    return object;
}

float GeoCut::clickThreshold(const cv::Mat& z, const std::vector<Click>& clicks, const cv::Rect& r) const {
    float lowestPositive = 1e30f, highestNegative = -1e30f;
    for (const Click& c : clicks) {
        if (!r.contains(c.pos))
            continue;
        const float v = z.at<float>(c.pos - r.tl());
        if (c.positive)
            lowestPositive = std::min(lowestPositive, v);
        else
            highestNegative = std::max(highestNegative, v);
    }
    const float margin = 0.5f;
    float t = m_o.contrastThreshold;

    // Where they disagree the positive clicks win: a negative click darker than an object click is
    // left to the geodesic term, else one click on a dark rim would take the whole object.
    if (highestNegative > -1e30f)
        t = std::max(t, highestNegative + margin);
    if (lowestPositive < 1e30f)
        t = std::min(t, lowestPositive - margin);
    return std::max(m_o.minThreshold, t);
}

cv::Rect GeoCut::firstWindow(cv::Point p) const {
    const cv::Rect image({0, 0}, m_grey.size());
    int r = std::max(4, m_o.firstWindow);
    for (;;) {
        const cv::Rect w = cv::Rect(p.x - r, p.y - r, 2 * r + 1, 2 * r + 1) & image;
        if (w == image || (m_o.coarsePixels > 0 && static_cast<double>(w.area()) > m_o.coarsePixels))
            return w;
        const cv::Rect around = contrastRegion(w, image.size());
        cv::Mat outside(around.size(), CV_8UC1, cv::Scalar(255));
        cv::circle(outside, p - around.tl(), std::max(3, r / 4), cv::Scalar(0), cv::FILLED);
        const cv::Mat z = boxContrast(m_grey(around), outside, w - around.tl(), false, clickContrast());
        cv::Mat disk = cv::Mat::zeros(w.size(), CV_8UC1);
        cv::circle(disk, p - w.tl(), std::max(1, seedRadius()), cv::Scalar(255), cv::FILLED);
        if (std::abs(cv::mean(z, disk)[0]) >= m_o.contrastThreshold)
            return w;
        r *= 2;
    }
}

cv::Mat GeoCut::contrastMap(const cv::Mat& previous, const cv::Mat& object, const cv::Rect& r,
                            const cv::Mat& seedMap) const {
    // Only the region boxContrast reads: the previous mask there, with the window's object in place.
    const cv::Rect around = contrastRegion(r, previous.size());
    const cv::Rect inner = r - around.tl();
    cv::Mat mask = previous(around).clone();
    object.copyTo(mask(inner));
    // The surface is what lies around the object: its pixels and a 2-px margin are left out.
    cv::Mat grown;
    cv::dilate(mask, grown, cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
    cv::Mat positive = cv::Mat::zeros(around.size(), CV_8UC1);
    positive(inner).setTo(255, seedMap == 1);
    cv::dilate(positive, positive, cv::getStructuringElement(cv::MORPH_ELLIPSE, {7, 7}));
    const cv::Mat outside = (grown == 0) & (positive == 0);
    cv::Mat z = boxContrast(m_grey(around), outside, inner, false, clickContrast());
    // Darker or brighter: as the positive seeds are (or the object so far, when the window holds none).
    const cv::Mat here = cv::countNonZero(seedMap == 1) > 0 ? cv::Mat(seedMap == 1) : cv::Mat(object != 0);
    if (cv::countNonZero(here) > 0 && cv::mean(z, here)[0] < 0)
        z = -z;
    return z;
}

} // namespace mf::geocut
