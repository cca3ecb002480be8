#include "formats/readers.h"
#include "formats/jsontext.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>

namespace mf::formats {

cv::Mat decodeRle(const std::vector<std::uint32_t>& counts, int h, int w) {
    // COCO runs go down the columns: CVAT's row-major runs of the transposed mask.
    return decodeCvatRle(counts, w, h).t();
}

std::vector<std::uint32_t> encodeRle(const cv::Mat& binary) {
    // COCO counts runs in column-major order: CVAT's row-major runs of the transposed mask.
    return encodeCvatRle(binary.t());
}

std::vector<std::uint32_t> decodeRleString(const std::string& s) {
    std::vector<long long> counts;
    std::size_t p = 0;
    while (p < s.size()) {
        long long x = 0;
        int k = 0;
        bool more = true;
        while (more) {
            if (p >= s.size() || k > 6)
                throw std::invalid_argument("compressed RLE ends inside a number");
            const int c = static_cast<unsigned char>(s[p]) - 48;
            if (c < 0 || c > 63)
                throw std::invalid_argument("compressed RLE holds a character outside '0'..'o'");
            x |= static_cast<long long>(c & 0x1f) << (5 * k);
            more = (c & 0x20) != 0;
            ++p;
            ++k;
            if (!more && (c & 0x10))
                x |= static_cast<long long>(~0ULL << (5 * k));
        }
        if (counts.size() > 2)
            x += counts[counts.size() - 2];
        if (x < 0 || x > 0xFFFFFFFFLL)
            throw std::invalid_argument("compressed RLE decodes to a negative or huge run");
        counts.push_back(x);
    }
    return {counts.begin(), counts.end()};
}

std::string encodeRleString(const std::vector<std::uint32_t>& counts) {
    std::string s;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        long long x = counts[i];
        if (i > 2)
            x -= counts[i - 2];
        bool more = true;
        while (more) {
            int c = static_cast<int>(x & 0x1f);
            x >>= 5;
            more = (c & 0x10) ? x != -1 : x != 0;
            if (more)
                c |= 0x20;
            s.push_back(static_cast<char>(c + 48));
        }
    }
    return s;
}

namespace {

long long idOf(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || !j[key].is_number_integer())
        throw std::invalid_argument(std::string("no integer \"") + key + "\"");
    return j[key].get<long long>();
}

/** The shapes of one annotation's segmentation (polygons or RLE), or its bbox. */
std::vector<Shape> annotationShapes(const nlohmann::json& a, const std::string& label, cv::Size size) {
    std::vector<Shape> shapes;
    const auto seg = a.contains("segmentation") ? a["segmentation"] : nlohmann::json();
    if (seg.is_array() && !seg.empty()) {
        for (const auto& poly : seg) {
            if (!poly.is_array() || poly.size() < 6 || poly.size() % 2)
                throw std::invalid_argument("a polygon is not a flat list of at least 3 x, y pairs");
            Shape s;
            s.label = label;
            s.corners = true;  // COCO's pixel-corner coordinates, filled as pycocotools does
            for (std::size_t i = 0; i + 1 < poly.size(); i += 2) {
                if (!poly[i].is_number() || !poly[i + 1].is_number())
                    throw std::invalid_argument("a polygon coordinate is not a number");
                s.points.emplace_back(poly[i].get<double>(), poly[i + 1].get<double>());
            }
            shapes.push_back(std::move(s));
        }
    } else if (seg.is_object() && seg.contains("counts") && seg.contains("size")) {
        const auto& sz = seg["size"];
        if (!sz.is_array() || sz.size() != 2 || !sz[0].is_number_integer() || !sz[1].is_number_integer())
            throw std::invalid_argument("RLE size is not [h, w]");
        const int h = sz[0].get<int>(), w = sz[1].get<int>();
        if (!size.empty() && cv::Size(w, h) != size)
            throw std::invalid_argument("RLE size differs from the image size");
        std::vector<std::uint32_t> counts;
        if (seg["counts"].is_string())
            counts = decodeRleString(seg["counts"].get<std::string>());
        else if (seg["counts"].is_array())
            for (const auto& c : seg["counts"]) {
                if (!c.is_number_unsigned() && !(c.is_number_integer() && c.get<long long>() >= 0))
                    throw std::invalid_argument("RLE counts hold a value that is not a count");
                counts.push_back(static_cast<std::uint32_t>(std::min<unsigned long long>(c.get<unsigned long long>(), 0xFFFFFFFFull)));
            }
        else
            throw std::invalid_argument("RLE counts are neither a list nor a string");
        Shape s;
        s.kind = Shape::Kind::Mask;
        s.label = label;
        s.mask = decodeRle(counts, h, w);
        s.maskBox = cv::Rect(0, 0, w, h);
        shapes.push_back(std::move(s));
    } else if (a.contains("bbox") && a["bbox"].is_array() && a["bbox"].size() == 4) {
        const auto& b = a["bbox"];
        for (int i = 0; i < 4; ++i)
            if (!b[i].is_number())
                throw std::invalid_argument("bbox holds a value that is not a number");
        Shape s;
        s.kind = Shape::Kind::Rectangle;
        s.label = label;
        const double x = b[0].get<double>(), y = b[1].get<double>(), w = b[2].get<double>(), h = b[3].get<double>();
        // [x, y, w, h] covers pixels round(x) .. round(x+w)-1 (PIL's rectangle is inclusive).
        s.points = {{std::round(x), std::round(y)}, {std::round(x + w) - 1, std::round(y + h) - 1}};
        shapes.push_back(std::move(s));
    } else {
        throw std::invalid_argument("no segmentation and no bbox");
    }
    return shapes;
}

} // namespace

std::optional<std::vector<ClassInfo>> classTable(const std::vector<ClassInfo>& fromFile) {
    std::map<int, std::string> byId;
    for (const ClassInfo& c : fromFile) {
        if (c.id < 0 || c.id > 254 || byId.count(c.id))
            return std::nullopt;
        for (const auto& [id, name] : byId)
            if (name == c.name)
                return std::nullopt;
        byId[c.id] = c.name;
    }
    if (byId.empty())
        return std::nullopt;
    std::vector<ClassInfo> table;
    for (int id = 0; id <= byId.rbegin()->first; ++id) {
        const auto it = byId.find(id);
        table.push_back({id, it != byId.end() ? it->second : id == 0 ? "background" : "class_" + std::to_string(id), defaultClassColor(id)});
    }
    return table;
}

namespace {

std::map<long long, std::string> readCategories(const nlohmann::json& list, const std::string& source, std::vector<ClassInfo>* categories) {
    std::map<long long, std::string> category;
    for (const auto& c : list) {
        if (!c.is_object() || !c.contains("name") || !c["name"].is_string())
            throw FileError(source, "a category has no name");
        try {
            const long long id = idOf(c, "id");
            category[id] = c["name"].get<std::string>();
            if (categories)
                categories->push_back({static_cast<int>(std::clamp<long long>(id, -1, 100000)), category[id], {}});
        } catch (const std::invalid_argument& e) {
            throw FileError(source, std::string("a category has ") + e.what());
        }
    }
    return category;
}

std::vector<ImageAnnotation> readImages(const nlohmann::json& list, const std::string& source, std::map<long long, std::size_t>& byId,
                                        std::vector<Problem>& problems) {
    std::vector<ImageAnnotation> images;
    for (const auto& im : list) {
        if (!im.is_object() || !im.contains("file_name") || !im["file_name"].is_string()) {
            problems.push_back({source, "an image entry without file_name skipped"});
            continue;
        }
        ImageAnnotation a;
        a.source = source;
        a.imagePath = im["file_name"].get<std::string>();
        if (im.contains("width") && im.contains("height") && im["width"].is_number_integer() && im["height"].is_number_integer()) {
            const long long w = im["width"].get<long long>(), h = im["height"].get<long long>();
            if (w > 0 && h > 0 && w <= 1'000'000 && h <= 1'000'000)
                a.size = cv::Size(static_cast<int>(w), static_cast<int>(h));
        }
        try {
            byId[idOf(im, "id")] = images.size();
        } catch (const std::invalid_argument& e) {
            problems.push_back({source, "image " + a.imagePath + " skipped: " + e.what()});
            continue;
        }
        images.push_back(std::move(a));
    }
    return images;
}

/** The overlap rule: larger instances first, so smaller ones lying on them stay visible. An image with
 *  bboxes only (a detection set) is boxesOnly: a coarse mask, its boxes kept for refinement. */
void orderByArea(ImageAnnotation& image, const std::vector<double>& areas) {
    image.boxesOnly = !image.shapes.empty() && std::all_of(image.shapes.begin(), image.shapes.end(),
                                                           [](const Shape& s) { return s.kind == Shape::Kind::Rectangle; });
    std::vector<std::size_t> rank(areas.size());
    for (std::size_t k = 0; k < rank.size(); ++k)
        rank[k] = k;
    std::stable_sort(rank.begin(), rank.end(), [&](std::size_t l, std::size_t r) { return areas[l] > areas[r]; });
    for (std::size_t k = 0; k < rank.size(); ++k)
        image.shapes[rank[k]].order = static_cast<int>(k);
}

} // namespace

std::vector<ImageAnnotation> parseCoco(const std::string& text, const std::string& source, std::vector<Problem>& problems,
                                       std::vector<ClassInfo>* categories) {
    const nlohmann::json j = parseJsonText(text, source);
    if (!j.is_object() || !j.contains("images") || !j.contains("annotations") || !j.contains("categories") ||
        !j["images"].is_array() || !j["annotations"].is_array() || !j["categories"].is_array())
        throw FileError(source, "not a COCO file (needs images, annotations and categories lists)");
    const std::map<long long, std::string> category = readCategories(j["categories"], source, categories);
    std::map<long long, std::size_t> byId;
    std::vector<ImageAnnotation> images = readImages(j["images"], source, byId, problems);
    std::vector<std::vector<double>> areas(images.size());
    int index = 0;
    for (const auto& a : j["annotations"]) {
        const std::string which = "annotation " + std::to_string(index++);
        try {
            if (!a.is_object())
                throw std::invalid_argument("not an object");
            const auto im = byId.find(idOf(a, "image_id"));
            if (im == byId.end())
                throw std::invalid_argument("names an image that is not in \"images\"");
            const auto cat = category.find(idOf(a, "category_id"));
            if (cat == category.end())
                throw std::invalid_argument("names a category that is not in \"categories\"");
            ImageAnnotation& target = images[im->second];
            double area = a.contains("area") && a["area"].is_number() ? a["area"].get<double>() : 0.0;
            for (Shape& s : annotationShapes(a, cat->second, target.size)) {
                if (area <= 0 && s.kind == Shape::Kind::Mask)
                    area = cv::countNonZero(s.mask);
                if (area <= 0 && s.kind == Shape::Kind::Rectangle) {
                    const cv::Rect r = rectanglePil(s.points[0], s.points[1]);
                    area = static_cast<double>(r.width) * r.height;  // hostile corners would overflow int
                }
                areas[im->second].push_back(area);
                target.shapes.push_back(std::move(s));
            }
        } catch (const std::invalid_argument& e) {
            problems.push_back({source, which + " skipped: " + e.what()});
        } catch (const nlohmann::json::exception& e) {
            problems.push_back({source, which + " skipped: " + e.what()});
        }
    }
    for (std::size_t i = 0; i < images.size(); ++i)
        orderByArea(images[i], areas[i]);
    return images;
}

CocoWriter::CocoWriter(const std::vector<ClassInfo>& classes, bool rle) : m_classes(classes), m_rle(rle) {}

void forEachClass(const cv::Mat& mask, const std::vector<ClassInfo>& classes, const std::function<void(const ClassInfo&, const cv::Mat&)>& f) {
    for (const ClassInfo& c : classes) {
        if (c.id == 0 || c.id == 255)
            continue;
        const cv::Mat binary = mask == c.id;
        if (cv::countNonZero(binary) > 0)
            f(c, binary);
    }
}

void CocoWriter::addImage(const std::string& fileName, const cv::Mat& mask) {
    const int imageId = m_imageId++;
    nlohmann::json im = {{"id", imageId}, {"file_name", fileName}, {"width", mask.cols}, {"height", mask.rows}};
    m_images += (m_images.empty() ? "" : ",\n") + im.dump();
    forEachClass(mask, m_classes, [&](const ClassInfo& c, const cv::Mat& binary) {
        std::vector<nlohmann::json> annotations;
        if (m_rle) {
            const cv::Rect box = cv::boundingRect(binary);
            annotations.push_back({{"segmentation", {{"size", {mask.rows, mask.cols}}, {"counts", encodeRleString(encodeRle(binary))}}},
                                   {"area", cv::countNonZero(binary)},
                                   {"bbox", {box.x, box.y, box.width, box.height}}});
        } else {
            // One polygon per region along its pixel edges, holes joined in (regionOutlines): pycocotools
            // fills it back to exactly the region's pixels; bbox and area in the same corner coordinates.
            for (const std::vector<cv::Point>& outline : regionOutlines(binary)) {
                nlohmann::json flat = nlohmann::json::array();
                for (const cv::Point& p : outline) {
                    flat.push_back(p.x);
                    flat.push_back(p.y);
                }
                const cv::Rect box = cv::boundingRect(outline);
                cv::Mat region = cv::Mat::zeros(box.size(), CV_8UC1);
                std::vector<cv::Point2d> local;
                for (const cv::Point& p : outline)
                    local.emplace_back(p.x - box.x, p.y - box.y);
                fillPolygonCoco(region, local, 1);
                annotations.push_back({{"segmentation", {flat}},
                                       {"area", cv::countNonZero(region)},
                                       {"bbox", {box.x, box.y, box.width, box.height}}});
            }
        }
        for (auto& a : annotations) {
            a["id"] = m_annotationId++;
            a["image_id"] = imageId;
            a["category_id"] = c.id;
            a["iscrowd"] = 0;
            m_annotations += (m_annotations.empty() ? "" : ",\n") + a.dump();
        }
    });
}

std::string CocoWriter::json() const {
    nlohmann::json categories = nlohmann::json::array();
    for (const ClassInfo& c : m_classes)
        if (c.id != 0 && c.id != 255)
            categories.push_back({{"id", c.id}, {"name", c.name}, {"supercategory", ""}});
    return "{\"info\": {\"description\": \"exported by MaskForge\"},\n\"categories\": " + categories.dump() + ",\n\"images\": [\n" +
           m_images + "],\n\"annotations\": [\n" + m_annotations + "]}\n";
}

} // namespace mf::formats
