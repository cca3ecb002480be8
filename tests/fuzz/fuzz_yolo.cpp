// libFuzzer target: YOLO box / YOLO-seg reader, with and without class names, and the rasteriser.
#include "formats/readers.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<mf::Problem> problems;
    const std::string text(reinterpret_cast<const char*>(data), size);
    mf::formats::LabelMap labels({{0, "background", {}}}, true);
    const auto a = mf::formats::parseYolo(text, "fuzz.txt", {64, 48}, {}, problems);
    mf::formats::rasterize(a, {64, 48}, labels, problems);
    const auto b = mf::formats::parseYolo(text, "fuzz.txt", {64, 48}, {"a", "b"}, problems);
    mf::formats::rasterize(b, {64, 48}, labels, problems);
    return 0;
}
