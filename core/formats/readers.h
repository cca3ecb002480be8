#pragma once
#include "formats/annotation.h"

#include <cstdint>
#include <optional>
#include <functional>
#include <string>
#include <vector>

/** Parse-from-memory readers and in-memory writers of the annotation formats MaskForge exchanges.
 *  Readers never touch the disk (the fuzz targets call them on raw bytes): they throw FileError naming
 *  `source` when the whole file is unusable, and push a Problem for each part they skip. */
namespace mf::formats {

// ---- labelme JSON ---------------------------------------------------------------------------------
/** One labelme JSON: polygon, rectangle and circle shapes (other shape types are reported and skipped),
 *  imagePath, imageHeight/imageWidth, and the base64 imageData when embedded. */
ImageAnnotation parseLabelme(const std::string& json, const std::string& source, std::vector<Problem>& problems);
/** A labelme JSON for `mask`: one polygon per connected region of each class (outer boundary only;
 *  holes are lost), 255 as `__ignore__`; `imageBytes` embedded as base64 imageData when given, else null. */
std::string writeLabelme(const cv::Mat& mask, const std::vector<ClassInfo>& classes, const std::string& imagePath,
                         const std::string& imageBytes = {});
std::string encodeBase64(const std::string& bytes);

// ---- COCO instances JSON --------------------------------------------------------------------------
/** COCO instances: per image, each annotation's polygons, uncompressed RLE or compressed RLE string as a
 *  mask, or its bbox when it has no segmentation. Overlap rule: larger annotations (by area; a bbox
 *  without one by its own) are painted first, so a smaller instance on a larger one stays visible. An
 *  image with bboxes only is boxesOnly, as a VOC file. */
std::vector<ImageAnnotation> parseCoco(const std::string& json, const std::string& source, std::vector<Problem>& problems,
                                       std::vector<ClassInfo>* categories = nullptr);
/** The class table a new project takes from a file's own (COCO category ids and names; CVAT's label list
 *  as ids 1, 2, ...): background 0 unless the file names id 0, gaps as class_<k>. std::nullopt when the ids
 *  do not fit 0..254 or repeat a name. */
std::optional<std::vector<ClassInfo>> classTable(const std::vector<ClassInfo>& fromFile);
/** Decodes COCO RLE counts (column-major, starting with zeros) into an h x w 0/1 mask; throws
 *  std::invalid_argument when the counts do not cover h*w exactly. */
cv::Mat decodeRle(const std::vector<std::uint32_t>& counts, int h, int w);
/** COCO RLE counts of a 0/1 (non-zero) mask, column-major. */
std::vector<std::uint32_t> encodeRle(const cv::Mat& binary);
/** pycocotools' compressed string form of RLE counts (LEB128-like, 6 bits a character, deltas). */
std::vector<std::uint32_t> decodeRleString(const std::string& s);
std::string encodeRleString(const std::vector<std::uint32_t>& counts);

/** Calls `f` with each class of `classes` (not background, not 255) present in `mask` and its 0/255
 *  mask: what the COCO and CVAT writers write an image's annotations from. */
void forEachClass(const cv::Mat& mask, const std::vector<ClassInfo>& classes, const std::function<void(const ClassInfo&, const cv::Mat&)>& f);

/** Builds a COCO instances JSON from class-index masks. */
class CocoWriter {
public:
    /** `rle`: one annotation per class per image with a compressed RLE; else one polygon annotation per
     *  4-connected region, along its pixel edges with its holes (regionOutlines). Both give the mask back
     *  exactly by pycocotools. Category ids are class ids; background and 255 are not written. */
    CocoWriter(const std::vector<ClassInfo>& classes, bool rle);
    void addImage(const std::string& fileName, const cv::Mat& mask);
    std::string json() const;
    int annotations() const { return m_annotationId; }

private:
    std::vector<ClassInfo> m_classes;
    bool m_rle;
    std::string m_images, m_annotations;
    int m_imageId = 0, m_annotationId = 0;
};

// ---- Pascal VOC XML boxes -------------------------------------------------------------------------
/** A VOC annotation: `<filename>`, `<size>`, each `<object>`'s `<name>` and `<bndbox>` as a Rectangle
 *  from (xmin - 1, ymin - 1) to (xmax - 1, ymax - 1), both inclusive: the devkit's coordinates are
 *  1-based. Boxes only: boxesOnly is set. */
ImageAnnotation parseVocXml(const std::string& xml, const std::string& source, std::vector<Problem>& problems);

// ---- CVAT for images 1.1 XML ----------------------------------------------------------------------
/** CVAT's `<image>` elements: `<box>` (xtl..xbr), `<polygon>` (points "x,y;x,y"), `<mask>` (CVAT's
 *  RLE over the left/top/width/height box, row-major, starting with zeros). Paint order is z_order,
 *  then file order. */
std::vector<ImageAnnotation> parseCvat(const std::string& xml, const std::string& source, std::vector<Problem>& problems,
                                       std::vector<ClassInfo>* labels = nullptr);
/** CVAT's mask RLE of a 0/1 patch (row-major, starting with zeros) and back. */
std::vector<std::uint32_t> encodeCvatRle(const cv::Mat& binary);
cv::Mat decodeCvatRle(const std::vector<std::uint32_t>& counts, int h, int w);

/** Builds a CVAT for images 1.1 XML: one `<mask>` per class per image (lossless; 255 not written). */
class CvatWriter {
public:
    explicit CvatWriter(const std::vector<ClassInfo>& classes);
    void addImage(const std::string& name, const cv::Mat& mask);
    std::string xml() const;
    int shapes() const { return m_shapes; }

private:
    std::vector<ClassInfo> m_classes;
    std::string m_images;
    int m_imageId = 0, m_shapes = 0;
};

// ---- YOLO ------------------------------------------------------------------------------------------
/** One YOLO label file for an image of `size`: `k cx cy w h` lines are boxes (Rectangles, from the
 *  rounded corners), `k x1 y1 x2 y2 ...` (an odd count > 5 of numbers) YOLO-seg polygons, all
 *  normalised. Class k is names[k] when names are given; else the shape's `index` is k. A line that
 *  does not parse is reported and skipped. boxesOnly when every shape is a box. */
ImageAnnotation parseYolo(const std::string& text, const std::string& source, cv::Size size, const std::vector<std::string>& names,
                          std::vector<Problem>& problems);
/** YOLO-seg lines for `mask`: one polygon per connected region of class c (c >= 1, not 255) as class
 *  c - 1, pixel centres normalised to 6 decimals. */
std::string writeYoloSeg(const cv::Mat& mask);
/** YOLO box lines `k cx cy w h` for `boxes` on an image of `size`, the convention of a project's box files
 *  (ImageEntry::boxes, read back by readYoloBoxes): class c as k = c - 1, each box clipped to the image,
 *  normalised to 6 decimals. Background (0) and ignore (255) boxes and empty ones are not written: YOLO
 *  has no class number for them. */
std::string writeYoloBoxes(const std::vector<DetectionBox>& boxes, cv::Size size);
/** The class names of an Ultralytics data.yaml: `names: [a, b]`, a `- a` list or a `0: a` map (0..n-1)
 *  under `names:`; empty when there are none or the indices are not 0..n-1. */
std::vector<std::string> parseDataYamlNames(const std::string& text);
/** The names of a classes.txt (one a line, blank lines skipped). */
std::vector<std::string> parseNames(const std::string& text);

} // namespace mf::formats
