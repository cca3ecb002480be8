#include "io/palettepng.h"

#include "io/errors.h"
#include "io/imageheader.h"
#include "io/pngmemory.h"

#include <csetjmp>
#include <cstring>
#include <stdexcept>
#include <png.h>

namespace mf {
namespace {

void ignoreWarning(png_structp, png_const_charp) {}

} // namespace

bool isPalettePng(const std::string& bytes) {
    // IHDR follows the 8-byte signature: length(4) "IHDR"(4) width(4) height(4) depth(1) colour type(1).
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (bytes.size() < 33 || std::memcmp(bytes.data(), sig, 8) != 0 || bytes.compare(12, 4, "IHDR") != 0)
        return false;
    return static_cast<unsigned char>(bytes[25]) == 3;
}

cv::Mat decodePaletteIndices(const std::string& bytes, const std::string& path) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, ignoreWarning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) {
        png_destroy_read_struct(&png, &info, nullptr);
        throw FileError(path, "out of memory decoding PNG");
    }
    PngMemorySource reader{&bytes, 0};
    cv::Mat out;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, nullptr);
        throw FileError(path, "corrupt palette PNG");
    }
    png_set_read_fn(png, &reader, readPngFromMemory);
    png_read_info(png, info);
    const png_uint_32 width = png_get_image_width(png, info);
    const png_uint_32 height = png_get_image_height(png, info);
    if (static_cast<std::uint64_t>(width) * height > maxImagePixels())
        png_error(png, "image too large (see MF_MAX_IMAGE_PIXELS)");
    if (png_get_color_type(png, info) != PNG_COLOR_TYPE_PALETTE)
        png_error(png, "not a palette PNG");
    if (png_get_bit_depth(png, info) < 8)
        png_set_packing(png);
    png_read_update_info(png, info);
    out.create(static_cast<int>(height), static_cast<int>(width), CV_8UC1);
    for (int pass = png_set_interlace_handling(png); pass > 0; --pass)
        for (png_uint_32 y = 0; y < height; ++y)
            png_read_row(png, out.ptr<png_byte>(static_cast<int>(y)), nullptr);
    png_read_end(png, nullptr);
    png_destroy_read_struct(&png, &info, nullptr);
    return out;
}

} // namespace mf

namespace mf {
namespace {

void writeToString(png_structp png, png_bytep data, png_size_t length) {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), length);
}
void flushNothing(png_structp) {}

} // namespace

std::string encodePalettePng(const cv::Mat& indices, const std::vector<std::array<std::uint8_t, 3>>& palette) {
    if (indices.empty() || indices.type() != CV_8UC1)
        throw std::invalid_argument("encodePalettePng: indices must be a non-empty CV_8UC1 image");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, ignoreWarning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        throw std::runtime_error("out of memory encoding PNG");
    }
    std::string out;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        throw std::runtime_error("cannot encode palette PNG");
    }
    png_set_write_fn(png, &out, writeToString, flushNothing);
    png_set_IHDR(png, info, static_cast<png_uint_32>(indices.cols), static_cast<png_uint_32>(indices.rows), 8, PNG_COLOR_TYPE_PALETTE,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    std::vector<png_color> colours(256, png_color{0, 0, 0});
    for (std::size_t i = 0; i < palette.size() && i < 256; ++i)
        colours[i] = {palette[i][0], palette[i][1], palette[i][2]};
    png_set_PLTE(png, info, colours.data(), 256);
    png_write_info(png, info);
    for (int y = 0; y < indices.rows; ++y)
        png_write_row(png, indices.ptr<png_byte>(y));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

std::vector<std::array<std::uint8_t, 3>> vocColormap() {
    std::vector<std::array<std::uint8_t, 3>> map(256);
    for (int i = 0; i < 256; ++i) {
        int r = 0, g = 0, b = 0, c = i;
        for (int j = 0; j < 8; ++j) {
            r |= ((c >> 0) & 1) << (7 - j);
            g |= ((c >> 1) & 1) << (7 - j);
            b |= ((c >> 2) & 1) << (7 - j);
            c >>= 3;
        }
        map[static_cast<std::size_t>(i)] = {static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(g), static_cast<std::uint8_t>(b)};
    }
    return map;
}

} // namespace mf
