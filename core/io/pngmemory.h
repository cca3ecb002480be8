#pragma once
#include <png.h>

#include <cstring>
#include <string>

namespace mf {

/** PNG bytes in memory for libpng: png_set_read_fn(png, &source, readPngFromMemory). */
struct PngMemorySource {
    const std::string* bytes;
    std::size_t offset;
};

/** libpng's read callback over a PngMemorySource; a png_error when the bytes end first. */
inline void readPngFromMemory(png_structp png, png_bytep out, png_size_t length) {
    auto* src = static_cast<PngMemorySource*>(png_get_io_ptr(png));
    if (src->offset + length > src->bytes->size())
        png_error(png, "the PNG data ends early");
    std::memcpy(out, src->bytes->data() + src->offset, length);
    src->offset += length;
}

} // namespace mf
