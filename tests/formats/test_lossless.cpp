// Issue 20, items 1, 3, 6 and 7: one pixel convention per format; exports that trace pixel boundaries,
// keep nested regions, say what the format cannot carry (and --strict refuses); status and the output
// folder respected.
#include "formats/formatimport.h"
#include "formats/readers.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "../testutil.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace mf;
using namespace mf::formats;

namespace {

const std::vector<ClassInfo> kClasses = {{0, "background", {}}, {1, "cat", {}}, {2, "dog", {}}};

cv::Mat rasterizeOne(const ImageAnnotation& a, cv::Size size) {
    LabelMap labels(kClasses, false);
    std::vector<Problem> problems;
    const cv::Mat m = rasterize(a, size, labels, problems);
    EXPECT_TRUE(problems.empty());
    return m;
}

cv::Mat cocoPolygon(const std::string& flat, cv::Size size) {
    std::vector<Problem> problems;
    const std::string json = R"({"images":[{"id":1,"file_name":"a.png","width":)" + std::to_string(size.width) + R"(,"height":)" +
                             std::to_string(size.height) + R"(}],"categories":[{"id":1,"name":"cat"}],
        "annotations":[{"id":1,"image_id":1,"category_id":1,"segmentation":[[)" + flat + "]]}]}";
    const auto images = parseCoco(json, "c.json", problems);
    return rasterizeOne(images.at(0), size);
}

/** A project at `root` with one image and `mask` (classes kClasses), status `status`. */
Project projectWith(const fs::path& root, const cv::Mat& mask, ImageStatus status = ImageStatus::Reviewed, const std::string& name = "a") {
    Project p(root.string());
    p.classes() = kClasses;
    fs::create_directories(root / "images");
    fs::create_directories(root / "masks");
    writeImageAtomic((root / "images" / (name + ".png")).string(), cv::Mat(mask.size(), CV_8UC3, cv::Scalar(9, 99, 199)));
    writeMaskAtomic((root / "masks" / (name + ".png")).string(), mask);
    ImageEntry e;
    e.image = "images/" + name + ".png";
    e.mask = "masks/" + name + ".png";
    e.status = status;
    p.images().push_back(e);
    p.save();
    return p;
}

/** The issue's item 1: a class-1 disk (81 px) inside a ring of 255. */
cv::Mat diskInRing() {
    cv::Mat m = cv::Mat::zeros(40, 40, CV_8UC1);
    cv::circle(m, {20, 20}, 12, 255, cv::FILLED);
    m(cv::Rect(16, 16, 9, 9)).setTo(1);
    return m;
}

} // namespace

// Item 3: a COCO polygon [[0,0,20,0,20,15,0,15]] (area 300) was filled as 21x16 = 336 px; 4x3 as 20.
TEST(PixelConvention, CocoPolygonsArePixelCornersAsPycocotoolsFillsThem) {
    EXPECT_EQ(cv::countNonZero(cocoPolygon("0,0,20,0,20,15,0,15", {40, 30})), 300);
    EXPECT_EQ(cv::countNonZero(cocoPolygon("0,0,4,0,4,3,0,3", {40, 30})), 12);
    // A pixel is inside when its centre is: x 0.2..3.7 holds the centres 0.5..3.5, y 0.2..2.7 three rows.
    EXPECT_EQ(cv::countNonZero(cocoPolygon("0.2,0.2,3.7,0.2,3.7,2.7,0.2,2.7", {40, 30})), 12);
    // The same rectangle as a bbox gives the same pixels.
    std::vector<Problem> problems;
    const auto boxed = parseCoco(R"({"images":[{"id":1,"file_name":"a.png","width":40,"height":30}],"categories":[{"id":1,"name":"cat"}],
        "annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[0,0,20,15]}]})", "c.json", problems);
    EXPECT_EQ(cv::countNonZero(rasterizeOne(boxed.at(0), {40, 30}) != cocoPolygon("0,0,20,0,20,15,0,15", {40, 30})), 0);
}

TEST(PixelConvention, CvatPolygonsArePixelCornersToo) {
    std::vector<Problem> problems;
    const auto images = parseCvat(R"(<annotations><image id="0" name="a.png" width="40" height="30">
        <polygon label="cat" points="0,0;4,0;4,3;0,3" z_order="0"/></image></annotations>)", "a.xml", problems);
    EXPECT_EQ(cv::countNonZero(rasterizeOne(images.at(0), {40, 30})), 12);
}

// COCO polygons exported along pixel edges, holes joined in, come back exactly: 1-px lines, single
// pixels, a ring with a hole holding another class, diagonal neighbours.
TEST(PixelConvention, CocoPolygonExportGivesEveryPixelBack) {
    cv::Mat m = cv::Mat::zeros(24, 30, CV_8UC1);
    cv::line(m, {1, 1}, {1, 20}, 1);        // a 1-px crack
    m.at<uchar>(5, 5) = 2;                  // a single pixel
    cv::rectangle(m, {8, 8}, {20, 20}, 1, cv::FILLED);
    m(cv::Rect(11, 11, 6, 6)).setTo(0);     // a hole
    m(cv::Rect(13, 13, 2, 2)).setTo(2);     // another class inside it
    m.at<uchar>(2, 25) = m.at<uchar>(3, 26) = m.at<uchar>(4, 25) = 1;  // diagonal neighbours
    for (const bool rle : {false, true}) {
        CocoWriter w(kClasses, rle);
        w.addImage("a.png", m);
        std::vector<Problem> problems;
        const auto back = parseCoco(w.json(), "c.json", problems);
        EXPECT_EQ(cv::countNonZero(rasterizeOne(back.at(0), m.size()) != m), 0) << (rle ? "rle" : "polygons");
    }
}

// Item 1: labelme export lost a class-1 disk inside a 255 ring (81 px before, 0 after).
TEST(ExportLoss, LabelmeKeepsRegionsInsideOtherRegions) {
    test::TempDir dir;
    const cv::Mat mask = diskInRing();
    const Project p = projectWith(dir / "p", mask);
    ExportRequest e;
    e.format = Format::Labelme;
    e.outDir = dir / "out";
    const ExportReport report = exportProject(p, e);
    EXPECT_TRUE(report.losses.empty());
    ImportRequest r;
    r.format = Format::Labelme;
    r.input = dir / "out";
    r.labelsFile = dir / "out/labels.txt";
    const ImportReport imported = importAnnotations(dir / "q", r);
    ASSERT_EQ(imported.images, 1);
    const Project q = Project::load(dir / "q");
    const cv::Mat back = readMask(q.absolute(q.images()[0].mask), MaskEncoding::Index);
    EXPECT_EQ(cv::countNonZero(back == 1), 81);
    EXPECT_EQ(cv::countNonZero(back != mask), 0);
}

// Item 6: COCO, CVAT and YOLO dropped ignore pixels without a word. Now they are counted before
// writing, exactly as a re-import loses them, and --strict refuses.
TEST(ExportLoss, IgnorePixelsAreAnnouncedWithCountsAndStrictRefuses) {
    test::TempDir dir;
    const cv::Mat mask = diskInRing();
    const int ignore = cv::countNonZero(mask == 255);
    const Project p = projectWith(dir / "p", mask);
    for (const Format f : {Format::Coco, Format::Cvat, Format::Yolo}) {
        ExportRequest e;
        e.format = f;
        e.outDir = dir / ("out-" + toString(f));
        e.strict = true;
        EXPECT_THROW(exportProject(p, e), FileError) << toString(f);
        EXPECT_FALSE(fs::exists(e.outDir)) << toString(f);
        e.strict = false;
        const ExportReport report = exportProject(p, e);
        long long lost = 0;
        for (const ExportLoss& l : report.losses)
            lost += l.pixels;
        ASSERT_FALSE(report.losses.empty()) << toString(f);
        EXPECT_NE(report.losses[0].what.find("ignore"), std::string::npos);
        EXPECT_EQ(lost, ignore) << toString(f);
    }
}

// Item 7: coarse box fills are not exported as segmentations unless asked; an export never mixes with
// the files of an earlier one.
TEST(ExportLoss, CoarseFillsAndNonEmptyFoldersAreRespected) {
    test::TempDir dir;
    Project p = projectWith(dir / "p", diskInRing(), ImageStatus::Coarse);
    ExportRequest e;
    e.format = Format::Png;
    e.outDir = dir / "out";
    ExportReport report = exportProject(p, e);
    EXPECT_EQ(report.images, 0);
    EXPECT_EQ(report.coarseSkipped, 1);
    e.includeCoarse = true;
    EXPECT_THROW(exportProject(p, e), FileError);  // out/ now holds the first export
    e.overwrite = true;
    fs::create_directories(dir.path() / "out/masks");
    writeFileAtomic(dir / "out/masks/stale.png", "old");
    report = exportProject(p, e);
    EXPECT_EQ(report.images, 1);
    EXPECT_FALSE(fs::exists(dir / "out/masks/stale.png"));
    EXPECT_TRUE(fs::exists(dir / "out/masks/a.png"));
    // A folder that is no earlier export is never replaced.
    fs::create_directories(dir.path() / "mine");
    writeFileAtomic(dir / "mine/notes.txt", "mine");
    e.outDir = dir / "mine";
    EXPECT_THROW(exportProject(p, e), FileError);
    EXPECT_TRUE(fs::exists(dir / "mine/notes.txt"));
}

// The closing note of issue 20, "a class beyond the format's limit". No format's class numbering is
// narrower than the project's (ids 0..254, see docs/formats.md); what a format cannot carry is a mask
// value the project's class table does not name (a stale 7 in a three-class project): the PNG and VOC
// masks keep the byte, but no exported class table names it and a re-import makes it ignore (PNG, VOC)
// or drops it (labelme, COCO, CVAT, YOLO). Every export says so with counts before writing, and
// --strict refuses.
TEST(ExportLoss, ValuesNoClassNamesAreAnnouncedInEveryFormatAndStrictRefuses) {
    test::TempDir dir;
    cv::Mat mask = cv::Mat::zeros(30, 30, CV_8UC1);
    mask(cv::Rect(2, 2, 8, 8)).setTo(1);
    mask(cv::Rect(12, 2, 6, 5)).setTo(7);   // 30 px of a value with no class
    mask(cv::Rect(20, 20, 4, 4)).setTo(2);
    const Project p = projectWith(dir / "p", mask);
    for (const Format f : {Format::Png, Format::Voc, Format::Labelme, Format::Coco, Format::Cvat, Format::Yolo}) {
        ExportRequest e;
        e.format = f;
        e.outDir = dir / ("out-" + toString(f));
        e.strict = true;
        try {
            exportProject(p, e);
            ADD_FAILURE() << toString(f) << ": --strict exported a value no class names";
        } catch (const FileError& err) {
            EXPECT_NE(std::string(err.what()).find("no class"), std::string::npos) << err.what();
        }
        EXPECT_FALSE(fs::exists(e.outDir)) << toString(f);
        e.strict = false;
        const ExportReport report = exportProject(p, e);
        ASSERT_EQ(report.losses.size(), 1u) << toString(f);
        EXPECT_NE(report.losses[0].what.find("no class"), std::string::npos) << report.losses[0].what;
        EXPECT_NE(report.losses[0].what.find("7"), std::string::npos) << report.losses[0].what;
        EXPECT_EQ(report.losses[0].pixels, 30) << toString(f);
        EXPECT_EQ(report.losses[0].images, 1) << toString(f);
    }
}

// The import side of the same limit: a file naming more classes than a project's 8-bit masks can number
// (LVIS has 1203 categories) is imported up to the 254th class; each shape beyond is a problem saying
// why, never "unknown class".
TEST(ImportLimit, ClassesBeyondTheProjectsLimitAreSkippedWithTheReason) {
    test::TempDir dir;
    fs::create_directories(dir.path() / "in");
    writeImageAtomic(dir / "in/a.png", cv::Mat(20, 20, CV_8UC3, cv::Scalar(1, 2, 3)));
    std::string categories, annotations;
    for (int k = 1; k <= 300; ++k) {
        categories += (k > 1 ? "," : "") + std::string(R"({"id":)") + std::to_string(1000 + k) + R"(,"name":"c)" + std::to_string(k) + "\"}";
        annotations += (k > 1 ? "," : "") + std::string(R"({"id":)") + std::to_string(k) + R"(,"image_id":1,"category_id":)" +
                       std::to_string(1000 + k) + R"(,"bbox":[0,0,1,1],"iscrowd":0})";
    }
    writeFileAtomic(dir / "in/c.json", R"({"images":[{"id":1,"file_name":"a.png","width":20,"height":20}],"categories":[)" + categories +
                                           R"(],"annotations":[)" + annotations + "]}");
    ImportRequest r;
    r.format = Format::Coco;
    r.input = dir / "in/c.json";
    const ImportReport report = importAnnotations(dir / "p", r);
    const Project p = Project::load(dir / "p");
    EXPECT_EQ(p.classCount(), 255);
    int beyond = 0;
    for (const Problem& pr : report.problems) {
        EXPECT_EQ(pr.message.find("unknown class"), std::string::npos) << pr.message;
        beyond += pr.message.find("255 classes") != std::string::npos;
    }
    EXPECT_EQ(beyond, 300 - 254);
}
