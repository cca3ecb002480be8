// libFuzzer target: COCO instances JSON reader (polygons, RLE lists and strings, boxes) and rasteriser.
#include "formats/readers.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<mf::Problem> problems;
    try {
        const auto images = mf::formats::parseCoco(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json", problems);
        mf::formats::LabelMap labels({{0, "background", {}}}, true);
        for (const auto& a : images)
            mf::formats::rasterize(a, a.size.empty() || a.size.area() > (1 << 22) ? cv::Size(64, 48) : a.size, labels, problems);
    } catch (const mf::FileError&) {
    }
    return 0;
}
