#pragma once
#include "project/project.h"

#include <cstdint>
#include <string>

namespace mf {

/** Options of the built-in synthetic "pipe wall" project. */
struct SampleOptions {
    std::string outDir;
    std::uint64_t seed = 1;
    int count = 300;
    int size = 256;
    /** Images in every workflow state, for the README walkthrough (sampleStatus()): unlabelled ones
     *  have no mask, coarse ones the box fill as their mask, refined and reviewed ones the true mask;
     *  the true masks of all are kept in `truth/` for scoring. Off: every image reviewed, true masks. */
    bool workflowStates = false;
};

/** The status of image `index` in a sample made with workflowStates: of every ten, one unlabelled,
 *  three coarse, two refined and four reviewed. */
ImageStatus sampleStatus(int index);

/** Generates a deterministic project in `outDir`: textured pipe-wall images with defects of
 *  irregular shape (classes crack, deposit, hole, corrosion), their true masks in `masks/`, the
 *  defects' detection boxes as YOLO txt in `boxes/`, box-filled coarse masks in `coarse/`, and
 *  `maskforge.json` with a stratified train/val/test split. Same seed, same bytes. */
void makeSampleProject(const SampleOptions& options);

/** Class names of the sample project, background first. */
const char* const* sampleClassNames(int* count);

} // namespace mf
