#pragma once
#include <opencv2/core.hpp>
#include <string>

namespace mf {

/** True when `bytes` is a PNG whose colour type is palette (indexed colour). */
bool isPalettePng(const std::string& bytes);

/** Decodes a palette PNG to its raw palette indices (CV_8UC1), ignoring the colours.
 *  Throws FileError naming `path` when the data is not a valid palette PNG. */
cv::Mat decodePaletteIndices(const std::string& bytes, const std::string& path);

} // namespace mf
