#include "edit/boximport.h"

#include "formats/formatimport.h"
#include "formats/readers.h"
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "sample/samplegenerator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;
using namespace mf;

namespace {
fs::path tempDir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("mf_edit_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}
} // namespace

TEST(BoxImport, YoloBoxesMapClassKToKPlusOne) {
    const fs::path d = tempDir("yolo");
    writeFileAtomic((d / "a.txt").string(), "0 0.5 0.5 0.5 0.25\n\n2 0.1 0.1 0.2 0.2\n");
    auto boxes = readYoloBoxes((d / "a.txt").string(), {100, 200}, 1);
    ASSERT_EQ(boxes.size(), 2u);
    EXPECT_EQ(boxes[0].classId, 1);
    EXPECT_EQ(boxes[0].rect, cv::Rect(25, 75, 50, 50));
    EXPECT_EQ(boxes[1].classId, 3);
    writeFileAtomic((d / "bad.txt").string(), "0 0.5 zebra\n");
    EXPECT_THROW(readYoloBoxes((d / "bad.txt").string(), {10, 10}), FileError);
}

TEST(BoxImport, NeuDetVocXmlsReadByName) {
    const fs::path dir = fs::path(MF_SHARED_DIR) / "datasets/neu-det-subset/annotations";
    if (!fs::exists(dir))
        GTEST_SKIP() << "NEU-DET subset not present";
    std::vector<ClassInfo> classes = defaultClasses(1);
    int files = 0, boxes = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        std::string filename;
        for (const DetectionBox& b : readVocBoxes(e.path().string(), classes, true, &filename)) {
            EXPECT_GE(b.classId, 1);
            EXPECT_TRUE(cv::Rect(0, 0, 201, 201).contains(b.rect.br() - cv::Point(1, 1)));
            ++boxes;
        }
        ++files;
    }
    EXPECT_EQ(files, 120);
    EXPECT_EQ(boxes, 262);
    EXPECT_EQ(classes.size(), 7u);  // background + 6 defect classes
    std::vector<ClassInfo> fixed = defaultClasses(1);
    EXPECT_THROW(readVocBoxes((dir / "crazing_1.xml").string(), fixed, false), FileError);
}

TEST(BoxImport, CocoBoxesAndCoarseMaskPutsSmallBoxesOnTop) {
    const fs::path d = tempDir("coco");
    writeFileAtomic((d / "c.json").string(), R"({"images":[{"id":7,"file_name":"x/img1.jpg"}],
      "categories":[{"id":3,"name":"hole"},{"id":4,"name":"crack"}],
      "annotations":[{"image_id":7,"category_id":4,"bbox":[0,0,40,40]},{"image_id":7,"category_id":3,"bbox":[10,10,5,5]}]})");
    std::vector<ClassInfo> classes = defaultClasses(1);
    classes.push_back({1, "crack", {1, 2, 3}});
    auto all = readCocoBoxes((d / "c.json").string(), classes, true);
    ASSERT_EQ(all.count("img1"), 1u);
    EXPECT_EQ(all["img1"][0].classId, 1);
    EXPECT_EQ(all["img1"][1].classId, 2);  // "hole" was added
    cv::Mat m = coarseMaskFromBoxes({50, 50}, all["img1"]);
    EXPECT_EQ(m.at<uchar>(12, 12), 2);
    EXPECT_EQ(m.at<uchar>(30, 30), 1);
    EXPECT_EQ(m.at<uchar>(45, 45), 0);
}

TEST(BoxImport, ImportIntoProjectWritesCoarseMasks) {
    const fs::path d = tempDir("proj");
    makeSampleProject({(d / "s").string(), 3, 4, 64});
    Project p = Project::load((d / "s").string());
    for (ImageEntry& e : p.images()) {
        e.mask.clear();
        e.status = ImageStatus::Unlabelled;
    }
    BoxImportReport r = importBoxes(p, (d / "s/boxes").string());
    EXPECT_EQ(r.images, 4);
    EXPECT_TRUE(r.problems.empty());
    for (const ImageEntry& e : p.images()) {
        EXPECT_EQ(e.status, ImageStatus::Coarse);
        const cv::Mat mine = readMask(p.absolute(e.mask), MaskEncoding::Index);
        const cv::Mat generated = readMask((d / "s/coarse" / fs::path(e.image).filename()).string(), MaskEncoding::Index);
        EXPECT_EQ(cv::countNonZero(mine != generated), 0) << e.image;
    }
}

TEST(BoxImport, BoxesFromMaskRecoversBoxFills) {
    const std::vector<DetectionBox> boxes = {{2, {5, 5, 10, 8}}, {1, {30, 2, 4, 4}}};
    const std::vector<DetectionBox> back = boxesFromMask(coarseMaskFromBoxes({40, 20}, boxes));
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].classId, 1);
    EXPECT_EQ(back[0].rect, cv::Rect(30, 2, 4, 4));
    EXPECT_EQ(back[1].rect, cv::Rect(5, 5, 10, 8));
}

// Issue 8, defect 3: a project without coarse/ and masks/ folders got no masks, and its entries were left
// pointing at files that did not exist.
TEST(BoxImport, MissingCoarseAndMasksFoldersAreMadeAndEveryNamedFileExists) {
    const fs::path d = tempDir("nofolders");
    makeSampleProject({(d / "s").string(), 3, 4, 64});
    fs::remove_all(d / "s/coarse");
    fs::remove_all(d / "s/masks");
    Project p = Project::load((d / "s").string());
    for (ImageEntry& e : p.images()) {
        e.mask.clear();
        e.coarse.clear();
        e.status = ImageStatus::Unlabelled;
    }
    const BoxImportReport r = importBoxes(p, (d / "s/boxes").string());
    EXPECT_EQ(r.images, 4);
    EXPECT_GT(r.boxes, 0);
    EXPECT_TRUE(r.problems.empty()) << r.problems.front().file << ": " << r.problems.front().message;
    for (const ImageEntry& e : p.images()) {
        ASSERT_FALSE(e.coarse.empty()) << e.image;
        EXPECT_TRUE(fs::exists(p.absolute(e.coarse))) << e.coarse;
        EXPECT_TRUE(fs::exists(p.absolute(e.mask))) << e.mask;
        EXPECT_EQ(e.status, ImageStatus::Coarse);
    }
}

// Issue 8, defect 4: YOLO class 2 went into a one-class project as mask value 3, which is no class.
TEST(BoxImport, BoxClassesTheProjectLacksAreAddedAndNamedNeverWrittenInvisibly) {
    const fs::path d = tempDir("classes");
    makeSampleProject({(d / "s").string(), 3, 1, 64});
    Project p = Project::load((d / "s").string());
    p.classes().resize(2);  // background + one class
    const std::string stem = fs::path(p.images()[0].image).stem().string();
    fs::create_directories(d / "yolo");
    writeFileAtomic((d / "yolo" / (stem + ".txt")).string(), "0 0.25 0.25 0.2 0.2\n2 0.75 0.75 0.2 0.2\n");
    const BoxImportReport r = importBoxes(p, (d / "yolo").string());
    EXPECT_EQ(r.images, 1);
    EXPECT_EQ(r.boxes, 2);
    ASSERT_EQ(r.addedClasses.size(), 1u);
    EXPECT_EQ(p.classCount(), 3);
    const cv::Mat m = readMask(p.absolute(p.images()[0].coarse), MaskEncoding::Index);
    double maxValue = 0;
    cv::minMaxLoc(m, nullptr, &maxValue);
    EXPECT_LT(maxValue, p.classCount()) << "a mask value that is not a class";
    EXPECT_EQ(m.at<uchar>(48, 48), p.classes().back().id);
    EXPECT_EQ(m.at<uchar>(16, 16), 1);
}

TEST(BoxImport, BoxClassesMapByClassesTxtOrAreSkippedWhenAddingIsOff) {
    const fs::path d = tempDir("names");
    makeSampleProject({(d / "s").string(), 3, 1, 64});
    Project p = Project::load((d / "s").string());
    p.classes() = {{0, "background", {0, 0, 0}}, {1, "crack", {255, 0, 0}}, {2, "hole", {0, 255, 0}}};
    const std::string stem = fs::path(p.images()[0].image).stem().string();
    fs::create_directories(d / "yolo");
    writeFileAtomic((d / "yolo/classes.txt").string(), "hole\ncrack\nrust\n");
    writeFileAtomic((d / "yolo" / (stem + ".txt")).string(), "0 0.25 0.25 0.2 0.2\n1 0.75 0.75 0.2 0.2\n2 0.75 0.25 0.2 0.2\nnonsense\n");
    const BoxImportReport r = importBoxes(p, (d / "yolo").string(), /*addMissingClasses=*/false);
    EXPECT_EQ(r.images, 1);
    EXPECT_EQ(p.classCount(), 3);  // rust was not added
    // The rust box and the nonsense line, each with its reason, and the image's reviewed mask kept
    // (boxes only give it a coarse mask; issue 20: a person's mask is never replaced without a word).
    ASSERT_EQ(r.problems.size(), 3u);
    EXPECT_NE(r.problems.back().message.find("reviewed mask: kept"), std::string::npos) << r.problems.back().message;
    const cv::Mat m = readMask(p.absolute(p.images()[0].coarse), MaskEncoding::Index);
    EXPECT_EQ(m.at<uchar>(16, 16), 2);  // YOLO 0 = hole = project class 2
    EXPECT_EQ(m.at<uchar>(48, 48), 1);  // YOLO 1 = crack = project class 1
    EXPECT_EQ(m.at<uchar>(16, 48), 0);  // rust skipped
}

// VOC and COCO box imports kept no box file, so refinement recovered boxes from the coarse mask and got
// one merged box where two boxes of a class overlap. Every box-only import now keeps the boxes.
namespace {

const cv::Rect kBoxA(10, 10, 40, 30), kBoxB(30, 20, 40, 40);  // overlapping, one class

/** A project of one unlabelled 100x80 image `img1.png`, and the folder `in/` to import from. */
Project oneImageProject(const fs::path& d) {
    Project p((d / "p").string());
    p.classes() = defaultClasses(1);
    fs::create_directories(d / "p/images");
    writeImageAtomic((d / "p/images/img1.png").string(), cv::Mat(80, 100, CV_8UC3, cv::Scalar(90, 90, 90)));
    ImageEntry e;
    e.image = "images/img1.png";
    p.images().push_back(e);
    fs::create_directories(d / "in");
    return p;
}

std::string vocObject(const cv::Rect& r) {
    // The devkit's 1-based inclusive pixel coordinates.
    return "<object><name>scratch</name><bndbox><xmin>" + std::to_string(r.x + 1) + "</xmin><ymin>" + std::to_string(r.y + 1) +
           "</ymin><xmax>" + std::to_string(r.br().x) + "</xmax><ymax>" + std::to_string(r.br().y) + "</ymax></bndbox></object>";
}

void writeVoc(const fs::path& file, const std::vector<cv::Rect>& boxes) {
    std::string xml = "<annotation><filename>img1</filename><size><width>100</width><height>80</height></size>";
    for (const cv::Rect& r : boxes)
        xml += vocObject(r);
    writeFileAtomic(file.string(), xml + "</annotation>");
}

void writeCoco(const fs::path& file) {
    writeFileAtomic(file.string(), R"({"images":[{"id":1,"file_name":"img1.png","width":100,"height":80}],
      "categories":[{"id":5,"name":"scratch"}],
      "annotations":[{"id":1,"image_id":1,"category_id":5,"bbox":[10,10,40,30]},
                     {"id":2,"image_id":1,"category_id":5,"bbox":[30,20,40,40]}]})");
}

/** The boxes refinement starts from for the project's only image. */
std::vector<DetectionBox> refinementBoxes(const Project& p) {
    const ImageEntry& e = p.images().at(0);
    return imageBoxes(p, e, readMask(p.absolute(e.coarse), MaskEncoding::Index));
}

void expectTheTwoOriginalBoxes(const Project& p) {
    const ImageEntry& e = p.images().at(0);
    ASSERT_FALSE(e.boxes.empty()) << "no box file named";
    EXPECT_TRUE(fs::is_regular_file(p.absolute(e.boxes))) << e.boxes;
    const std::vector<DetectionBox> boxes = refinementBoxes(p);
    ASSERT_EQ(boxes.size(), 2u) << "merged into one box?";
    EXPECT_EQ(boxes[0].classId, 1);
    EXPECT_EQ(boxes[0].rect, kBoxA);
    EXPECT_EQ(boxes[1].classId, 1);
    EXPECT_EQ(boxes[1].rect, kBoxB);
}

/** Every file under `root` with its bytes. */
std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> files;
    for (const auto& f : fs::recursive_directory_iterator(root))
        if (f.is_regular_file())
            files[f.path().string()] = readFileBytes(f.path().string());
    return files;
}

} // namespace

TEST(BoxImport, VocOverlappingBoxesOfOneClassAreKeptForRefinement) {
    const fs::path d = tempDir("vockeep");
    Project p = oneImageProject(d);
    writeVoc(d / "in/img1.xml", {kBoxA, kBoxB});
    const BoxImportReport r = importBoxes(p, (d / "in").string());
    EXPECT_EQ(r.images, 1);
    EXPECT_EQ(r.boxes, 2);
    EXPECT_EQ(p.images()[0].status, ImageStatus::Coarse);
    expectTheTwoOriginalBoxes(p);
    EXPECT_EQ(boxesFromMask(readMask(p.absolute(p.images()[0].coarse), MaskEncoding::Index)).size(), 1u)
        << "the coarse mask alone merges them: the box file is what keeps them apart";
}

// A VOC file lists a small box before a large one of another class that covers it: painted in file
// order the small box vanished from the coarse mask (and GrabCut then found nothing for it). Box-only
// imports paint larger boxes first, as coarseMaskFromBoxes does.
TEST(BoxImport, VocSmallBoxListedFirstStaysVisibleInsideALargerOne) {
    const fs::path d = tempDir("voclayer");
    Project p = oneImageProject(d);
    const cv::Rect small(40, 30, 10, 8), large(20, 15, 60, 50);
    std::string xml = "<annotation><filename>img1</filename><size><width>100</width><height>80</height></size>";
    xml += "<object><name>pit</name><bndbox><xmin>41</xmin><ymin>31</ymin><xmax>50</xmax><ymax>38</ymax></bndbox></object>";
    xml += vocObject(large);
    writeFileAtomic((d / "in/img1.xml").string(), xml + "</annotation>");
    const BoxImportReport r = importBoxes(p, (d / "in").string());
    ASSERT_EQ(r.boxes, 2);
    const cv::Mat coarse = readMask(p.absolute(p.images()[0].coarse), MaskEncoding::Index);
    int pit = -1, scratch = -1;
    for (const ClassInfo& c : p.classes()) {
        if (c.name == "pit")
            pit = c.id;
        if (c.name == "scratch")
            scratch = c.id;
    }
    ASSERT_GE(pit, 0);
    ASSERT_GE(scratch, 0);
    EXPECT_EQ(cv::countNonZero(coarse(small) == pit), small.area()) << "the small box is hidden under the large one";
    EXPECT_EQ(coarse.at<uint8_t>(20, 25), scratch);
}

TEST(BoxImport, CocoOverlappingBoxesOfOneClassAreKeptForRefinement) {
    const fs::path d = tempDir("cocokeep");
    Project p = oneImageProject(d);
    writeCoco(d / "in/annotations.json");
    const BoxImportReport r = importBoxes(p, (d / "in/annotations.json").string());
    EXPECT_EQ(r.images, 1);
    EXPECT_EQ(r.boxes, 2);
    expectTheTwoOriginalBoxes(p);
}

TEST(BoxImport, DryRunWritesNoBoxFileButListsIt) {
    const fs::path d = tempDir("boxdry");
    Project p = oneImageProject(d);
    writeVoc(d / "in/img1.xml", {kBoxA, kBoxB});
    writeCoco(d / "in/annotations.json");
    const auto before = snapshot(d);
    for (const formats::Format f : {formats::Format::Voc, formats::Format::Coco}) {
        formats::ImportRequest request;
        request.format = f;
        request.input = f == formats::Format::Voc ? (d / "in").string() : (d / "in/annotations.json").string();
        request.dryRun = true;
        Project copy = p;
        const formats::ImportReport r = formats::importInto(copy, request);
        EXPECT_EQ(r.boxes, 2) << formats::toString(f) << (r.problems.empty() ? "" : ": " + r.problems[0].message);
        EXPECT_NE(std::find(r.written.begin(), r.written.end(), "boxes/img1.txt"), r.written.end()) << formats::toString(f);
        EXPECT_FALSE(fs::exists(d / "p/boxes")) << formats::toString(f);
    }
    EXPECT_EQ(snapshot(d), before);
}

TEST(BoxImport, ReimportRewritesTheOneBoxFileAndKeepsAHumanMask) {
    const fs::path d = tempDir("boxagain");
    Project p = oneImageProject(d);
    writeVoc(d / "in/img1.xml", {kBoxA, kBoxB});
    importBoxes(p, (d / "in").string());
    // A person then refined the mask; new boxes arrive for the image.
    const cv::Mat human = cv::Mat::zeros(80, 100, CV_8UC1);
    writeMaskAtomic(p.absolute(p.images()[0].mask), human);
    p.images()[0].status = ImageStatus::Reviewed;
    writeVoc(d / "in/img1.xml", {kBoxB});
    const BoxImportReport r = importBoxes(p, (d / "in").string());
    EXPECT_EQ(r.images, 1);
    const ImageEntry& e = p.images()[0];
    EXPECT_EQ(e.status, ImageStatus::Reviewed);
    EXPECT_EQ(cv::countNonZero(readMask(p.absolute(e.mask), MaskEncoding::Index)), 0) << "the reviewed mask was overwritten";
    const std::vector<DetectionBox> boxes = refinementBoxes(p);
    ASSERT_EQ(boxes.size(), 1u);
    EXPECT_EQ(boxes[0].rect, kBoxB);
    int boxFiles = 0;
    for (const auto& f : fs::recursive_directory_iterator(d / "p"))
        boxFiles += f.path().extension() == ".txt";
    EXPECT_EQ(boxFiles, 1);
}

TEST(BoxImport, YoloBoxFileFollowsTheProjectsClassesNotTheSourceNumbers) {
    const fs::path d = tempDir("yolokeep");
    Project p = oneImageProject(d);
    p.classes() = {{0, "background", {0, 0, 0}}, {1, "crack", {255, 0, 0}}, {2, "hole", {0, 255, 0}}};
    writeFileAtomic((d / "in/classes.txt").string(), "hole\ncrack\n");
    writeFileAtomic((d / "in/img1.txt").string(), "0 0.3 0.3125 0.4 0.375\n");  // hole = project class 2: kBoxA
    importBoxes(p, (d / "in").string());
    const std::vector<DetectionBox> boxes = refinementBoxes(p);
    ASSERT_EQ(boxes.size(), 1u);
    EXPECT_EQ(boxes[0].classId, 2);
    EXPECT_EQ(boxes[0].rect, kBoxA);
}
TEST(BoxImport, YoloBoxTextReadsBackAsTheSameBoxesClippedToTheImage) {
    const fs::path d = tempDir("yolowrite");
    const std::vector<DetectionBox> boxes = {{1, {0, 0, 7, 3}}, {3, {90, 70, 20, 20}}, {0, {5, 5, 5, 5}}, {255, {1, 1, 2, 2}}, {2, {33, 17, 1, 1}}};
    writeFileAtomic((d / "b.txt").string(), formats::writeYoloBoxes(boxes, {100, 80}));
    const std::vector<DetectionBox> back = readYoloBoxes((d / "b.txt").string(), {100, 80}, 1);
    ASSERT_EQ(back.size(), 3u) << "background and ignore have no YOLO class";
    EXPECT_EQ(back[0].rect, cv::Rect(0, 0, 7, 3));
    EXPECT_EQ(back[1].classId, 3);
    EXPECT_EQ(back[1].rect, cv::Rect(90, 70, 10, 10));
    EXPECT_EQ(back[2].classId, 2);
    EXPECT_EQ(back[2].rect, cv::Rect(33, 17, 1, 1));
}

// An image with its box file but no mask yet (no coarse mask): its boxes are placed on the image's size.
TEST(BoxImport, ImageBoxesOfAnImageWithoutACoarseMaskComeFromItsBoxFileAtTheImageSize) {
    const fs::path d = tempDir("boxesonly");
    const std::vector<DetectionBox> boxes = {{1, {10, 20, 30, 15}}, {2, {60, 5, 20, 40}}};
    writeFileAtomic((d / "b.txt").string(), formats::writeYoloBoxes(boxes, {100, 80}));
    const std::vector<DetectionBox> back = imageBoxes((d / "b.txt").string(), cv::Mat(), {100, 80});
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].rect, boxes[0].rect);
    EXPECT_EQ(back[1].classId, 2);
    EXPECT_EQ(back[1].rect, boxes[1].rect);
    EXPECT_TRUE(imageBoxes((d / "b.txt").string(), cv::Mat()).empty()) << "no size to place them on";
    EXPECT_TRUE(imageBoxes((d / "missing.txt").string(), cv::Mat(), {100, 80}).empty()) << "no file, no coarse mask";
    // A coarse mask's size wins over the image size given (they are the same in a project).
    const std::vector<DetectionBox> onCoarse = imageBoxes((d / "b.txt").string(), cv::Mat::zeros(80, 100, CV_8U), {1, 1});
    ASSERT_EQ(onCoarse.size(), 2u);
    EXPECT_EQ(onCoarse[1].rect, boxes[1].rect);
}
