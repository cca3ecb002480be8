#pragma once
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mf {

/** How a dataset stores class indices in its mask files: a property of the whole dataset, decided once
 *  (at import, or when an old project without it is loaded) and stored in maskforge.json; never guessed
 *  per file. Index: values are class indices (255 = ignore). Binary255: a two-class dataset whose masks
 *  hold 0 and 255, read as classes 0 and 1. Palette: palette PNGs read by palette index. */
enum class MaskEncoding { Index, Binary255, Palette };

/** "index", "binary255", "palette". */
std::string toString(MaskEncoding encoding);
/** The encoding of a word toString writes; std::nullopt for any other. */
std::optional<MaskEncoding> parseMaskEncoding(const std::string& word);

/** The encoding of a dataset whose masks are `maskPaths`, from all of them together: Binary255 when no
 *  mask holds a value in 1..254 and some hold 255 (and `classCount` is 0 = unknown, or 2); Palette
 *  when every mask is a palette PNG; Index otherwise. Unreadable masks are skipped. `summary` (if
 *  given) gets one sentence saying what was found. */
MaskEncoding decideMaskEncoding(const std::vector<std::string>& maskPaths, int classCount = 0,
                                std::string* summary = nullptr);

/** Reads any image as 8-bit RGB (CV_8UC3, RGB order): grey is replicated to three channels,
 *  alpha is dropped, 16-bit is scaled to 8 bits. Throws FileError when unreadable. */
cv::Mat readImageRgb(const std::string& path);

/** Reads a mask as class indices (CV_8UC1) of a dataset stored as `encoding`: index PNG values as
 *  they are, palette PNG by its palette indices (never by colour); only with Binary255 is 255 read as
 *  class 1. A file's values never change how it is read. Throws FileError when unreadable or not a mask.
 *  There is no default: the caller says whose file it is (the project's maskEncoding(), a LoaderItem's,
 *  or Index for MaskForge's own files: autosaves, review proposals, predictions). */
cv::Mat readMask(const std::string& path, MaskEncoding encoding);

/** readImageRgb and readMask on the bytes of a file already in memory (`path` names it in errors). */
cv::Mat decodeImageRgb(const std::string& bytes, const std::string& path);
cv::Mat decodeMask(const std::string& bytes, const std::string& path, MaskEncoding encoding);

/** Encodes a CV_8UC1 index mask as PNG bytes. */
std::string encodeMaskPng(const cv::Mat& mask);

/** Writes an index mask as PNG atomically (see writeFileAtomic); for a Binary255 dataset class 1 is
 *  written as 255, so the file keeps the dataset's format. */
void writeMaskAtomic(const std::string& path, const cv::Mat& mask, MaskEncoding encoding = MaskEncoding::Index);

/** Writes any 8-bit image (RGB order for colour) as PNG/JPEG by extension, atomically. */
void writeImageAtomic(const std::string& path, const cv::Mat& rgbOrGrey);

/** True for file names whose extension MaskForge reads as an image. */
bool isImageFile(const std::string& path);

} // namespace mf
