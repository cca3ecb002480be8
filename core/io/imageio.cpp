#include "io/imageio.h"

#include "io/atomicfile.h"
#include "io/errors.h"
#include "io/palettepng.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace mf {
namespace {

cv::Mat decode(const std::string& bytes, const std::string& path) {
    if (bytes.empty())
        throw FileError(path, "file is empty");
    cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
    cv::Mat img;
    try {
        img = cv::imdecode(raw, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw FileError(path, std::string("cannot decode image: ") + e.what());
    }
    if (img.empty())
        throw FileError(path, "cannot decode image (truncated, corrupt or not an image format)");
    return img;
}

cv::Mat to8Bit(const cv::Mat& img, const std::string& path) {
    switch (img.depth()) {
    case CV_8U: return img;
    case CV_16U: { cv::Mat out; img.convertTo(out, CV_8U, 1.0 / 257.0); return out; }
    case CV_32F: case CV_64F: { cv::Mat out; img.convertTo(out, CV_8U, 255.0); return out; }
    default: throw FileError(path, "unsupported pixel depth");
    }
}

bool channelsEqual(const cv::Mat& img) {
    std::vector<cv::Mat> ch;
    cv::split(img, ch);
    for (std::size_t i = 1; i < ch.size() && i < 3; ++i)
        if (cv::countNonZero(ch[i] != ch[0]) != 0)
            return false;
    return true;
}

cv::Mat singleChannelMask(const cv::Mat& img, const std::string& path) {
    if (img.channels() == 1)
        return img;
    if (!channelsEqual(img))
        throw FileError(path, "colour mask without a palette: store class indices (index or palette PNG)");
    cv::Mat first;
    cv::extractChannel(img, first, 0);
    return first;
}

cv::Mat maskTo8Bit(const cv::Mat& mask, const std::string& path) {
    if (mask.depth() == CV_8U)
        return mask;
    if (mask.depth() != CV_16U)
        throw FileError(path, "mask must be 8- or 16-bit integers");
    double maxValue = 0;
    cv::minMaxLoc(mask, nullptr, &maxValue);
    if (maxValue > 255)
        throw FileError(path, "mask value " + std::to_string(static_cast<int>(maxValue)) +
                                  " exceeds 255 (at most 255 classes)");
    cv::Mat out;
    mask.convertTo(out, CV_8U);
    return out;
}

bool isBinary255(const cv::Mat& mask) {
    int hist[256] = {0};
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* row = mask.ptr<uchar>(y);
        for (int x = 0; x < mask.cols; ++x)
            ++hist[row[x]];
    }
    if (hist[255] == 0)
        return false;
    for (int v = 1; v < 255; ++v)
        if (hist[v] != 0)
            return false;
    return true;
}

} // namespace

cv::Mat readImageRgb(const std::string& path) {
    cv::Mat img = to8Bit(decode(readFileBytes(path), path), path);
    cv::Mat rgb;
    switch (img.channels()) {
    case 1: cv::cvtColor(img, rgb, cv::COLOR_GRAY2RGB); break;
    case 3: cv::cvtColor(img, rgb, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(img, rgb, cv::COLOR_BGRA2RGB); break;
    default: throw FileError(path, "unsupported channel count " + std::to_string(img.channels()));
    }
    return rgb;
}

cv::Mat readMask(const std::string& path, MaskEncoding* encoding) {
    const std::string bytes = readFileBytes(path);
    if (isPalettePng(bytes)) {
        if (encoding)
            *encoding = MaskEncoding::Palette;
        return decodePaletteIndices(bytes, path);
    }
    cv::Mat mask = maskTo8Bit(singleChannelMask(decode(bytes, path), path), path);
    if (isBinary255(mask)) {
        if (encoding)
            *encoding = MaskEncoding::Binary255;
        cv::Mat out = mask / 255;
        return out;
    }
    if (encoding)
        *encoding = MaskEncoding::Index;
    return mask.clone();
}

std::string encodeMaskPng(const cv::Mat& mask) {
    if (mask.empty() || mask.type() != CV_8UC1)
        throw std::invalid_argument("encodeMaskPng: mask must be a non-empty CV_8UC1 image");
    std::vector<uchar> buffer;
    cv::imencode(".png", mask, buffer, {cv::IMWRITE_PNG_COMPRESSION, 3});
    return std::string(buffer.begin(), buffer.end());
}

void writeMaskAtomic(const std::string& path, const cv::Mat& mask) {
    writeFileAtomic(path, encodeMaskPng(mask));
}

void writeImageAtomic(const std::string& path, const cv::Mat& rgbOrGrey) {
    cv::Mat bgr = rgbOrGrey;
    if (rgbOrGrey.channels() == 3)
        cv::cvtColor(rgbOrGrey, bgr, cv::COLOR_RGB2BGR);
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    std::vector<uchar> buffer;
    if (!cv::imencode(ext.empty() ? ".png" : ext, bgr, buffer))
        throw FileError(path, "cannot encode image as " + ext);
    writeFileAtomic(path, std::string(buffer.begin(), buffer.end()));
}

bool isImageFile(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    static const char* known[] = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"};
    return std::find(std::begin(known), std::end(known), ext) != std::end(known);
}

} // namespace mf
