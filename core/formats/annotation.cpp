#include "formats/annotation.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace mf::formats {

LabelMap::LabelMap(std::vector<ClassInfo> classes, bool addMissing) : m_classes(std::move(classes)), m_addMissing(addMissing) {}

LabelMap LabelMap::fromLabelsText(const std::string& text, const std::string& file, bool addMissing) {
    std::istringstream in(text);
    std::vector<ClassInfo> classes;
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        if (line.empty())
            continue;
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
            problems.push_back({a.source, describe(s) + " of unknown class \"" + name + "\" skipped (" + a.imagePath + ")"});
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
            fillPolygonPil(mask, s.points, *id);
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

std::vector<std::vector<cv::Point>> maskPolygons(const cv::Mat& binary) {
    std::vector<std::vector<cv::Point>> contours;
    cv::Mat work = binary != 0;
    cv::findContours(work, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    return contours;
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
