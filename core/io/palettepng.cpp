#include "io/palettepng.h"

#include "io/errors.h"
#include "io/imageheader.h"

#include <csetjmp>
#include <cstring>
#include <png.h>

namespace mf {
namespace {

struct MemoryReader {
    const std::string* bytes;
    std::size_t offset;
};

void readFromMemory(png_structp png, png_bytep out, png_size_t length) {
    auto* reader = static_cast<MemoryReader*>(png_get_io_ptr(png));
    if (reader->offset + length > reader->bytes->size())
        png_error(png, "truncated PNG data");
    std::memcpy(out, reader->bytes->data() + reader->offset, length);
    reader->offset += length;
}

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
    MemoryReader reader{&bytes, 0};
    cv::Mat out;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, nullptr);
        throw FileError(path, "corrupt palette PNG");
    }
    png_set_read_fn(png, &reader, readFromMemory);
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
