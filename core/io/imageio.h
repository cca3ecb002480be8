#pragma once
#include <opencv2/core.hpp>
#include <string>

namespace mf {

/** How a mask file stored its class indices. */
enum class MaskEncoding { Index, Binary255, Palette };

/** Reads any image as 8-bit RGB (CV_8UC3, RGB order): grey is replicated to three channels,
 *  alpha is dropped, 16-bit is scaled to 8 bits. Throws FileError when unreadable. */
cv::Mat readImageRgb(const std::string& path);

/** Reads a mask as class indices (CV_8UC1): index PNG as is, binary 0/255 as 0/1, palette PNG
 *  by its palette indices (never by colour). Throws FileError when unreadable or not a mask. */
cv::Mat readMask(const std::string& path, MaskEncoding* encoding = nullptr);

/** Encodes a CV_8UC1 index mask as PNG bytes. */
std::string encodeMaskPng(const cv::Mat& mask);

/** Writes an index mask as PNG atomically (see writeFileAtomic). */
void writeMaskAtomic(const std::string& path, const cv::Mat& mask);

/** Writes any 8-bit image (RGB order for colour) as PNG/JPEG by extension, atomically. */
void writeImageAtomic(const std::string& path, const cv::Mat& rgbOrGrey);

/** True for file names whose extension MaskForge reads as an image. */
bool isImageFile(const std::string& path);

} // namespace mf
