#pragma once
#include <cstdint>
#include <string>

namespace mf {

/** What an image file's header says, read without decoding a pixel. */
struct ImageHeader {
    std::string format;   ///< "png", "jpeg", or "other" (a format whose header is not checked here)
    int width = 0;        ///< 0 for "other"
    int height = 0;
    int channels = 0;
    int bitDepth = 0;     ///< bits per sample
};

/** The most pixels (width × height) an image may claim before it is refused, decided before any
 *  pixel memory is allocated. Default 2^28 (16384²); the environment variable MF_MAX_IMAGE_PIXELS
 *  or setMaxImagePixels() changes it. */
std::uint64_t maxImagePixels();
void setMaxImagePixels(std::uint64_t pixels);

/** Reads the header of a PNG or JPEG file (libpng / libjpeg, no pixel decoding) and checks the file
 *  is whole: PNG up to its IEND chunk, JPEG up to its end marker. Throws FileError naming the file and
 *  the problem: missing, empty, not an image (e.g. text named .png), truncated, a zero or too large
 *  size. Other formats (BMP, TIFF, WebP, ...) only have to exist and be non-empty ("other"). */
ImageHeader readImageHeader(const std::string& path);

/** The same check on bytes already in memory (`path` names them in errors); `bytes` holds the whole
 *  file. Used before decoding, so a header claiming 100000 × 100000 is refused before allocating. */
ImageHeader checkImageBytes(const std::string& bytes, const std::string& path);

} // namespace mf
