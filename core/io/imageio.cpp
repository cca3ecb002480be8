#include "io/imageio.h"
#include "io/maskcounts.h"

#include "io/atomicfile.h"
#include "io/errors.h"
#include "io/imageheader.h"
#include "io/palettepng.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace mf {
namespace {

cv::Mat decode(const std::string& bytes, const std::string& path) {
    checkImageBytes(bytes, path);  // truncation and absurd sizes are refused before any pixel is allocated
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

/** Which of the values 0..255 occur in a mask. */
std::array<bool, 256> valuesPresent(const cv::Mat& mask) {
    const std::array<int, 256> counts = maskValueCounts(mask);
    std::array<bool, 256> out{};
    for (int v = 0; v < 256; ++v)
        out[v] = counts[v] != 0;
    return out;
}

cv::Mat readRawMask(const std::string& bytes, const std::string& path) {
    if (isPalettePng(bytes)) {
        checkImageBytes(bytes, path);
        return decodePaletteIndices(bytes, path);
    }
    return maskTo8Bit(singleChannelMask(decode(bytes, path), path), path).clone();
}

const char* kEncodingNames[] = {"index", "binary255", "palette"};

} // namespace

cv::Mat readImageRgb(const std::string& path) { return decodeImageRgb(readFileBytes(path), path); }

cv::Mat decodeImageRgb(const std::string& bytes, const std::string& path) {
    cv::Mat img = to8Bit(decode(bytes, path), path);
    cv::Mat rgb;
    switch (img.channels()) {
    case 1: cv::cvtColor(img, rgb, cv::COLOR_GRAY2RGB); break;
    case 3: cv::cvtColor(img, rgb, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(img, rgb, cv::COLOR_BGRA2RGB); break;
    default: throw FileError(path, "unsupported channel count " + std::to_string(img.channels()));
    }
    return rgb;
}

std::string toString(MaskEncoding encoding) { return kEncodingNames[static_cast<int>(encoding)]; }

std::optional<MaskEncoding> parseMaskEncoding(const std::string& word) {
    for (int i = 0; i < 3; ++i)
        if (word == kEncodingNames[i])
            return static_cast<MaskEncoding>(i);
    return std::nullopt;
}

MaskEncoding decideMaskEncoding(const std::vector<std::string>& maskPaths, int classCount, std::string* summary) {
    int read = 0, palettes = 0, with255 = 0, withClasses = 0;
    for (const auto& path : maskPaths) {
        try {
            const std::string bytes = readFileBytes(path);
            palettes += isPalettePng(bytes) ? 1 : 0;
            const auto present = valuesPresent(readRawMask(bytes, path));
            ++read;
            with255 += present[255] ? 1 : 0;
            withClasses += std::any_of(present.begin() + 1, present.begin() + 255, [](bool b) { return b; }) ? 1 : 0;
        } catch (const FileError&) {
            // validation names unreadable masks; they say nothing about the encoding
        }
    }
    MaskEncoding e = MaskEncoding::Index;
    if (read > 0 && palettes == read)
        e = MaskEncoding::Palette;
    else if (withClasses == 0 && with255 > 0 && (classCount == 0 || classCount == 2))
        e = MaskEncoding::Binary255;
    if (summary)
        *summary = "mask encoding " + toString(e) + ": of " + std::to_string(read) + " readable masks, " +
                   std::to_string(palettes) + " palette PNG, " + std::to_string(withClasses) +
                   " with values 1..254, " + std::to_string(with255) + " with 255" +
                   (e == MaskEncoding::Binary255 ? " (read as class 1)"
                                                 : with255 ? " (255 is the ignore index)" : "");
    return e;
}

cv::Mat readMask(const std::string& path, MaskEncoding encoding) { return decodeMask(readFileBytes(path), path, encoding); }

cv::Mat decodeMask(const std::string& bytes, const std::string& path, MaskEncoding encoding) {
    cv::Mat mask = readRawMask(bytes, path);
    if (encoding == MaskEncoding::Binary255)
        mask.setTo(1, mask == 255);
    return mask;
}

std::string encodeMaskPng(const cv::Mat& mask) {
    if (mask.empty() || mask.type() != CV_8UC1)
        throw std::invalid_argument("encodeMaskPng: mask must be a non-empty CV_8UC1 image");
    std::vector<uchar> buffer;
    cv::imencode(".png", mask, buffer, {cv::IMWRITE_PNG_COMPRESSION, 3});
    return std::string(buffer.begin(), buffer.end());
}

void writeMaskAtomic(const std::string& path, const cv::Mat& mask, MaskEncoding encoding) {
    if (encoding != MaskEncoding::Binary255 || mask.empty() || mask.type() != CV_8UC1) {
        writeFileAtomic(path, encodeMaskPng(mask));
        return;
    }
    cv::Mat stored = mask.clone();
    stored.setTo(255, mask == 1);
    writeFileAtomic(path, encodeMaskPng(stored));
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
