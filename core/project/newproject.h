#pragma once
#include "project/project.h"

#include <string>
#include <vector>

namespace mf {

/** What createProjectFromImages did. */
struct NewProjectReport {
    int images = 0;              ///< images the project lists
    int linked = 0;              ///< of those, hard-linked into images/ (the rest copied)
    std::vector<Problem> skipped;  ///< files that look like images but could not be taken
};

/** File > New project from a folder of images: a project at `projectDir` listing every image of
 *  `imagesDir` (its files, or its images/ subfolder when it has one), all unlabelled, with the
 *  classes `classNames` after background (at least one; names trimmed, blank ones skipped, repeated
 *  ones refused). When `projectDir` is the images' folder (or its parent) they stay where they are;
 *  otherwise `projectDir` must be new or empty and they are hard-linked into its images/ (copied where
 *  a link cannot be made). maskforge.json is written last, so a failure leaves no project behind.
 *  Throws FileError naming the folder and the problem (already a project, no images, not empty,
 *  no class named). */
Project createProjectFromImages(const std::string& projectDir, const std::string& imagesDir,
                                const std::vector<std::string>& classNames, NewProjectReport* report = nullptr);

} // namespace mf
