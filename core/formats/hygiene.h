#pragma once
#include "project/project.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

/** Dataset hygiene: near-duplicate images, class statistics, dropping and merging classes. */
namespace mf::formats {

/** A 64-bit perceptual hash (pHash): the image in grey, shrunk to 32x32, its 2-D DCT, and the signs of
 *  the 8x8 lowest frequencies (without the DC term) against their median. Robust to rescaling, JPEG
 *  re-encoding and small brightness changes. */
std::uint64_t perceptualHash(const cv::Mat& rgbOrGrey);
int hammingDistance(std::uint64_t a, std::uint64_t b);

/** Images whose hashes lie within `threshold` bits of each other (linked transitively). */
struct DuplicateGroup {
    std::vector<std::size_t> images;  ///< indices into project.images(), in project order
    int maxDistance = 0;              ///< the largest distance of a link in the group
};
std::vector<DuplicateGroup> findDuplicates(const Project& project, int threshold, std::vector<Problem>& problems);
/** Removes all but the first image of each group from `project` (in memory; files are never deleted);
 *  returns the removed entries' image paths. */
std::vector<std::string> dropDuplicates(Project& project, const std::vector<DuplicateGroup>& groups);

/** Per class: how many images hold it, its pixels, and its boxes (connected regions of the coarse
 *  masks, or of the masks for images without one) with their sizes. */
struct ClassStats {
    int id = 0;
    std::string name;
    int images = 0;
    long long pixels = 0;
    int boxes = 0;
    double meanBoxWidth = 0, meanBoxHeight = 0;
    int minBoxArea = 0, maxBoxArea = 0;
};
std::vector<ClassStats> classStatistics(const Project& project, std::vector<Problem>& problems);

/** A class change: drop `from` (its pixels become background) or merge it into `into`. */
struct ClassChange {
    std::string from;
    std::string into;  ///< empty: drop
};
/** Applies the changes to every mask, coarse mask and box file (YOLO class numbers; boxes of a dropped
 *  class removed) of the project and renumbers the remaining classes consecutively (order kept); 255
 *  stays 255. All files are read and remapped in memory first (any unreadable one aborts with nothing
 *  changed), then written beside their targets, then renamed over them keeping the old ones until
 *  maskforge.json is saved: a failure at any step puts every file back. Returns the number of files
 *  rewritten. Throws FileError for an unknown class name. */
int changeClasses(Project& project, const std::vector<ClassChange>& changes);

} // namespace mf::formats
