// libFuzzer target: pycocotools' compressed RLE strings, decoded, re-encoded and decoded again.
#include "formats/readers.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const std::string s(reinterpret_cast<const char*>(data), size);
        const auto counts = mf::formats::decodeRleString(s);
        if (mf::formats::decodeRleString(mf::formats::encodeRleString(counts)) != counts)
            std::abort();  // the string form must round-trip
        mf::formats::decodeRle(counts, 16, 16);
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
