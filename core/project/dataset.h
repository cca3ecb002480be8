#pragma once
#include "project/project.h"

#include <string>
#include <vector>

namespace mf {

/** Options for turning a folder into a project. */
struct ImportOptions {
    int classCount = 0;  ///< 0: infer from the masks (max index + 1, binary masks give 2)
    bool writeProject = true;  ///< write maskforge.json into the folder
};

/** Opens `path` as a dataset whatever its layout: a project folder or maskforge.json, a folder with
 *  `images/` + `masks/`, or seed 002's `images/` + `annotations/` (several images may share one mask:
 *  an image pairs with the mask of the same stem, else with the mask whose stem it starts with; the
 *  mask becomes the group key). Never throws for one bad file: problems are collected and the rest
 *  loads. Throws FileError only when `path` is not a dataset at all. */
Project openDataset(const std::string& path, std::vector<Problem>* problems = nullptr);

/** Imports a plain dataset folder as a project (see openDataset); writes maskforge.json if asked. */
Project importDataset(const std::string& dir, const ImportOptions& options, std::vector<Problem>* problems);

/** Checks every file a dataset names without modifying anything: unreadable images and masks, mask
 *  size different from the image, mask values that are not a known class, images without a mask,
 *  masks without an image, a malformed project file. One Problem per finding. */
std::vector<Problem> validateDataset(const std::string& path);

} // namespace mf
