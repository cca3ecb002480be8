#include "edit/boximport.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "sample/samplegenerator.h"

#include <gtest/gtest.h>

#include <filesystem>

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
    EXPECT_EQ(r.problems.size(), 2u);  // the rust box and the nonsense line, each with its reason
    const cv::Mat m = readMask(p.absolute(p.images()[0].coarse), MaskEncoding::Index);
    EXPECT_EQ(m.at<uchar>(16, 16), 2);  // YOLO 0 = hole = project class 2
    EXPECT_EQ(m.at<uchar>(48, 48), 1);  // YOLO 1 = crack = project class 1
    EXPECT_EQ(m.at<uchar>(16, 48), 0);  // rust skipped
}
