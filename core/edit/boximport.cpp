#include "edit/boximport.h"

#include "formats/readers.h"
#include "io/atomicfile.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace mf {
namespace {

/** The first problem a strict reader met, as the error the old box readers threw. */
void throwFirst(const std::vector<Problem>& problems) {
    if (!problems.empty())
        throw FileError(problems.front().file, problems.front().message);
}

/** The pixel rectangle a shape covers (boxes: corners inclusive, as the readers state them). */
cv::Rect shapeRect(const formats::Shape& s) {
    if (s.kind == formats::Shape::Kind::Mask)
        return cv::boundingRect(s.mask) + s.maskBox.tl();
    if (s.kind == formats::Shape::Kind::Rectangle && s.points.size() == 2) {
        const cv::Point a(formats::toIntClamped(std::round(std::min(s.points[0].x, s.points[1].x))),
                          formats::toIntClamped(std::round(std::min(s.points[0].y, s.points[1].y))));
        const cv::Point b(formats::toIntClamped(std::round(std::max(s.points[0].x, s.points[1].x))),
                          formats::toIntClamped(std::round(std::max(s.points[0].y, s.points[1].y))));
        return cv::Rect(a, b + cv::Point(1, 1));
    }
    std::vector<cv::Point> pts;
    for (const cv::Point2d& p : s.points)
        pts.emplace_back(formats::toIntClamped(p.x), formats::toIntClamped(p.y));
    return pts.empty() ? cv::Rect() : cv::boundingRect(pts) + cv::Size(1, 1);
}

std::vector<DetectionBox> boxesByName(const formats::ImageAnnotation& a, std::vector<ClassInfo>& classes, bool addMissing) {
    formats::LabelMap labels(classes, addMissing);
    std::vector<DetectionBox> boxes;
    for (const formats::Shape& s : a.shapes) {
        const std::optional<int> id = labels.classOf(s.label);
        if (!id || *id == formats::LabelMap::kIgnore)
            throw FileError(a.source, "class \"" + s.label + "\" is not a class of the project");
        boxes.push_back({*id, shapeRect(s)});
    }
    classes = labels.classes();
    return boxes;
}

} // namespace

std::vector<DetectionBox> readYoloBoxes(const std::string& path, cv::Size size, int classOffset) {
    std::vector<Problem> problems;
    const formats::ImageAnnotation a = formats::parseYolo(readFileBytes(path), path, size, {}, problems);
    throwFirst(problems);
    std::vector<DetectionBox> boxes;
    for (const formats::Shape& s : a.shapes)
        boxes.push_back({s.index + classOffset, shapeRect(s) & cv::Rect({0, 0}, size)});
    return boxes;
}

std::vector<DetectionBox> readVocBoxes(const std::string& path, std::vector<ClassInfo>& classes, bool addMissing,
                                       std::string* filename) {
    std::vector<Problem> problems;
    const formats::ImageAnnotation a = formats::parseVocXml(readFileBytes(path), path, problems);
    throwFirst(problems);
    if (filename)
        *filename = a.imagePath;
    return boxesByName(a, classes, addMissing);
}

std::map<std::string, std::vector<DetectionBox>> readCocoBoxes(const std::string& path, std::vector<ClassInfo>& classes,
                                                               bool addMissing) {
    std::vector<Problem> problems;
    const std::vector<formats::ImageAnnotation> all = formats::parseCoco(readFileBytes(path), path, problems);
    throwFirst(problems);
    std::map<std::string, std::vector<DetectionBox>> out;
    for (const formats::ImageAnnotation& a : all) {
        std::vector<DetectionBox>& boxes = out[fs::path(a.imagePath).stem().string()];
        for (DetectionBox& b : boxesByName(a, classes, addMissing))
            boxes.push_back(b);
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

std::vector<DetectionBox> imageBoxes(const std::string& boxesFile, const cv::Mat& coarse, cv::Size imageSize) {
    const cv::Size size = coarse.empty() ? imageSize : coarse.size();
    if (size.empty())
        return {};
    std::error_code ec;
    if (!boxesFile.empty() && fs::path(boxesFile).extension() == ".txt" && fs::is_regular_file(boxesFile, ec))
        return readYoloBoxes(boxesFile, size, 1);
    return coarse.empty() ? std::vector<DetectionBox>{} : boxesFromMask(coarse);
}

std::vector<DetectionBox> imageBoxes(const Project& project, const ImageEntry& entry, const cv::Mat& coarse,
                                     cv::Size imageSize) {
    return imageBoxes(entry.boxes.empty() ? std::string() : project.absolute(entry.boxes), coarse, imageSize);
}

} // namespace mf
