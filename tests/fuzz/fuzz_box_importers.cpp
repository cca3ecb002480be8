// libFuzzer: the detection box readers (YOLO txt, Pascal VOC XML, COCO JSON), one per build
// (MF_FUZZ_YOLO / MF_FUZZ_VOC / MF_FUZZ_COCO). They read files: each input is written to a private
// temporary file first. Every box returned must lie inside the image for YOLO.
#include "edit/boximport.h"
#include "io/errors.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

std::string inputFile(const std::uint8_t* data, std::size_t size, const char* ext) {
    static const std::string path = "/tmp/mf-fuzz-" + std::to_string(::getpid()) + ext;
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                  static_cast<std::streamsize>(size));
    return path;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<mf::ClassInfo> classes = mf::defaultClasses(3);
    try {
#if defined(MF_FUZZ_YOLO)
        const cv::Size image(640, 480);
        for (const auto& b : mf::readYoloBoxes(inputFile(data, size, ".txt"), image))
            if ((b.rect & cv::Rect(0, 0, image.width, image.height)) != b.rect)
                __builtin_trap();
#elif defined(MF_FUZZ_VOC)
        mf::readVocBoxes(inputFile(data, size, ".xml"), classes, size % 2 == 0);
#elif defined(MF_FUZZ_COCO)
        mf::readCocoBoxes(inputFile(data, size, ".json"), classes, size % 2 == 0);
#endif
    } catch (const mf::FileError&) {
    }
    return 0;
}
