#pragma once
#include "project/project.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mf {

/** Options for turning a folder into a project. */
struct ImportOptions {
    int classCount = 0;  ///< 0: infer from the masks (max index + 1, binary masks give 2)
    bool writeProject = true;  ///< write maskforge.json into the folder
    bool overwrite = false;    ///< with writeProject: replace an existing maskforge.json (else refused)
    /** The dataset's mask encoding; unset: decided once from all its masks (see decideMaskEncoding),
     *  and said in the project's loadWarnings(). */
    std::optional<MaskEncoding> maskEncoding;
};

/** The image files (by extension) directly in `dir`, sorted; none when it is no folder or unreadable. */
std::vector<std::filesystem::path> imageFilesIn(const std::filesystem::path& dir);

/** Opens `path` as a dataset whatever its layout: a project folder or maskforge.json, a folder with
 *  `images/` + `masks/`, or seed 002's `images/` + `annotations/` (several images may share one mask:
 *  an image pairs with the mask of the same stem, else with the mask whose stem it starts with; the
 *  mask becomes the group key). Never throws for one bad file: problems are collected and the rest
 *  loads. Throws FileError only when `path` is not a dataset at all. */
Project openDataset(const std::string& path, std::vector<Problem>* problems = nullptr);

/** Imports a plain dataset folder as a project (see openDataset); writes maskforge.json if asked. */
Project importDataset(const std::string& dir, const ImportOptions& options, std::vector<Problem>* problems);

/** The per-file checks of validateDataset on a project already in memory (nothing is read twice
 *  from its project file, nothing written). */
std::vector<Problem> validateProject(const Project& project);

/** Removes what writers killed mid-write left behind (see removeStaleTempFiles) in the folders a project
 *  writes to: its root, the folders of its masks and coarse masks, .maskforge/autosave. Call it when
 *  the project is opened for editing (never from validation, which changes nothing). Returns the paths. */
std::vector<std::string> cleanStaleTempFiles(const Project& project);

/** Checks every file a dataset names without modifying anything: unreadable images and masks, mask
 *  size different from the image, mask values that are not a known class, images without a mask,
 *  masks without an image, a malformed project file. One Problem per finding. `notes` (if given) gets
 *  what is not a problem but worth saying: the mask encoding and how it was decided. */
std::vector<Problem> validateDataset(const std::string& path, std::vector<Problem>* notes = nullptr);

} // namespace mf
