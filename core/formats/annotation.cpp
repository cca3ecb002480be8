#include "formats/annotation.h"

#include "formats/readers.h"
#include "io/maskcounts.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace mf::formats {

LabelMap::LabelMap(std::vector<ClassInfo> classes, bool addMissing) : m_classes(std::move(classes)), m_addMissing(addMissing) {}

LabelMap LabelMap::fromLabelsText(const std::string& text, const std::string& file, bool addMissing) {
    std::vector<ClassInfo> classes;
    bool first = true;
    for (const std::string& line : parseNames(text)) {  // trimmed, blank lines skipped: as classes.txt
        if (first && line == "__ignore__") {
            first = false;
            continue;
        }
        first = false;
        const int id = static_cast<int>(classes.size());
        if (id >= kIgnore)
            throw FileError(file, "more than 255 classes");
        for (const ClassInfo& c : classes)
            if (c.name == line)
                throw FileError(file, "class \"" + line + "\" is listed twice");
        classes.push_back({id, line, defaultClassColor(id)});
    }
    if (classes.empty())
        throw FileError(file, "no class names");
    return LabelMap(std::move(classes), addMissing);
}

std::optional<int> LabelMap::classOf(const std::string& name) {
    if (name == "__ignore__")
        return kIgnore;
    for (const ClassInfo& c : m_classes)
        if (c.name == name)
            return c.id;
    if (name == "_background_" || name == "background")
        return 0;
    if (!m_addMissing || name.empty())
        return std::nullopt;
    if (m_classes.empty())
        m_classes.push_back({0, "background", defaultClassColor(0)});
    const int id = m_classes.back().id + 1;
    if (id >= kIgnore)
        return std::nullopt;
    m_classes.push_back({id, name, defaultClassColor(id)});
    m_added.push_back(name);
    return id;
}

std::optional<int> LabelMap::classOfIndex(int k, const std::vector<std::string>& names) {
    if (k < 0)
        return std::nullopt;
    if (!names.empty()) {
        if (k >= static_cast<int>(names.size()))
            return std::nullopt;
        return classOf(names[static_cast<std::size_t>(k)]);
    }
    // No names: the project's k-th non-background class, as the sample's YOLO files assume (k -> k + 1).
    const std::string byNumber = "class_" + std::to_string(k + 1);
    for (const ClassInfo& c : m_classes)
        if (c.id == k + 1)
            return c.id;
    return classOf(byNumber);
}

namespace {

int truncate(double v) { return toIntClamped(v); }  // PIL casts to int: towards zero
int roundHalfUp(double f) { return toIntClamped(f >= 0.0 ? std::floor(f + 0.5) : -std::floor(std::fabs(f) + 0.5)); }
int roundHalfDown(double f) { return toIntClamped(f >= 0.0 ? std::ceil(f - 0.5) : -std::ceil(std::fabs(f) - 0.5)); }

void hline(cv::Mat& mask, int x0, int y, int x1, int value) {
    if (y < 0 || y >= mask.rows)
        return;
    x0 = std::max(x0, 0);
    x1 = std::min(x1, mask.cols - 1);
    if (x0 <= x1)
        std::fill(mask.ptr<uchar>(y) + x0, mask.ptr<uchar>(y) + x1 + 1, static_cast<uchar>(value));
}

struct Edge {
    int x0, y0, ymin, ymax, xmin, xmax;
    float dx;
};

Edge makeEdge(int x0, int y0, int x1, int y1) {
    Edge e{x0, y0, std::min(y0, y1), std::max(y0, y1), std::min(x0, x1), std::max(x0, x1), 0.f};
    if (y0 != y1)
        e.dx = (static_cast<float>(x1) - static_cast<float>(x0)) / (static_cast<float>(y1) - static_cast<float>(y0));  // no int overflow
    return e;
}

} // namespace

void fillPolygonPil(cv::Mat& mask, const std::vector<cv::Point2d>& points, int value) {
    if (points.empty())
        return;
    std::vector<cv::Point> v;
    for (const cv::Point2d& p : points)
        v.emplace_back(truncate(p.x), truncate(p.y));
    std::vector<Edge> edges;
    for (std::size_t i = 0; i + 1 < v.size(); ++i)
        edges.push_back(makeEdge(v[i].x, v[i].y, v[i + 1].x, v[i + 1].y));
    if (v.back() != v.front())
        edges.push_back(makeEdge(v.back().x, v.back().y, v.front().x, v.front().y));
    int ymin = mask.rows - 1, ymax = 0;
    std::vector<const Edge*> sloped;
    for (const Edge& e : edges) {
        ymin = std::min(ymin, e.ymin);
        ymax = std::max(ymax, e.ymax);
        if (e.ymin == e.ymax)
            hline(mask, e.xmin, e.ymin, e.xmax, value);
        else
            sloped.push_back(&e);
    }
    ymin = std::max(ymin, 0);
    ymax = std::min(ymax, mask.rows);
    std::vector<float> xs;
    for (int y = ymin; y <= ymax; ++y) {
        xs.clear();
        for (const Edge* e : sloped) {
            if (y >= e->ymin && y <= e->ymax) {
                xs.push_back(static_cast<float>(y - e->y0) * e->dx + static_cast<float>(e->x0));
                // An edge ending on this row counts twice, so that a vertex where one edge ends and the
                // next goes on keeps the crossings paired.
                if (y == e->ymax && y < ymax)
                    xs.push_back(xs.back());
            }
        }
        std::sort(xs.begin(), xs.end());
        for (std::size_t i = 1; i < xs.size(); i += 2)
            hline(mask, roundHalfUp(xs[i - 1]), y, roundHalfDown(xs[i]), value);
    }
}

namespace {

/** rleFrPoly's dense boundary: the vertices scaled by 5 and rounded, every edge walked in unit steps
 *  along its longer axis (maskApi.c, lines for lines). */
void densePoints(const std::vector<long long>& x, const std::vector<long long>& y, std::vector<long long>& u, std::vector<long long>& v) {
    const std::size_t k = x.size() - 1;
    for (std::size_t j = 0; j < k; ++j) {
        long long xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
        const long long dx = std::llabs(xe - xs), dy = std::llabs(ys - ye);
        const bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
        if (flip) {
            std::swap(xs, xe);
            std::swap(ys, ye);
        }
        const double s = dx >= dy ? (dx ? static_cast<double>(ye - ys) / static_cast<double>(dx) : 0.0)
                                  : static_cast<double>(xe - xs) / static_cast<double>(dy);
        if (dx >= dy)
            for (long long d = 0; d <= dx; ++d) {
                const long long t = flip ? dx - d : d;
                u.push_back(t + xs);
                v.push_back(static_cast<long long>(static_cast<double>(ys) + s * static_cast<double>(t) + .5));
            }
        else
            for (long long d = 0; d <= dy; ++d) {
                const long long t = flip ? dy - d : d;
                v.push_back(t + ys);
                u.push_back(static_cast<long long>(static_cast<double>(xs) + s * static_cast<double>(t) + .5));
            }
    }
}

} // namespace

bool fillPolygonCoco(cv::Mat& mask, const std::vector<cv::Point2d>& points, int value) {
    const long long h = mask.rows, w = mask.cols;
    if (points.empty() || h == 0 || w == 0)
        return true;
    // Coordinates far outside the image only change where the boundary runs outside it; clamping them
    // bounds the work for hostile files (the dense boundary has one point per 1/5 pixel).
    const double limit = 4.0 * static_cast<double>(h + w);
    const auto scaled = [&](double c) {
        const double clamped = std::isfinite(c) ? std::clamp(c, -limit, limit) : 0.0;
        return static_cast<long long>(5.0 * clamped + .5);  // C's (int) cast: towards zero
    };
    std::vector<long long> x, y, u, v;
    for (const cv::Point2d& p : points)
        x.push_back(scaled(p.x)), y.push_back(scaled(p.y));
    x.push_back(x[0]);
    y.push_back(y[0]);
    long long dense = 0;
    for (std::size_t j = 0; j + 1 < x.size(); ++j)
        dense += std::max(std::llabs(x[j] - x[j + 1]), std::llabs(y[j] - y[j + 1])) + 1;
    if (dense > (1LL << 26))
        return false;  // a boundary of more than 64M points: a hostile file, not an annotation
    densePoints(x, y, u, v);
    // The crossings of each column's centre line, as run starts in column-major order.
    std::vector<unsigned long long> a;
    for (std::size_t j = 1; j < u.size(); ++j) {
        if (u[j] == u[j - 1])
            continue;
        double xd = static_cast<double>(u[j] < u[j - 1] ? u[j] : u[j] - 1);
        xd = (xd + .5) / 5.0 - .5;
        if (std::floor(xd) != xd || xd < 0 || xd > static_cast<double>(w - 1))
            continue;
        double yd = static_cast<double>(std::min(v[j], v[j - 1]));
        yd = std::ceil(std::clamp((yd + .5) / 5.0 - .5, 0.0, static_cast<double>(h)));
        a.push_back(static_cast<unsigned long long>(xd) * static_cast<unsigned long long>(h) + static_cast<unsigned long long>(yd));
    }
    a.push_back(static_cast<unsigned long long>(h * w));
    std::sort(a.begin(), a.end());
    // Runs between crossings, alternately outside and inside; two crossings at one place cancel
    // (rleFrPoly merges a zero-length run into the one before).
    std::vector<unsigned long long> runs;
    unsigned long long previous = 0;
    for (unsigned long long& t : a) {
        const unsigned long long d = t - previous;
        previous = t;
        t = d;
    }
    for (std::size_t j = 0; j < a.size();) {
        if (runs.empty() || a[j] > 0) {
            runs.push_back(a[j++]);
        } else {
            ++j;
            if (j < a.size())
                runs.back() += a[j++];
        }
    }
    unsigned long long pos = 0;
    bool inside = false;
    for (unsigned long long run : runs) {
        if (inside)
            for (unsigned long long p = pos; p < pos + run && p < static_cast<unsigned long long>(h * w); ++p)
                mask.at<uchar>(static_cast<int>(p % h), static_cast<int>(p / h)) = static_cast<uchar>(value);
        pos += run;
        inside = !inside;
    }
    return true;
}

namespace {

/** The closed rings along the pixel edges of `binary`'s boundary (clockwise on screen around regions,
 *  the other way around holes), vertices where the direction changes. At a vertex two diagonal pixels
 *  share, the ring turns right: diagonal neighbours are separate (4-connectivity). */
std::vector<std::vector<cv::Point>> boundaryRings(const cv::Mat& binary) {
    const int w = binary.cols, h = binary.rows;
    const auto in = [&](int x, int y) { return x >= 0 && y >= 0 && x < w && y < h && binary.at<uchar>(y, x) != 0; };
    // Directed unit edges, keyed by start vertex: 0 right, 1 down, 2 left, 3 up.
    const int W = w + 1;
    std::vector<std::uint8_t> out(static_cast<std::size_t>(W) * (h + 1), 0);  // bit d: an edge leaves in direction d
    const auto at = [&](int x, int y) -> std::uint8_t& { return out[static_cast<std::size_t>(y) * W + x]; };
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            if (!in(x, y))
                continue;
            if (!in(x, y - 1))
                at(x, y) |= 1;
            if (!in(x + 1, y))
                at(x + 1, y) |= 2;
            if (!in(x, y + 1))
                at(x + 1, y + 1) |= 4;
            if (!in(x - 1, y))
                at(x, y + 1) |= 8;
        }
    static const int dx[4] = {1, 0, -1, 0}, dy[4] = {0, 1, 0, -1};
    std::vector<std::vector<cv::Point>> rings;
    for (int y0 = 0; y0 <= h; ++y0)
        for (int x0 = 0; x0 <= w; ++x0) {
            if (!(at(x0, y0) & 1))
                continue;  // every ring has a rightward edge; start at its top-left one
            std::vector<cv::Point> ring;
            int x = x0, y = y0, d = 0;
            while (true) {
                at(x, y) &= static_cast<std::uint8_t>(~(1 << d));
                ring.emplace_back(x, y);
                x += dx[d], y += dy[d];
                std::uint8_t here = at(x, y);
                if (x == x0 && y == y0)
                    here |= 1;  // the start edge, taken already, closes the ring when it is the way on
                int next = -1;
                for (int turn : {1, 0, 3})  // right, straight, left
                    if (here & (1 << ((d + turn) % 4))) {
                        next = (d + turn) % 4;
                        break;
                    }
                if (next < 0 || (x == x0 && y == y0 && next == 0))
                    break;
                d = next;
            }
            // Keep only the corners.
            std::vector<cv::Point> corners;
            for (std::size_t i = 0; i < ring.size(); ++i) {
                const cv::Point& p = ring[(i + ring.size() - 1) % ring.size()], & q = ring[i], & r = ring[(i + 1) % ring.size()];
                if ((q - p).cross(r - q) != 0)
                    corners.push_back(q);
            }
            rings.push_back(corners.empty() ? ring : corners);
        }
    return rings;
}

} // namespace

std::vector<std::vector<cv::Point>> regionOutlines(const cv::Mat& binary) {
    cv::Mat labels;
    const int n = cv::connectedComponents(binary != 0, labels, 4, CV_32S);
    std::vector<std::vector<cv::Point>> outlines;
    std::vector<cv::Rect> boxes(static_cast<std::size_t>(n));
    std::vector<int> order;
    for (int y = 0; y < labels.rows; ++y)
        for (int x = 0; x < labels.cols; ++x) {
            const int l = labels.at<int>(y, x);
            if (l == 0)
                continue;
            if (boxes[l].empty()) {
                boxes[l] = cv::Rect(x, y, 1, 1);
                order.push_back(l);
            } else {
                boxes[l] |= cv::Rect(x, y, 1, 1);
            }
        }
    for (int l : order) {
        const cv::Rect box = boxes[l];
        const cv::Mat region = labels(box) == l;
        std::vector<cv::Point> joined;
        for (const std::vector<cv::Point>& ring : boundaryRings(region)) {
            if (!joined.empty())
                joined.push_back(joined.front());  // back to the start: the cut there and back cancels out
            for (const cv::Point& p : ring)
                joined.push_back(p + box.tl());
            joined.push_back(ring.front() + box.tl());
        }
        outlines.push_back(std::move(joined));
    }
    return outlines;
}

cv::Rect rectanglePil(cv::Point2d a, cv::Point2d b) {
    int x0 = truncate(a.x), y0 = truncate(a.y), x1 = truncate(b.x), y1 = truncate(b.y);
    if (x0 > x1)
        std::swap(x0, x1);
    if (y0 > y1)
        std::swap(y0, y1);
    return cv::Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);  // truncate clamps to +-1e9: no overflow
}

void fillRectanglePil(cv::Mat& mask, cv::Point2d a, cv::Point2d b, int value) {
    const cv::Rect r = rectanglePil(a, b) & cv::Rect(0, 0, mask.cols, mask.rows);
    if (!r.empty())
        mask(r).setTo(value);
}

void fillCirclePil(cv::Mat& mask, cv::Point2d centre, cv::Point2d rim, int value) {
    const double r = std::hypot(rim.x - centre.x, rim.y - centre.y);
    if (!std::isfinite(r) || !std::isfinite(centre.x) || !std::isfinite(centre.y))
        return;
    const int y0 = std::max(0, toIntClamped(std::floor(centre.y - r))), y1 = std::min(mask.rows - 1, toIntClamped(std::ceil(centre.y + r)));
    for (int y = y0; y <= y1; ++y) {
        const double dy = y - centre.y, half = r * r - dy * dy;
        if (half < 0)
            continue;
        const double w = std::sqrt(half);
        hline(mask, toIntClamped(std::ceil(centre.x - w)), y, toIntClamped(std::floor(centre.x + w)), value);
    }
}

namespace {

bool outside(const Shape& s, cv::Size size) {
    if (s.kind == Shape::Kind::Mask)
        return (s.maskBox & cv::Rect({0, 0}, size)).empty();
    if (s.points.empty())
        return true;
    double x0 = s.points[0].x, x1 = x0, y0 = s.points[0].y, y1 = y0;
    for (const cv::Point2d& p : s.points) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
            return true;
        x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    if (s.kind == Shape::Kind::Circle && s.points.size() == 2) {
        const double r = std::hypot(s.points[1].x - s.points[0].x, s.points[1].y - s.points[0].y);
        x0 = s.points[0].x - r, x1 = s.points[0].x + r, y0 = s.points[0].y - r, y1 = s.points[0].y + r;
    }
    return x0 >= size.width || y0 >= size.height || x1 < 0 || y1 < 0;
}

std::string describe(const Shape& s) {
    switch (s.kind) {
    case Shape::Kind::Polygon: return "polygon";
    case Shape::Kind::Rectangle: return "rectangle";
    case Shape::Kind::Circle: return "circle";
    case Shape::Kind::Mask: return "mask";
    }
    return "shape";
}

} // namespace

cv::Mat rasterize(const ImageAnnotation& a, cv::Size size, LabelMap& labels, std::vector<Problem>& problems,
                  std::vector<DetectionBox>* boxes) {
    cv::Mat mask = cv::Mat::zeros(size, CV_8UC1);
    std::vector<std::size_t> order(a.shapes.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return a.shapes[l].order < a.shapes[r].order; });
    if (a.boxesOnly) {
        // Detection boxes overlap freely: larger boxes first so that a small box inside a large one of
        // another class stays visible, whatever the file's order (as coarseMaskFromBoxes paints).
        auto area = [&](std::size_t i) {
            const Shape& s = a.shapes[i];
            return s.points.size() == 2 ? std::abs((s.points[1].x - s.points[0].x) * (s.points[1].y - s.points[0].y)) : 0.0;
        };
        std::stable_sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return area(l) > area(r); });
    }
    std::vector<std::pair<std::size_t, DetectionBox>> painted;  // by file position
    for (std::size_t i : order) {
        const Shape& s = a.shapes[i];
        const std::optional<int> id = s.label.empty() ? labels.classOfIndex(s.index, {}) : labels.classOf(s.label);
        const std::string name = s.label.empty() ? "#" + std::to_string(s.index) : s.label;
        if (!id) {
            const bool full = labels.addMissing() && !s.label.empty() && !labels.classes().empty() &&
                              labels.classes().back().id + 1 >= LabelMap::kIgnore;
            problems.push_back({a.source, describe(s) + (full ? " of class \"" + name + "\" skipped: the project already numbers 255 "
                                                                 "classes (0..254), the most its 8-bit masks hold (255 is ignore) ("
                                                               : " of unknown class \"" + name + "\" skipped (") +
                                              a.imagePath + ")"});
            continue;
        }
        if ((s.kind == Shape::Kind::Rectangle || s.kind == Shape::Kind::Circle) && s.points.size() != 2) {
            problems.push_back({a.source, describe(s) + " of \"" + name + "\" needs exactly 2 points, skipped (" + a.imagePath + ")"});
            continue;
        }
        if (s.kind == Shape::Kind::Mask && (s.mask.type() != CV_8UC1 || s.mask.size() != s.maskBox.size())) {
            problems.push_back({a.source, "mask of \"" + name + "\" does not match its box, skipped (" + a.imagePath + ")"});
            continue;
        }
        if (outside(s, size)) {
            problems.push_back({a.source, describe(s) + " of \"" + s.label + "\" lies outside the " + std::to_string(size.width) +
                                              "x" + std::to_string(size.height) + " image " + a.imagePath + ", skipped"});
            continue;
        }
        switch (s.kind) {
        case Shape::Kind::Polygon:
            if (s.points.size() < 3) {
                problems.push_back({a.source, "polygon of \"" + s.label + "\" with fewer than 3 points skipped (" + a.imagePath + ")"});
                continue;
            }
            if (!s.corners)
                fillPolygonPil(mask, s.points, *id);
            else if (!fillPolygonCoco(mask, s.points, *id))
                problems.push_back({a.source, "polygon of \"" + s.label + "\" too long to rasterise, skipped (" + a.imagePath + ")"});
            break;
        case Shape::Kind::Rectangle:
            fillRectanglePil(mask, s.points.at(0), s.points.at(1), *id);
            painted.push_back({i, {*id, rectanglePil(s.points[0], s.points[1]) & cv::Rect({0, 0}, size)}});
            break;
        case Shape::Kind::Circle:
            fillCirclePil(mask, s.points.at(0), s.points.at(1), *id);
            break;
        case Shape::Kind::Mask: {
            const cv::Rect inside = s.maskBox & cv::Rect({0, 0}, size);
            const cv::Mat src = s.mask(inside - s.maskBox.tl());
            mask(inside).setTo(*id, src);
            break;
        }
        }
    }
    if (boxes) {
        std::sort(painted.begin(), painted.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
        for (const auto& [position, box] : painted)
            boxes->push_back(box);
    }
    return mask;
}

namespace {

struct RegionInfo {
    PaintedRegion region;
    cv::Rect box;
    cv::Mat pixels, fill;  ///< box-sized: the region's pixels, and what its polygon paints
};

std::vector<RegionInfo> regionsOf(const cv::Mat& mask) {
    std::vector<RegionInfo> out;
    const std::array<int, 256> present = maskValueCounts(mask);
    for (int value = 0; value < 256; ++value) {
        if (!present[value])
            continue;
        const cv::Mat binary = mask == value;
        // Each 8-connected component on its own: one of a value inside another's hole (a disk in a ring of
        // its own class, a hole of background inside the background's frame) is a region too.
        cv::Mat components, stats, centroids;
        const int n = cv::connectedComponentsWithStats(binary, components, stats, centroids, 8, CV_32S);
        for (int l = 1; l < n; ++l) {
            const cv::Rect box(stats.at<int>(l, cv::CC_STAT_LEFT), stats.at<int>(l, cv::CC_STAT_TOP), stats.at<int>(l, cv::CC_STAT_WIDTH),
                               stats.at<int>(l, cv::CC_STAT_HEIGHT));
            std::vector<std::vector<cv::Point>> contours;
            cv::findContours(components(box) == l, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE, box.tl());
            if (contours.empty())
                continue;
            std::vector<cv::Point>& poly = contours.front();
            RegionInfo r;
            r.region.value = value;
            r.box = box;
            for (std::size_t i = poly.size(); i < 3; ++i)  // a one- or two-pixel region: PIL fills the same
                poly.push_back(poly.back());
            r.fill = cv::Mat::zeros(r.box.size(), CV_8UC1);
            std::vector<cv::Point2d> local;
            for (const cv::Point& p : poly)
                local.emplace_back(p.x - r.box.x, p.y - r.box.y);
            fillPolygonPil(r.fill, local, 1);
            r.pixels = components(box) == l;  // this region's pixels only
            r.region.polygon = std::move(poly);
            out.push_back(std::move(r));
        }
    }
    return out;
}

/** Whether region a's fill covers pixels of region b. */
bool covers(const RegionInfo& a, const RegionInfo& b) {
    const cv::Rect both = a.box & b.box;
    if (both.empty())
        return false;
    return cv::countNonZero(a.fill(both - a.box.tl()) & b.pixels(both - b.box.tl())) > 0;
}

} // namespace

std::vector<PaintedRegion> paintOrder(const cv::Mat& mask, const std::vector<int>& skip) {
    std::vector<RegionInfo> all = regionsOf(mask);
    const std::size_t n = all.size();
    std::vector<std::vector<std::size_t>> after(n);  // a -> regions to paint after a
    std::vector<int> pending(n, 0);
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b)
            if (a != b && covers(all[a], all[b])) {
                after[a].push_back(b);
                ++pending[b];
            }
    const auto skipped = [&](int v) { return std::find(skip.begin(), skip.end(), v) != skip.end(); };
    // Background regions nothing covers need no shape: the mask starts as background.
    std::vector<bool> needed(n);
    for (std::size_t i = 0; i < n; ++i)
        needed[i] = !skipped(all[i].region.value) && (all[i].region.value != 0 || pending[i] > 0);
    // Kahn's order; a cycle (interlocking outlines) is broken at its largest region.
    std::vector<PaintedRegion> order;
    std::vector<bool> done(n, false);
    for (std::size_t emitted = 0; emitted < n; ++emitted) {
        std::size_t pick = n;
        for (std::size_t i = 0; i < n; ++i)
            if (!done[i] && pending[i] == 0) {
                pick = i;
                break;
            }
        if (pick == n)
            for (std::size_t i = 0; i < n; ++i)
                if (!done[i] && (pick == n || all[i].box.area() > all[pick].box.area()))
                    pick = i;
        done[pick] = true;
        for (std::size_t b : after[pick])
            --pending[b];
        if (needed[pick])
            order.push_back(all[pick].region);
    }
    return order;
}

cv::Mat paintRegions(const std::vector<PaintedRegion>& regions, cv::Size size) {
    cv::Mat m = cv::Mat::zeros(size, CV_8UC1);
    for (const PaintedRegion& r : regions)
        fillPolygonPil(m, std::vector<cv::Point2d>(r.polygon.begin(), r.polygon.end()), r.value);
    return m;
}

int toIntClamped(double v) {
    if (std::isnan(v))
        return 0;
    return static_cast<int>(std::clamp(v, -1e9, 1e9));
}

std::string lowerExtension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

} // namespace mf::formats
