#include "formats/readers.h"
#include "io/text.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace mf::formats {

std::vector<std::string> parseNames(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> names;
    std::string line;
    while (std::getline(in, line))
        if (const std::string name = trimmed(line); !name.empty())
            names.push_back(name);
    return names;
}

namespace {

/** A data.yaml value: trimmed, without the quotes around it. */
std::string yamlValue(const std::string& raw) {
    std::string s = trimmed(raw);
    if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front())
        s = s.substr(1, s.size() - 2);
    return s;
}

} // namespace

std::vector<std::string> parseDataYamlNames(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> names;
    std::map<long long, std::string> byIndex;
    bool inNames = false;
    while (std::getline(in, line)) {
        if (const auto hash = line.find(" #"); hash != std::string::npos)
            line = line.substr(0, hash);
        if (!inNames) {
            if (line.rfind("names:", 0) != 0)
                continue;
            const std::string rest = yamlValue(line.substr(6));
            if (rest.empty()) {
                inNames = true;  // a block follows
                continue;
            }
            if (rest.front() == '[' && rest.back() == ']') {  // names: [a, b, 'c d']
                std::istringstream items(rest.substr(1, rest.size() - 2));
                std::string item;
                while (std::getline(items, item, ','))
                    if (!yamlValue(item).empty())
                        names.push_back(yamlValue(item));
            }
            break;
        }
        if (line.empty() || (line[0] != ' ' && line[0] != '\t'))
            break;  // the block ended
        const std::string entry = yamlValue(line);
        if (entry.rfind("- ", 0) == 0) {
            names.push_back(yamlValue(entry.substr(2)));
        } else if (const auto colon = entry.find(':'); colon != std::string::npos) {  //   0: person
            try {
                byIndex[std::stoll(entry.substr(0, colon))] = yamlValue(entry.substr(colon + 1));
            } catch (const std::exception&) {
                return {};
            }
        }
    }
    if (!byIndex.empty()) {
        if (byIndex.begin()->first != 0 || byIndex.rbegin()->first != static_cast<long long>(byIndex.size()) - 1)
            return {};  // not 0..n-1
        for (const auto& [k, n] : byIndex)
            names.push_back(n);
    }
    return names;
}

ImageAnnotation parseYolo(const std::string& text, const std::string& source, cv::Size size, const std::vector<std::string>& names,
                          std::vector<Problem>& problems) {
    ImageAnnotation a;
    a.source = source;
    a.size = size;
    a.boxesOnly = true;
    std::istringstream in(text);
    in.imbue(std::locale::classic());
    std::string line;
    for (int lineNo = 1; std::getline(in, line); ++lineNo) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        std::istringstream fields(line);
        fields.imbue(std::locale::classic());
        long long k = -1;
        std::vector<double> v;
        double x = 0;
        fields >> k;
        while (fields >> x)
            v.push_back(x);
        const bool numbersOnly = !fields.fail() || fields.eof();
        bool finite = true;
        for (double d : v)
            finite = finite && std::isfinite(d);
        const std::string where = "line " + std::to_string(lineNo);
        if (k < 0 || k > 100000 || !numbersOnly || !finite || (v.size() != 4 && (v.size() < 6 || v.size() % 2))) {
            problems.push_back({source, where + " is neither `class cx cy w h` nor `class x1 y1 x2 y2 ...`, skipped"});
            continue;
        }
        Shape s;
        s.order = lineNo;
        if (names.empty())
            s.index = static_cast<int>(k);
        else if (k < static_cast<long long>(names.size()))
            s.label = names[static_cast<std::size_t>(k)];
        else {
            problems.push_back({source, where + ": class " + std::to_string(k) + " is not in classes.txt (" +
                                            std::to_string(names.size()) + " names), skipped"});
            continue;
        }
        const double W = size.width, H = size.height;
        if (v.size() == 4) {
            if (v[2] < 0 || v[3] < 0) {
                problems.push_back({source, where + ": a box with a negative size, skipped"});
                continue;
            }
            s.kind = Shape::Kind::Rectangle;
            // The pixels [x0, x1) of the rounded corners, as readYoloBoxes always did.
            const double x0 = std::round((v[0] - v[2] / 2) * W), y0 = std::round((v[1] - v[3] / 2) * H);
            const double x1 = std::round((v[0] + v[2] / 2) * W), y1 = std::round((v[1] + v[3] / 2) * H);
            if (x1 <= x0 || y1 <= y0) {
                problems.push_back({source, where + ": a box smaller than a pixel, skipped"});
                continue;
            }
            s.points = {{x0, y0}, {x1 - 1, y1 - 1}};
        } else {
            s.kind = Shape::Kind::Polygon;
            for (std::size_t i = 0; i + 1 < v.size(); i += 2)
                s.points.emplace_back(v[i] * W, v[i + 1] * H);
            a.boxesOnly = false;
        }
        a.shapes.push_back(std::move(s));
    }
    return a;
}

std::string writeYoloSeg(const cv::Mat& mask) {
    std::ostringstream out;
    out.imbue(std::locale::classic());  // a decimal point whatever locale the GUI set (snprintf follows LC_NUMERIC)
    out.setf(std::ios::fixed);
    out.precision(6);
    // In paint order (a region before what lies in its holes); YOLO has no class for background and
    // ignore, so holes and 255 are lost: exportProject measures and announces it.
    for (const PaintedRegion& r : paintOrder(mask, {0, 255})) {
        out << (r.value - 1);
        // Pixel centres: read back and truncated, x + 0.5 gives x again whatever the rounding.
        for (const cv::Point& p : r.polygon)
            out << " " << (p.x + 0.5) / mask.cols << " " << (p.y + 0.5) / mask.rows;
        out << "\n";
    }
    return out.str();
}

std::string writeYoloBoxes(const std::vector<DetectionBox>& boxes, cv::Size size) {
    std::ostringstream out;
    out.imbue(std::locale::classic());  // a decimal point whatever locale the GUI set
    out.setf(std::ios::fixed);
    out.precision(6);
    const double W = size.width, H = size.height;
    for (const DetectionBox& b : boxes) {
        const cv::Rect r = b.rect & cv::Rect({0, 0}, size);
        if (b.classId < 1 || b.classId == 255 || r.empty())
            continue;
        out << (b.classId - 1) << " " << (r.x + r.width / 2.0) / W << " " << (r.y + r.height / 2.0) / H << " " << r.width / W << " "
            << r.height / H << "\n";
    }
    return out.str();
}

} // namespace mf::formats
