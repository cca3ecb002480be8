// libFuzzer: the image and mask readers (PNG/JPEG/any format OpenCV reads, palette PNGs, the header
// check) on arbitrary bytes. A FileError is the expected answer to bad bytes; anything else is a bug.
#include "io/errors.h"
#include "io/imageheader.h"
#include "io/imageio.h"

#include <opencv2/core/utils/logger.hpp>

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool limited = (mf::setMaxImagePixels(std::uint64_t{1} << 22),  // stay inside the RSS limit
                                 cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT), true);
    (void)limited;
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        mf::checkImageBytes(bytes, "fuzz.png");
    } catch (const mf::FileError&) {
    }
    try {
        const cv::Mat rgb = mf::decodeImageRgb(bytes, "fuzz.png");
        if (rgb.type() != CV_8UC3)
            __builtin_trap();
    } catch (const mf::FileError&) {
    }
    for (auto encoding : {mf::MaskEncoding::Index, mf::MaskEncoding::Binary255}) {
        try {
            const cv::Mat mask = mf::decodeMask(bytes, "fuzz.png", encoding);
            if (mask.type() != CV_8UC1)
                __builtin_trap();
        } catch (const mf::FileError&) {
        }
    }
    return 0;
}
