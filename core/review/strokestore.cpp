#include "review/strokestore.h"

#include "io/atomicfile.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "review/reviewqueue.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace mf {

std::string StrokeStore::path(const std::string& image) const {
    return (fs::path(m_root) / kDir / (projectFileStem(image) + ".png")).string();
}

bool StrokeStore::has(const std::string& image) const {
    std::error_code ec;
    return fs::exists(path(image), ec);
}

cv::Mat StrokeStore::load(const std::string& image, cv::Size size) const {
    if (!has(image))
        return cv::Mat(size, CV_8UC1, cv::Scalar(kUnpainted));
    const std::string file = path(image);
    cv::Mat strokes = readMask(file, MaskEncoding::Index);
    if (strokes.size() != size)
        throw FileError(file, "the strokes are " + std::to_string(strokes.cols) + "x" + std::to_string(strokes.rows) +
                                  ", the image " + std::to_string(size.width) + "x" + std::to_string(size.height));
    return strokes;
}

void StrokeStore::save(const std::string& image, const cv::Mat& strokes) const {
    if (strokes.empty() || strokes.type() != CV_8UC1)
        throw FileError(path(image), "strokes must be an 8-bit single-channel map");
    if (cv::countNonZero(strokes != kUnpainted) == 0) {
        std::error_code ec;
        fs::remove(path(image), ec);
        if (ec)
            throw FileError(path(image), "could not delete: " + ec.message());
        return;
    }
    makeDirs((fs::path(m_root) / kDir).string());
    writeMaskAtomic(path(image), strokes, MaskEncoding::Index);
}

std::vector<std::string> StrokeStore::imagesWithStrokes(const Project& project) const {
    std::vector<std::string> out;
    for (const ImageEntry& e : project.images())
        if (has(e.image))
            out.push_back(e.image);
    return out;
}

} // namespace mf
