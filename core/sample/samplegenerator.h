#pragma once
#include <cstdint>
#include <string>

namespace mf {

/** Options of the built-in synthetic "pipe wall" project. */
struct SampleOptions {
    std::string outDir;
    std::uint64_t seed = 1;
    int count = 300;
    int size = 256;
};

/** Generates a deterministic project in `outDir`: textured pipe-wall images with defects of
 *  irregular shape (classes crack, deposit, hole, corrosion), their true masks in `masks/`, the
 *  defects' detection boxes as YOLO txt in `boxes/`, box-filled coarse masks in `coarse/`, and
 *  `maskforge.json` with a stratified train/val/test split. Same seed, same bytes. */
void makeSampleProject(const SampleOptions& options);

/** Class names of the sample project, background first. */
const char* const* sampleClassNames(int* count);

} // namespace mf
