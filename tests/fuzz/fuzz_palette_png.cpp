// libFuzzer: the palette PNG reader (libpng, indices never colours) on arbitrary bytes.
#include "io/errors.h"
#include "io/imageheader.h"
#include "io/palettepng.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool limited = (mf::setMaxImagePixels(std::uint64_t{1} << 22), true);
    (void)limited;
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    if (!mf::isPalettePng(bytes))
        return 0;
    try {
        const cv::Mat m = mf::decodePaletteIndices(bytes, "fuzz.png");
        if (m.type() != CV_8UC1)
            __builtin_trap();
    } catch (const mf::FileError&) {
    }
    return 0;
}
