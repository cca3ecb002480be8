#pragma once
#include <opencv2/core.hpp>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mf {

/** True when `bytes` is a PNG whose colour type is palette (indexed colour). */
bool isPalettePng(const std::string& bytes);

/** Decodes a palette PNG to its raw palette indices (CV_8UC1), ignoring the colours.
 *  Throws FileError naming `path` when the data is not a valid palette PNG. */
cv::Mat decodePaletteIndices(const std::string& bytes, const std::string& path);

/** Encodes a CV_8UC1 index image as an 8-bit palette PNG with `palette` (RGB, up to 256 entries; indices
 *  past its end are given black). Pascal VOC's SegmentationClass masks are such files. */
std::string encodePalettePng(const cv::Mat& indices, const std::vector<std::array<std::uint8_t, 3>>& palette);

/** Pascal VOC's colour map (bit-interleaved; 255 is (224, 224, 192)). */
std::vector<std::array<std::uint8_t, 3>> vocColormap();

} // namespace mf
