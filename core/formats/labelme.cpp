#include "formats/readers.h"
#include "formats/jsontext.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace mf::formats {
namespace {

std::string decodeBase64(const std::string& in, const std::string& source) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(in.size() * 3 / 4);
    unsigned buffer = 0;
    int bits = 0;
    for (char ch : in) {
        if (ch == '=' || ch == '\n' || ch == '\r' || ch == ' ')
            continue;
        const std::size_t v = alphabet.find(ch);
        if (v == std::string::npos)
            throw FileError(source, "imageData is not base64");
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

std::vector<cv::Point2d> readPoints(const nlohmann::json& pts, const std::string& source) {
    std::vector<cv::Point2d> points;
    if (!pts.is_array())
        throw FileError(source, "a shape's points are not a list");
    for (const auto& p : pts) {
        if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number())
            throw FileError(source, "a shape's point is not [x, y]");
        points.emplace_back(p[0].get<double>(), p[1].get<double>());
    }
    return points;
}

} // namespace

ImageAnnotation parseLabelme(const std::string& text, const std::string& source, std::vector<Problem>& problems) {
    const nlohmann::json j = parseJsonText(text, source);
    if (!j.is_object() || !j.contains("shapes") || !j["shapes"].is_array())
        throw FileError(source, "not a labelme file (no \"shapes\" list)");
    ImageAnnotation a;
    a.source = source;
    if (j.contains("imagePath") && j["imagePath"].is_string())
        a.imagePath = j["imagePath"].get<std::string>();
    std::replace(a.imagePath.begin(), a.imagePath.end(), '\\', '/');  // labelme on Windows writes ..\\images\\a.jpg
    if (j.contains("imageHeight") && j.contains("imageWidth") && j["imageHeight"].is_number_integer() && j["imageWidth"].is_number_integer()) {
        const long long h = j["imageHeight"].get<long long>(), w = j["imageWidth"].get<long long>();
        if (h > 0 && w > 0 && h <= 1'000'000 && w <= 1'000'000)
            a.size = cv::Size(static_cast<int>(w), static_cast<int>(h));
    }
    if (j.contains("imageData") && j["imageData"].is_string())
        a.imageData = decodeBase64(j["imageData"].get<std::string>(), source);
    int order = 0;
    for (const auto& s : j["shapes"]) {
        if (!s.is_object() || !s.contains("label") || !s["label"].is_string() || !s.contains("points")) {
            problems.push_back({source, "a shape without label or points skipped"});
            continue;
        }
        Shape shape;
        shape.label = s["label"].get<std::string>();
        shape.points = readPoints(s["points"], source);
        shape.order = order++;
        const std::string type = s.contains("shape_type") && s["shape_type"].is_string() ? s["shape_type"].get<std::string>() : "polygon";
        if (type == "polygon")
            shape.kind = Shape::Kind::Polygon;
        else if (type == "rectangle")
            shape.kind = Shape::Kind::Rectangle;
        else if (type == "circle")
            shape.kind = Shape::Kind::Circle;
        else {
            problems.push_back({source, "a \"" + type + "\" shape of \"" + shape.label + "\" has no area, skipped"});
            continue;
        }
        a.shapes.push_back(std::move(shape));
    }
    return a;
}

std::string encodeBase64(const std::string& bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const unsigned n = std::min<std::size_t>(3, bytes.size() - i);
        unsigned v = 0;
        for (unsigned k = 0; k < 3; ++k)
            v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
        for (unsigned k = 0; k < 4; ++k)
            out.push_back(k <= n ? alphabet[(v >> (18 - 6 * k)) & 63] : '=');
    }
    return out;
}

std::string writeLabelme(const cv::Mat& mask, const std::vector<ClassInfo>& classes, const std::string& imagePath,
                         const std::string& imageBytes) {
    std::map<int, std::string> names = {{0, "_background_"}, {255, "__ignore__"}};
    for (const ClassInfo& c : classes)
        if (c.id != 0 && c.id != 255)
            names[c.id] = c.name;
    nlohmann::json shapes = nlohmann::json::array();
    // In paint order: holes as _background_ shapes after their region, what lies in them after those.
    for (const PaintedRegion& r : paintOrder(mask, {})) {
        nlohmann::json pts = nlohmann::json::array();
        for (const cv::Point& p : r.polygon)
            pts.push_back({p.x, p.y});
        const auto name = names.find(r.value);
        shapes.push_back({{"label", name == names.end() ? "class_" + std::to_string(r.value) : name->second},
                          {"points", pts},
                          {"group_id", nullptr},
                          {"shape_type", "polygon"},
                          {"flags", nlohmann::json::object()}});
    }
    nlohmann::json j = {{"version", "5.0.1"},        {"flags", nlohmann::json::object()}, {"shapes", shapes},
                        {"imagePath", imagePath},    {"imageData", imageBytes.empty() ? nlohmann::json() : nlohmann::json(encodeBase64(imageBytes))},
                        {"imageHeight", mask.rows},  {"imageWidth", mask.cols}};
    return j.dump(2);
}

} // namespace mf::formats
