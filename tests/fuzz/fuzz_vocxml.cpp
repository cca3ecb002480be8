// libFuzzer target: Pascal VOC XML box reader (pugixml) and rasteriser.
#include "formats/readers.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<mf::Problem> problems;
    try {
        const auto a = mf::formats::parseVocXml(std::string(reinterpret_cast<const char*>(data), size), "fuzz.xml", problems);
        mf::formats::LabelMap labels({{0, "background", {}}}, true);
        mf::formats::rasterize(a, {64, 48}, labels, problems);
    } catch (const mf::FileError&) {
    }
    return 0;
}
