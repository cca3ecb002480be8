// libFuzzer target: CVAT for images 1.1 XML reader (boxes, polygons, mask RLE) and rasteriser.
#include "formats/readers.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<mf::Problem> problems;
    try {
        const auto images = mf::formats::parseCvat(std::string(reinterpret_cast<const char*>(data), size), "fuzz.xml", problems);
        mf::formats::LabelMap labels({{0, "background", {}}}, true);
        for (const auto& a : images)
            mf::formats::rasterize(a, {64, 48}, labels, problems);
    } catch (const mf::FileError&) {
    }
    return 0;
}
