#include "io/imageio.h"
#include "io/maskcounts.h"
#include "project/dataset.h"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace mf {
namespace {

std::string describeUnknownValues(const cv::Mat& mask, int classCount, int ignoreIndex) {
    const std::array<int, 256> hist = maskValueCounts(mask);
    std::string values;
    int pixels = 0;
    for (int v = classCount; v < 256; ++v)
        if (hist[v] && v != ignoreIndex) {
            values += (values.empty() ? "" : ", ") + std::to_string(v);
            pixels += hist[v];
        }
    if (values.empty())
        return {};
    return "mask value(s) " + values + " not a known class (" + std::to_string(pixels) + " pixels; classes are 0.." +
           std::to_string(classCount - 1) + (ignoreIndex >= 0 ? ", ignore " + std::to_string(ignoreIndex) : "") + ")";
}

void checkMask(const std::string& path, const cv::Size& imageSize, const Project& p, std::vector<Problem>& out) {
    if (!fs::exists(path)) {
        out.push_back({path, "mask file is missing"});
        return;
    }
    try {
        cv::Mat mask = readMask(path, p.maskEncoding());
        if (imageSize.width > 0 && mask.size() != imageSize)
            out.push_back({path, "mask is " + std::to_string(mask.cols) + "x" + std::to_string(mask.rows) +
                                     " but its image is " + std::to_string(imageSize.width) + "x" +
                                     std::to_string(imageSize.height)});
        std::string unknown = describeUnknownValues(mask, p.classCount(), p.ignoreIndex());
        if (!unknown.empty())
            out.push_back({path, unknown});
    } catch (const FileError& e) {
        out.push_back({e.file(), e.problem()});
    }
}

void checkEntry(const Project& p, const ImageEntry& e, std::vector<Problem>& out) {
    const std::string imagePath = p.absolute(e.image);
    cv::Size size;
    if (!fs::exists(imagePath)) {
        out.push_back({imagePath, "image file is missing"});
    } else {
        try {
            size = readImageRgb(imagePath).size();
        } catch (const FileError& err) {
            out.push_back({err.file(), err.problem()});
        }
    }
    const bool labelled = e.status == ImageStatus::Refined || e.status == ImageStatus::Reviewed;
    if (labelled && e.mask.empty())
        out.push_back({imagePath, "status is " + toString(e.status) + " but the image has no mask"});
    if (e.status == ImageStatus::Coarse && e.mask.empty() && e.coarse.empty())
        out.push_back({imagePath, "status is coarse but the image has no coarse mask"});
    if (!e.mask.empty())
        checkMask(p.absolute(e.mask), size, p, out);
    if (!e.coarse.empty())
        checkMask(p.absolute(e.coarse), size, p, out);
}

} // namespace

std::vector<Problem> validateDataset(const std::string& path, std::vector<Problem>* notes) {
    std::vector<Problem> problems;
    Project project;
    try {
        project = openDataset(path, &problems);
    } catch (const FileError& e) {
        problems.push_back({e.file(), e.problem()});
        return problems;
    }
    if (notes) {
        notes->push_back({project.filePath(), "mask encoding: " + toString(project.maskEncoding())});
        for (const auto& w : project.loadWarnings())
            if (std::none_of(problems.begin(), problems.end(), [&](const Problem& p) { return p.message == w.message; }))
                notes->push_back(w);
    }
    for (auto& p : validateProject(project))
        problems.push_back(std::move(p));
    std::stable_sort(problems.begin(), problems.end(),
                     [](const Problem& a, const Problem& b) { return a.file < b.file; });
    return problems;
}

std::vector<Problem> validateProject(const Project& project) {
    std::vector<Problem> problems;
    if (project.classCount() < 1)
        problems.push_back({project.filePath(), "project has no classes"});
    for (const auto& e : project.images())
        checkEntry(project, e, problems);
    return problems;
}

} // namespace mf
