#pragma once
#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace mf {

/** How clickbench reads a data folder. The layout: `images/<stem>.<ext>` and `masks/<stem>.png` (index
 *  masks: 0 background, 255 ignore, other values object), optionally `split.txt` (`<stem> <split>`
 *  lines). */
struct ClickDataOptions {
    /** Only the stems of this split in split.txt (empty: every image; a split named without a
     *  split.txt is an error). */
    std::string split;
    /** false: every object pixel of a mask is one object (the GrabCut set). true: one object per
     *  connected region after a 5-px closing, as the data set's boxes are drawn (magnetic-tile); the
     *  other objects' pixels count as background. */
    bool components = false;
    /** Read at most this many images (0: all), in name order. */
    int limit = 0;
};

/** One object to segment: its truth (CV_8UC1: 0 background, 1 object, 255 ignore). */
struct ClickObject {
    std::string id;  ///< <stem> or <stem>#<k>
    cv::Mat truth;
    int classId = 1;  ///< the mask's value under the object (the most frequent one): what a person labelling it picks
};

/** An image and its objects. */
struct ClickSample {
    std::string imagePath;
    cv::Mat image;  ///< RGB CV_8UC3
    std::vector<ClickObject> objects;
};

/** Reads the folder. Throws FileError naming the file for: a missing images/ or masks/ folder, no image
 *  in it, an image without its mask, a mask whose size differs from its image's, an unreadable file,
 *  a split.txt line that is malformed, or a split that selects nothing. */
std::vector<ClickSample> loadClickData(const std::string& dir, const ClickDataOptions& options);

/** The objects of one mask (see ClickDataOptions::components). */
std::vector<ClickObject> maskObjects(const cv::Mat& mask, const std::string& stem, bool components);

} // namespace mf
