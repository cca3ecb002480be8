#pragma once
#include "io/errors.h"
#include "project/project.h"

#include <opencv2/core.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mf {

/** One detection box in pixel coordinates with its project class. */
struct DetectionBox {
    int classId = 0;
    cv::Rect rect;
};

} // namespace mf

namespace mf::formats {

/** One annotated region as a file states it, before classes are mapped: a polygon, a rectangle
 *  (two corners), a circle (centre, point on the rim) or a binary mask placed at `maskBox`. */
struct Shape {
    enum class Kind { Polygon, Rectangle, Circle, Mask };
    Kind kind = Kind::Polygon;
    std::string label;                ///< class name, or the class number as text (YOLO without names)
    std::vector<cv::Point2d> points;  ///< pixel coordinates in the format's convention (see `corners`)
    cv::Mat mask;                     ///< Kind::Mask: CV_8UC1, non-zero = inside, placed at maskBox.tl()
    cv::Rect maskBox;
    int order = 0;  ///< paint order: lower first, so higher orders win overlaps (see rasterize)
    int index = -1; ///< YOLO class number when `label` is empty (no class names known)
    /** Polygon in pixel-corner coordinates (COCO, CVAT: pixel x spans [x, x+1), filled as pycocotools'
     *  rleFrPoly does); else labelme's convention (vertices on pixel indices, filled as PIL draws). */
    bool corners = false;
};

/** The annotations of one image read from a file: where the image is and what lies on it. */
struct ImageAnnotation {
    std::string source;     ///< the annotation file it came from (for problem reports)
    std::string imagePath;  ///< the image as the file names it (relative to the annotation file's folder)
    cv::Size size;          ///< image size as stated by the file; empty when the file does not say
    std::vector<Shape> shapes;
    std::string imageData;  ///< the image's bytes when the file embeds them (labelme imageData)
    bool boxesOnly = false; ///< all shapes are detection boxes (YOLO/VOC): the mask is a coarse mask
};

/** Maps class names of annotation files to project class ids. Built from a labels file
 *  (labelme's labels.txt convention) or from the project's classes; names it does not know are
 *  added as new classes when `addMissing`, else reported and their shapes skipped. */
class LabelMap {
public:
    static constexpr int kIgnore = 255;
    /** Starts from the project's classes (id order). */
    explicit LabelMap(std::vector<ClassInfo> classes, bool addMissing = true);
    /** Reads labelme's labels.txt convention: one name a line; a first `__ignore__` line is the
     *  ignore label (255), the next line is class 0. Throws FileError. */
    static LabelMap fromLabelsText(const std::string& text, const std::string& file, bool addMissing = false);

    /** The class id of `name` (adding it when allowed); std::nullopt when unknown. `__ignore__` is 255;
     *  `_background_` and `background` are 0. */
    std::optional<int> classOf(const std::string& name);
    /** The id for a numbered class (YOLO `k`): the k-th non-background name when names are known,
     *  else a class named after the number. */
    std::optional<int> classOfIndex(int k, const std::vector<std::string>& names);

    const std::vector<ClassInfo>& classes() const { return m_classes; }
    /** Names added since construction, in order. */
    const std::vector<std::string>& added() const { return m_added; }
    bool addMissing() const { return m_addMissing; }

private:
    std::vector<ClassInfo> m_classes;
    std::vector<std::string> m_added;
    bool m_addMissing;
};

/** Rasterises `shapes` into a class-index mask of `size` (background 0) by `labels`. Shapes are painted
 *  in ascending `order`, ties in file order, later over earlier (labelme's rule). Shapes whose label
 *  is unknown, or lying wholly outside the image, are skipped with a Problem naming `source`.
 *  `boxes`, when given, receives each Rectangle painted, in file order: the pixels it covers, clipped to
 *  the image, and its class. */
cv::Mat rasterize(const ImageAnnotation& annotation, cv::Size size, LabelMap& labels, std::vector<Problem>& problems,
                  std::vector<DetectionBox>* boxes = nullptr);

/** Fills a polygon the way labelme's masks are made (PIL ImageDraw.polygon, fill and outline 1): vertices
 *  truncated towards zero, every row from the top to the bottom vertex scanned, the span between
 *  crossings filled from the rounded-up left to the rounded-down right crossing, horizontal edges drawn. */
void fillPolygonPil(cv::Mat& mask, const std::vector<cv::Point2d>& points, int value);
/** Fills a polygon in pixel-corner coordinates exactly as pycocotools' rleFrPoly rasterises COCO
 *  polygons (and CVAT, through it, its own): the boundary upsampled 5x, each column's crossings taken at
 *  the pixel centre, the pixels between them filled (a pixel is inside when its centre is). */
/** Returns false, filling nothing, for a boundary too long to walk (over 2^26 points: a hostile file). */
bool fillPolygonCoco(cv::Mat& mask, const std::vector<cv::Point2d>& points, int value);
/** The boundary of each 4-connected region of `binary` (non-zero) along pixel edges, in pixel-corner
 *  coordinates, joined into one closed polygon per region that holds its holes: the rings linked by
 *  zero-width there-and-back cuts. fillPolygonCoco of it gives back exactly the region's pixels, holes,
 *  1-px lines and single pixels included. Regions in order of their first pixel (row-major). */
std::vector<std::vector<cv::Point>> regionOutlines(const cv::Mat& binary);
/** PIL ImageDraw.rectangle with fill: corners truncated, both inclusive. */
void fillRectanglePil(cv::Mat& mask, cv::Point2d a, cv::Point2d b, int value);
/** The pixels fillRectanglePil fills for corners `a` and `b` (before clipping to a mask). */
cv::Rect rectanglePil(cv::Point2d a, cv::Point2d b);
/** A filled circle as labelme makes it (PIL ellipse over centre ± radius): the pixels whose centre lies
 *  within the radius. */
void fillCirclePil(cv::Mat& mask, cv::Point2d centre, cv::Point2d rim, int value);

/** One region of a mask as a polygon through its boundary pixels (labelme's and YOLO-seg's convention). */
struct PaintedRegion {
    int value = 0;                  ///< the mask value: a class, 0 (a hole's background) or 255
    std::vector<cv::Point> polygon;  ///< outer boundary pixels (8-connected region), closed, >= 3 points
};
/** The regions of a class-index mask as polygons in an order that, painted one over the other as
 *  labelme and YOLO-seg readers do (fillPolygonPil), gives the mask back: a region before every region
 *  its filled outline covers (an enclosing region before what lies in its holes), and background
 *  regions that some outline covers as value 0 (holes). Values in `skip` (e.g. 255, or 0 for a format
 *  without a background class) are left out; what that loses is measured by painting the result back. */
std::vector<PaintedRegion> paintOrder(const cv::Mat& mask, const std::vector<int>& skip);
/** Paints `regions` in order with fillPolygonPil onto a zero mask of `size`. */
cv::Mat paintRegions(const std::vector<PaintedRegion>& regions, cv::Size size);

/** `v` towards zero as an int, clamped to +-1e9 (NaN gives 0): never undefined for hostile numbers. */
int toIntClamped(double v);

/** Lower-case file extension with the dot (".png"). */
std::string lowerExtension(const std::string& path);

} // namespace mf::formats
