#include "interactive/clickdata.h"

#include "interactive/clickprotocol.h"
#include "io/errors.h"
#include "io/imageio.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace mf {
namespace {

std::map<std::string, std::string> readSplit(const fs::path& file) {
    std::ifstream in(file);
    if (!in)
        throw FileError(file.string(), "cannot be read (a split was asked for)");
    std::map<std::string, std::string> out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        std::istringstream words(line);
        std::string stem, split;
        if (!(words >> stem))
            continue;
        if (!(words >> split))
            throw FileError(file.string(), "line " + std::to_string(n) + ": expected '<stem> <split>'");
        out[stem] = split;
    }
    return out;
}

std::vector<fs::path> imageFiles(const fs::path& folder) {
    if (!fs::is_directory(folder))
        throw FileError(folder.string(), "no such folder (clickbench wants images/ and masks/)");
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(folder))
        if (e.is_regular_file() && isImageFile(e.path().string()))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    if (out.empty())
        throw FileError(folder.string(), "holds no image");
    return out;
}

/** The most frequent mask value under `where`. */
int majorityValue(const cv::Mat& mask, const cv::Mat& where) {
    int counts[256] = {};
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* m = mask.ptr<uchar>(y);
        const uchar* w = where.ptr<uchar>(y);
        for (int x = 0; x < mask.cols; ++x)
            counts[m[x]] += w[x] != 0;
    }
    return static_cast<int>(std::max_element(counts, counts + 256) - counts);
}

} // namespace

std::vector<ClickObject> maskObjects(const cv::Mat& mask, const std::string& stem, bool components) {
    const cv::Mat ignore = mask == kIgnoreLabel;
    const cv::Mat object = (mask != 0) & ~ignore;
    std::vector<ClickObject> out;
    if (!components) {
        cv::Mat truth = cv::Mat::zeros(mask.size(), CV_8UC1);
        truth.setTo(1, object);
        truth.setTo(kIgnoreLabel, ignore);
        if (cv::countNonZero(object) > 0)
            out.push_back({stem, truth, majorityValue(mask, object)});
        return out;
    }
    cv::Mat closed, labels;
    cv::morphologyEx(object, closed, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
    const int n = cv::connectedComponents(closed, labels, 8, CV_32S);
    for (int k = 1; k < n; ++k) {
        cv::Mat truth = cv::Mat::zeros(mask.size(), CV_8UC1);
        truth.setTo(1, (labels == k) & object);
        truth.setTo(kIgnoreLabel, ignore);
        if (cv::countNonZero(truth == 1) > 0)
            out.push_back({stem + "#" + std::to_string(k), truth, majorityValue(mask, truth == 1)});
    }
    return out;
}

std::vector<ClickSample> loadClickData(const std::string& dir, const ClickDataOptions& options) {
    const fs::path root(dir);
    if (!fs::is_directory(root))
        throw FileError(dir, "no such folder");
    std::map<std::string, std::string> split;
    if (!options.split.empty())
        split = readSplit(root / "split.txt");
    std::vector<ClickSample> out;
    for (const fs::path& image : imageFiles(root / "images")) {
        const std::string stem = image.stem().string();
        if (!options.split.empty()) {
            const auto it = split.find(stem);
            if (it == split.end() || it->second != options.split)
                continue;
        }
        if (options.limit > 0 && static_cast<int>(out.size()) >= options.limit)
            break;
        const fs::path maskPath = root / "masks" / (stem + ".png");
        if (!fs::exists(maskPath))
            throw FileError(maskPath.string(), "missing: the mask of " + image.string());
        ClickSample s{image.string(), readImageRgb(image.string()), {}};
        const cv::Mat mask = readMask(maskPath.string(), MaskEncoding::Index);
        if (mask.size() != s.image.size())
            throw FileError(maskPath.string(), "mask is " + std::to_string(mask.cols) + "x" + std::to_string(mask.rows) +
                                                   ", its image " + std::to_string(s.image.cols) + "x" +
                                                   std::to_string(s.image.rows));
        s.objects = maskObjects(mask, stem, options.components);
        out.push_back(std::move(s));
    }
    if (out.empty())
        throw FileError(dir, options.split.empty() ? "no image to benchmark"
                                                   : "split '" + options.split + "' selects no image");
    return out;
}

} // namespace mf
