#include "edit/boximport.h"

#include "io/atomicfile.h"
#include "io/imageio.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace mf {
namespace {

int classByName(std::vector<ClassInfo>& classes, const std::string& name, bool addMissing, const std::string& file) {
    for (const ClassInfo& c : classes)
        if (c.name == name)
            return c.id;
    if (!addMissing)
        throw FileError(file, "class \"" + name + "\" is not a class of the project");
    if (classes.empty())
        classes.push_back({0, "background", defaultClassColor(0)});
    const int id = classes.back().id + 1;
    classes.push_back({id, name, defaultClassColor(id)});
    return id;
}

/** The text of the first `<tag>...</tag>` in [from, to); npos-safe. VOC needs nothing more than this. */
std::string tagText(const std::string& xml, const std::string& tag, std::size_t from = 0,
                    std::size_t to = std::string::npos, std::size_t* end = nullptr) {
    const std::size_t open = xml.find("<" + tag + ">", from);
    if (open == std::string::npos || open >= to)
        return {};
    const std::size_t start = open + tag.size() + 2, close = xml.find("</" + tag + ">", start);
    if (close == std::string::npos || close > to)
        return {};
    if (end)
        *end = close + tag.size() + 3;
    std::string text = xml.substr(start, close - start);
    const auto notSpace = [](unsigned char ch) { return !std::isspace(ch); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), notSpace));
    text.erase(std::find_if(text.rbegin(), text.rend(), notSpace).base(), text.end());
    return text;
}

int vocCoord(const std::string& box, const char* tag, const std::string& file) {
    try {
        return static_cast<int>(std::lround(std::stod(tagText(box, tag))));
    } catch (const std::exception&) {
        throw FileError(file, std::string("an <object> has no numeric <") + tag + ">");
    }
}

std::string stemOf(const std::string& path) { return fs::path(path).stem().string(); }

} // namespace

std::vector<DetectionBox> readYoloBoxes(const std::string& path, cv::Size size, int classOffset) {
    std::istringstream in(readFileBytes(path));
    std::vector<DetectionBox> boxes;
    std::string line;
    for (int lineNo = 1; std::getline(in, line); ++lineNo) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        std::istringstream fields(line);
        int k = 0;
        double cx = 0, cy = 0, w = 0, h = 0;
        if (!(fields >> k >> cx >> cy >> w >> h) || k < 0 || w < 0 || h < 0)
            throw FileError(path, "line " + std::to_string(lineNo) + " is not `class cx cy w h`");
        const int x0 = static_cast<int>(std::lround((cx - w / 2) * size.width));
        const int y0 = static_cast<int>(std::lround((cy - h / 2) * size.height));
        const int x1 = static_cast<int>(std::lround((cx + w / 2) * size.width));
        const int y1 = static_cast<int>(std::lround((cy + h / 2) * size.height));
        boxes.push_back({k + classOffset, cv::Rect(cv::Point(x0, y0), cv::Point(x1, y1)) & cv::Rect({0, 0}, size)});
    }
    return boxes;
}

std::vector<DetectionBox> readVocBoxes(const std::string& path, std::vector<ClassInfo>& classes, bool addMissing,
                                       std::string* filename) {
    const std::string xml = readFileBytes(path);
    if (xml.find("<annotation") == std::string::npos)
        throw FileError(path, "not a Pascal VOC annotation (no <annotation>)");
    if (filename)
        *filename = tagText(xml, "filename");
    std::vector<DetectionBox> boxes;
    for (std::size_t pos = xml.find("<object>"); pos != std::string::npos; pos = xml.find("<object>", pos)) {
        const std::size_t end = xml.find("</object>", pos);
        if (end == std::string::npos)
            throw FileError(path, "an <object> is not closed");
        const std::string object = xml.substr(pos, end - pos);
        const std::string name = tagText(object, "name");
        const std::string box = tagText(object, "bndbox");
        if (name.empty() || box.empty())
            throw FileError(path, "an <object> lacks <name> or <bndbox>");
        const int x0 = vocCoord(box, "xmin", path), y0 = vocCoord(box, "ymin", path);
        const int x1 = vocCoord(box, "xmax", path), y1 = vocCoord(box, "ymax", path);
        boxes.push_back({classByName(classes, name, addMissing, path), cv::Rect(cv::Point(x0, y0), cv::Point(x1 + 1, y1 + 1))});
        pos = end;
    }
    return boxes;
}

std::map<std::string, std::vector<DetectionBox>> readCocoBoxes(const std::string& path, std::vector<ClassInfo>& classes,
                                                               bool addMissing) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readFileBytes(path));
    } catch (const nlohmann::json::exception& e) {
        throw FileError(path, std::string("not valid JSON: ") + e.what());
    }
    if (!j.contains("images") || !j.contains("annotations") || !j.contains("categories"))
        throw FileError(path, "not a COCO file (needs images, annotations and categories)");
    std::map<long long, int> category;
    for (const auto& c : j["categories"])
        category[c.at("id").get<long long>()] = classByName(classes, c.at("name").get<std::string>(), addMissing, path);
    std::map<long long, std::string> stems;
    for (const auto& im : j["images"])
        stems[im.at("id").get<long long>()] = stemOf(im.at("file_name").get<std::string>());
    std::map<std::string, std::vector<DetectionBox>> out;
    for (const auto& a : j["annotations"]) {
        if (!a.contains("bbox") || !stems.count(a.at("image_id").get<long long>()) || !category.count(a.at("category_id").get<long long>()))
            throw FileError(path, "an annotation names an unknown image or category, or has no bbox");
        const auto& b = a["bbox"];
        const cv::Rect r(cv::Point(static_cast<int>(std::lround(b[0].get<double>())), static_cast<int>(std::lround(b[1].get<double>()))),
                         cv::Point(static_cast<int>(std::lround(b[0].get<double>() + b[2].get<double>())),
                                   static_cast<int>(std::lround(b[1].get<double>() + b[3].get<double>()))));
        out[stems[a["image_id"].get<long long>()]].push_back({category[a["category_id"].get<long long>()], r});
    }
    return out;
}

cv::Mat coarseMaskFromBoxes(cv::Size size, const std::vector<DetectionBox>& boxes) {
    std::vector<DetectionBox> sorted = boxes;
    std::stable_sort(sorted.begin(), sorted.end(), [](const DetectionBox& a, const DetectionBox& b) { return a.rect.area() > b.rect.area(); });
    cv::Mat mask = cv::Mat::zeros(size, CV_8UC1);
    for (const DetectionBox& b : sorted) {
        const cv::Rect r = b.rect & cv::Rect({0, 0}, size);
        if (!r.empty())
            mask(r).setTo(b.classId);
    }
    return mask;
}

std::vector<DetectionBox> boxesFromMask(const cv::Mat& coarse) {
    std::vector<DetectionBox> boxes;
    double maxValue = 0;
    cv::minMaxLoc(coarse, nullptr, &maxValue);
    for (int c = 1; c <= static_cast<int>(maxValue); ++c) {
        cv::Mat labels, stats, centroids;
        const int n = cv::connectedComponentsWithStats(coarse == c, labels, stats, centroids, 8);
        for (int i = 1; i < n; ++i)
            boxes.push_back({c, cv::Rect(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                                         stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT))});
    }
    return boxes;
}

std::vector<DetectionBox> imageBoxes(const Project& project, const ImageEntry& entry, const cv::Mat& coarse) {
    const std::string file = project.absolute(entry.boxes);
    if (!entry.boxes.empty() && fs::path(file).extension() == ".txt" && fs::exists(file) && !coarse.empty())
        return readYoloBoxes(file, coarse.size(), 1);
    return coarse.empty() ? std::vector<DetectionBox>{} : boxesFromMask(coarse);
}

} // namespace mf
