#include "formats/readers.h"

#include <opencv2/imgproc.hpp>
#include <pugixml.hpp>

#include <cmath>
#include <sstream>

namespace mf::formats {
namespace {

pugi::xml_document parseXml(const std::string& xml, const std::string& source) {
    pugi::xml_document doc;
    const pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_trim_pcdata);
    if (!r)
        throw FileError(source, std::string("not valid XML: ") + r.description() + " at byte " + std::to_string(r.offset));
    return doc;
}

/** A number from an element's text or an attribute; throws std::invalid_argument naming it. */
double number(const char* text, const std::string& what) {
    std::istringstream in(text ? text : "");
    in.imbue(std::locale::classic());
    double v = 0;
    if (!(in >> v) || !std::isfinite(v))
        throw std::invalid_argument(what + " is not a number");
    return v;
}

} // namespace

ImageAnnotation parseVocXml(const std::string& xml, const std::string& source, std::vector<Problem>& problems) {
    const pugi::xml_document doc = parseXml(xml, source);
    const pugi::xml_node root = doc.child("annotation");
    if (!root)
        throw FileError(source, "not a Pascal VOC annotation (no <annotation> root)");
    ImageAnnotation a;
    a.source = source;
    a.boxesOnly = true;
    a.imagePath = root.child("filename").text().as_string();
    if (const pugi::xml_node size = root.child("size")) {
        const int w = size.child("width").text().as_int(), h = size.child("height").text().as_int();
        if (w > 0 && h > 0 && w <= 1'000'000 && h <= 1'000'000)
            a.size = cv::Size(w, h);
    }
    int index = 0;
    for (const pugi::xml_node object : root.children("object")) {
        ++index;
        const std::string name = object.child("name").text().as_string();
        const pugi::xml_node box = object.child("bndbox");
        try {
            if (name.empty() || !box)
                throw std::invalid_argument("lacks <name> or <bndbox>");
            Shape s;
            s.kind = Shape::Kind::Rectangle;
            s.label = name;
            s.order = index;
            s.points = {{number(box.child_value("xmin"), "<xmin>"), number(box.child_value("ymin"), "<ymin>")},
                        {number(box.child_value("xmax"), "<xmax>"), number(box.child_value("ymax"), "<ymax>")}};
            // The devkit's coordinates are 1-based pixel indices, both inclusive (detectron2 and torchvision
            // subtract 1): round them (PIL would truncate 312.9 to 312), then 0-based.
            for (cv::Point2d& p : s.points)
                p = {std::round(p.x) - 1, std::round(p.y) - 1};
            a.shapes.push_back(std::move(s));
        } catch (const std::invalid_argument& e) {
            problems.push_back({source, "<object> " + std::to_string(index) + (name.empty() ? "" : " (" + name + ")") + " skipped: " + e.what()});
        }
    }
    return a;
}

std::vector<std::uint32_t> encodeCvatRle(const cv::Mat& binary) {
    std::vector<std::uint32_t> counts;
    uchar value = 0;
    std::uint32_t run = 0;
    for (int y = 0; y < binary.rows; ++y)
        for (int x = 0; x < binary.cols; ++x) {
            const uchar v = binary.at<uchar>(y, x) ? 1 : 0;
            if (v != value) {
                counts.push_back(run);
                run = 0;
                value = v;
            }
            ++run;
        }
    counts.push_back(run);
    return counts;
}

cv::Mat decodeCvatRle(const std::vector<std::uint32_t>& counts, int h, int w) {
    if (h <= 0 || w <= 0 || static_cast<long long>(h) * w > (1LL << 28))
        throw std::invalid_argument("mask size is not a valid size");
    const std::size_t total = static_cast<std::size_t>(h) * static_cast<std::size_t>(w);
    unsigned long long sum = 0;
    for (std::uint32_t c : counts)
        sum += c;
    if (sum != total)
        throw std::invalid_argument("mask RLE covers " + std::to_string(sum) + " pixels, not " + std::to_string(w) + "x" + std::to_string(h));
    cv::Mat m = cv::Mat::zeros(h, w, CV_8UC1);
    std::size_t pos = 0;
    uchar value = 0;
    for (std::uint32_t run : counts) {
        if (value)
            std::fill(m.data + pos, m.data + pos + run, uchar{1});
        pos += run;
        value = value ? 0 : 1;
    }
    return m;
}

namespace {

Shape cvatShape(const pugi::xml_node& n) {
    const std::string type = n.name();
    Shape s;
    s.label = n.attribute("label").as_string();
    if (s.label.empty())
        throw std::invalid_argument("has no label");
    if (type == "box") {
        s.kind = Shape::Kind::Rectangle;
        // CVAT boxes are continuous [xtl, xbr): the pixels whose centre lies inside.
        const double x0 = number(n.attribute("xtl").value(), "xtl"), y0 = number(n.attribute("ytl").value(), "ytl");
        const double x1 = number(n.attribute("xbr").value(), "xbr"), y1 = number(n.attribute("ybr").value(), "ybr");
        s.points = {{std::round(x0), std::round(y0)}, {std::round(x1) - 1, std::round(y1) - 1}};
    } else if (type == "polygon") {
        s.corners = true;  // CVAT's pixel-corner coordinates, rasterised as pycocotools does (CVAT's own mask export)
        std::istringstream in(n.attribute("points").as_string());
        std::string pair;
        while (std::getline(in, pair, ';')) {
            const std::size_t comma = pair.find(',');
            if (comma == std::string::npos)
                throw std::invalid_argument("points are not \"x,y;x,y\"");
            s.points.emplace_back(number(pair.substr(0, comma).c_str(), "a point's x"), number(pair.substr(comma + 1).c_str(), "a point's y"));
        }
    } else {  // mask
        s.kind = Shape::Kind::Mask;
        const int left = toIntClamped(number(n.attribute("left").value(), "left"));
        const int top = toIntClamped(number(n.attribute("top").value(), "top"));
        const int w = toIntClamped(number(n.attribute("width").value(), "width"));
        const int h = toIntClamped(number(n.attribute("height").value(), "height"));
        std::vector<std::uint32_t> counts;
        std::istringstream in(n.attribute("rle").as_string());
        std::string c;
        while (std::getline(in, c, ',')) {
            const double v = number(c.c_str(), "an RLE count");
            if (v < 0 || v > 4e9)
                throw std::invalid_argument("an RLE count is out of range");
            counts.push_back(static_cast<std::uint32_t>(v));
        }
        s.mask = decodeCvatRle(counts, h, w);
        s.maskBox = cv::Rect(left, top, w, h);
    }
    s.order = n.attribute("z_order").as_int();
    return s;
}

} // namespace

std::vector<ImageAnnotation> parseCvat(const std::string& xml, const std::string& source, std::vector<Problem>& problems,
                                       std::vector<ClassInfo>* labels) {
    const pugi::xml_document doc = parseXml(xml, source);
    const pugi::xml_node root = doc.child("annotations");
    if (!root)
        throw FileError(source, "not a CVAT for images file (no <annotations> root)");
    if (labels) {  // the task's (or project's) label list, in order: ids 1, 2, ...
        pugi::xml_node list = root.child("meta").child("task").child("labels");
        if (!list)
            list = root.child("meta").child("project").child("labels");
        for (const pugi::xml_node l : list.children("label")) {
            const std::string name = l.child("name").text().as_string();
            if (!name.empty())
                labels->push_back({static_cast<int>(labels->size()) + 1, name, {}});
        }
    }
    std::vector<ImageAnnotation> images;
    for (const pugi::xml_node image : root.children("image")) {
        ImageAnnotation a;
        a.source = source;
        a.imagePath = image.attribute("name").as_string();
        const int w = image.attribute("width").as_int(), h = image.attribute("height").as_int();
        if (w > 0 && h > 0 && w <= 1'000'000 && h <= 1'000'000)
            a.size = cv::Size(w, h);
        bool boxes = true;
        for (const pugi::xml_node n : image.children()) {
            const std::string type = n.name();
            if (type != "box" && type != "polygon" && type != "mask") {
                if (type == "polyline" || type == "points" || type == "skeleton" || type == "cuboid" || type == "ellipse")
                    problems.push_back({source, "a <" + type + "> on " + a.imagePath + " has no area MaskForge reads, skipped"});
                continue;
            }
            try {
                a.shapes.push_back(cvatShape(n));
                boxes = boxes && type == "box";
            } catch (const std::invalid_argument& e) {
                problems.push_back({source, "a <" + type + "> on " + a.imagePath + " skipped: " + e.what()});
            }
        }
        a.boxesOnly = boxes && !a.shapes.empty();
        images.push_back(std::move(a));
    }
    return images;
}

CvatWriter::CvatWriter(const std::vector<ClassInfo>& classes) : m_classes(classes) {}

void CvatWriter::addImage(const std::string& name, const cv::Mat& mask) {
    pugi::xml_document doc;
    pugi::xml_node image = doc.append_child("image");
    image.append_attribute("id") = m_imageId++;
    image.append_attribute("name") = name.c_str();
    image.append_attribute("width") = mask.cols;
    image.append_attribute("height") = mask.rows;
    forEachClass(mask, m_classes, [&](const ClassInfo& c, const cv::Mat& binary) {
        const cv::Rect box = cv::boundingRect(binary);
        std::string rle;
        for (std::uint32_t n : encodeCvatRle(binary(box)))
            rle += (rle.empty() ? "" : ", ") + std::to_string(n);
        pugi::xml_node m = image.append_child("mask");
        m.append_attribute("label") = c.name.c_str();
        m.append_attribute("source") = "manual";
        m.append_attribute("occluded") = 0;
        m.append_attribute("rle") = rle.c_str();
        m.append_attribute("left") = box.x;
        m.append_attribute("top") = box.y;
        m.append_attribute("width") = box.width;
        m.append_attribute("height") = box.height;
        m.append_attribute("z_order") = 0;
        ++m_shapes;
    });
    std::ostringstream out;
    image.print(out, "  ", pugi::format_indent, pugi::encoding_utf8, 1);
    m_images += out.str();
}

std::string CvatWriter::xml() const {
    std::string labels;
    for (const ClassInfo& c : m_classes)
        if (c.id != 0 && c.id != 255) {
            pugi::xml_document d;
            pugi::xml_node l = d.append_child("label");
            l.append_child("name").text() = c.name.c_str();
            l.append_child("type").text() = "mask";
            std::ostringstream out;
            l.print(out, "  ", pugi::format_indent, pugi::encoding_utf8, 4);
            labels += out.str();
        }
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotations>\n  <version>1.1</version>\n  <meta>\n    <task>\n      <labels>\n" +
           labels + "      </labels>\n    </task>\n  </meta>\n" + m_images + "</annotations>\n";
}

} // namespace mf::formats
