#pragma once
// A synthetic project for the refinement pass (core and GUI tests): two classes whose best refinement is
// known. Class 1 ("crack"): a thin dark line across a wide box on a noisy grey tile; its box fill scores
// about 0.25 against the line, and the learning-free contrast finds the line (a method clearly better
// than the boxes). Class 2 ("patch"): a region that fills its box exactly, half of it dark; the true mask
// is the whole box, so every method that cuts the box scores below the boxes (the boxes must be kept).
// Images 0..reviewed-1 are reviewed with their true masks and keep their coarse masks (evidence); the
// rest are coarse. Box files: none (the boxes are recovered from the coarse fills, as for VOC imports).
#include "io/imageio.h"
#include "project/project.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <string>

namespace mf::test {

inline const cv::Rect kCrackBox(10, 14, 56, 14);
inline const cv::Rect kPatchBox(20, 52, 40, 28);

/** The true mask of sample image `i`. */
inline cv::Mat autoSampleTruth(int i) {
    cv::Mat t = cv::Mat::zeros(96, 96, CV_8UC1);
    const int y = kCrackBox.y + 5 + i % 4;  // the line's row moves a little between images
    t(cv::Rect(kCrackBox.x, y, kCrackBox.width, 3)).setTo(1);
    t(kPatchBox).setTo(2);
    return t;
}

inline cv::Mat autoSampleImage(int i) {
    cv::Mat grey(96, 96, CV_8UC1);
    cv::RNG rng(100 + static_cast<unsigned>(i));
    rng.fill(grey, cv::RNG::NORMAL, 150, 8);
    const cv::Mat truth = autoSampleTruth(i);
    grey.setTo(60, truth == 1);  // the crack: distinctly darker than the tile
    // The patch: its left half dark, its right half as the tile (the box is the object all the same).
    grey(cv::Rect(kPatchBox.x, kPatchBox.y, kPatchBox.width / 2, kPatchBox.height)).setTo(70);
    cv::Mat rgb;
    cv::cvtColor(grey, rgb, cv::COLOR_GRAY2RGB);
    return rgb;
}

inline cv::Mat autoSampleCoarse() {
    cv::Mat c = cv::Mat::zeros(96, 96, CV_8UC1);
    c(kCrackBox).setTo(1);
    c(kPatchBox).setTo(2);
    return c;
}

/** Writes the project to `dir` (created) and returns it: `count` images, the first `reviewed` reviewed. */
inline std::string makeAutoRefinementProject(const std::string& dir, int count, int reviewed) {
    namespace fs = std::filesystem;
    fs::remove_all(dir);
    for (const char* sub : {"images", "coarse", "masks"})
        fs::create_directories(fs::path(dir) / sub);
    Project p(dir);
    p.setName("auto-sample");
    p.classes() = defaultClasses(3);
    p.classes()[1].name = "crack";
    p.classes()[2].name = "patch";
    for (int i = 0; i < count; ++i) {
        const std::string file = "tile" + std::to_string(10 + i) + ".png";
        writeImageAtomic(dir + "/images/" + file, autoSampleImage(i));
        writeMaskAtomic(dir + "/coarse/" + file, autoSampleCoarse());
        ImageEntry e;
        e.image = "images/" + file;
        e.coarse = "coarse/" + file;
        if (i < reviewed) {
            writeMaskAtomic(dir + "/masks/" + file, autoSampleTruth(i));
            e.mask = "masks/" + file;
            e.status = ImageStatus::Reviewed;
        } else {
            e.mask = e.coarse;
            e.status = ImageStatus::Coarse;
        }
        p.images().push_back(e);
    }
    p.save();
    return dir;
}

} // namespace mf::test
