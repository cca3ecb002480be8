#pragma once
#include "formats/annotation.h"
#include "io/errors.h"
#include "project/project.h"

#include <opencv2/core.hpp>

#include <map>
#include <string>
#include <vector>

namespace mf {

/** Reads a YOLO txt file (`k cx cy w h`, normalised) for an image of `size`; class k becomes project
 *  class k + classOffset (the sample's convention: offset 1, background is 0). Throws FileError. */
std::vector<DetectionBox> readYoloBoxes(const std::string& path, cv::Size size, int classOffset = 1);

/** Reads a Pascal VOC XML file: `<object><name>` matched against `classes` by name, `<bndbox>`
 *  xmin..xmax inclusive, 1-based as the devkit writes them. Unknown names are appended to `classes` when `addMissing`, else a FileError.
 *  `filename` (if given) receives the XML's `<filename>`. */
std::vector<DetectionBox> readVocBoxes(const std::string& path, std::vector<ClassInfo>& classes, bool addMissing,
                                       std::string* filename = nullptr);

/** Reads a COCO JSON's `bbox` [x, y, w, h] annotations, keyed by each image's file stem; categories
 *  are matched by name as in readVocBoxes. */
std::map<std::string, std::vector<DetectionBox>> readCocoBoxes(const std::string& path, std::vector<ClassInfo>& classes,
                                                               bool addMissing);

/** The coarse mask of `boxes`: each box filled with its class, larger boxes first so that a small
 *  box inside a large one stays visible. */
cv::Mat coarseMaskFromBoxes(cv::Size size, const std::vector<DetectionBox>& boxes);

/** Boxes recovered from a coarse (box-filled) mask: the bounding rectangle of each connected region
 *  of each class. Overlapping boxes of one class merge into one. */
std::vector<DetectionBox> boxesFromMask(const cv::Mat& coarse);

/** The detection boxes behind a coarse mask: the YOLO box file `boxesFile` (absolute) when it is one
 *  (every box import writes one, see importBoxes), else boxesFromMask of `coarse` (a project made before
 *  box files were kept, or coarse masks from elsewhere). The box file's boxes are placed on `coarse`'s
 *  size, or on `imageSize` when the image has no coarse mask (boxes but no mask yet). */
std::vector<DetectionBox> imageBoxes(const std::string& boxesFile, const cv::Mat& coarse, cv::Size imageSize = {});
/** imageBoxes of a project image (its `boxes` entry). */
std::vector<DetectionBox> imageBoxes(const Project& project, const ImageEntry& entry, const cv::Mat& coarse,
                                     cv::Size imageSize = {});

/** What importBoxes did. */
struct BoxImportReport {
    int images = 0;  ///< images that received a coarse mask
    int boxes = 0;   ///< boxes (or other shapes) painted
    std::vector<std::string> addedClasses;  ///< box classes the project did not have, added as new classes
    std::vector<Problem> problems;  ///< per file: skipped lines and shapes and why, images not found
};

/** Imports detection boxes into `project` from a YOLO folder or file (classes by the folder's
 *  classes.txt, else YOLO class k is project class k+1), a VOC XML folder (classes by name) or a COCO
 *  JSON, through formats::importInto: files pair with images by file stem, coarse/, masks/ and boxes/ are
 *  made when missing, each coarse mask goes to `coarse/<stem>.png` and, for an image with no mask or an
 *  unlabelled or coarse one, to `masks/<stem>.png` (status Coarse); the boxes themselves go to the
 *  image's box file (`boxes/<stem>.txt`, YOLO, project class c as c - 1), which imageBoxes reads. A box class the project lacks is
 *  added (reported in addedClasses) unless `addMissingClasses` is false, then its boxes are skipped and
 *  reported: no value that is not a class is ever written. Saves nothing else: call project.save()
 *  after it returns (the masks then exist). */
BoxImportReport importBoxes(Project& project, const std::string& path, bool addMissingClasses = true);

} // namespace mf
