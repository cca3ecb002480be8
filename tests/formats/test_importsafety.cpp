// Issue 20, items 2 and 8: an import never overwrites a person's mask silently, and images are matched
// by the annotation's own path, never by stem alone.
#include "formats/formatimport.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "../testutil.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <set>

namespace fs = std::filesystem;
using namespace mf;
using namespace mf::formats;

namespace {

/** A project at `root` with one 40x30 image images/<name> whose mask holds an 81-pixel (9x9) square of
 *  class 1, with `status`. */
Project smallProject(const fs::path& root, const std::string& name, ImageStatus status, cv::Scalar colour = {40, 80, 120}) {
    Project p(root.string());
    p.classes() = {{0, "background", defaultClassColor(0)}, {1, "cat", defaultClassColor(1)}};
    fs::create_directories(root / "images");
    fs::create_directories(root / "masks");
    writeImageAtomic((root / "images" / name).string(), cv::Mat(30, 40, CV_8UC3, colour));
    cv::Mat mask = cv::Mat::zeros(30, 40, CV_8UC1);
    mask(cv::Rect(5, 5, 9, 9)).setTo(1);
    const std::string stem = fs::path(name).stem().string();
    writeMaskAtomic((root / "masks" / (stem + ".png")).string(), mask);
    ImageEntry e;
    e.image = "images/" + name;
    e.mask = "masks/" + stem + ".png";
    e.status = status;
    p.images().push_back(e);
    p.save();
    return p;
}

cv::Mat maskOf(const Project& p, std::size_t i) { return readMask(p.absolute(p.images()[i].mask), MaskEncoding::Index); }

std::string problems(const ImportReport& r) {
    std::string s;
    for (const Problem& p : r.problems)
        s += p.file + ": " + p.message + "\n";
    return s;
}

bool mentions(const ImportReport& r, const std::string& word) { return problems(r).find(word) != std::string::npos; }

ImportRequest request(Format format, const std::string& input) {
    ImportRequest r;
    r.format = format;
    r.input = input;
    return r;
}
ImportRequest labelme(const std::string& input) { return request(Format::Labelme, input); }
ImportRequest coco(const std::string& input) { return request(Format::Coco, input); }

const char* kEmptyLabelme = R"({"shapes":[],"imagePath":"../images/a.png","imageHeight":30,"imageWidth":40})";
const char* kTriangle = R"({"shapes":[{"label":"cat","points":[[20,2],[30,2],[30,12]],"shape_type":"polygon"}],
                           "imagePath":"../images/a.png","imageHeight":30,"imageWidth":40})";

} // namespace

// The issue's reproduction: "shapes": [] over a refined 81-px mask left an empty mask, status refined,
// and reported "0 shape(s), 0 problem(s)".
TEST(ImportSafety, EmptyPolygonImportKeepsARefinedMaskAndSaysSo) {
    test::TempDir dir;
    smallProject(dir.path(), "a.png", ImageStatus::Refined);
    fs::create_directories(dir.path() / "ann");
    writeFileAtomic(dir / "ann/a.json", kEmptyLabelme);
    const ImportReport report = importAnnotations(dir.path().string(), labelme(dir / "ann"));
    const Project p = Project::load(dir.path().string());
    EXPECT_EQ(cv::countNonZero(maskOf(p, 0)), 81);
    EXPECT_EQ(p.images()[0].status, ImageStatus::Refined);
    ASSERT_EQ(report.conflicts.size(), 1u);
    EXPECT_EQ(report.conflicts[0].image, "images/a.png");
    EXPECT_EQ(report.conflicts[0].changedPixels, 81);
    EXPECT_EQ(report.conflicts[0].applied, OnExisting::Keep);
    EXPECT_TRUE(mentions(report, "refined mask: kept")) << problems(report);
    // Worded for the GUI and the CLI alike: the GUI's import dialog has no --replace (its table offers
    // Keep / Replace / Merge per image); the CLI's summary line names its flags.
    EXPECT_TRUE(mentions(report, "replace or merge applies it")) << problems(report);
    EXPECT_FALSE(mentions(report, "--replace")) << problems(report);
    EXPECT_EQ(keptMaskCount(report), 1);  // summaries count it apart from the problems
}

TEST(ImportSafety, ReplaceAndMergeApplyOnlyWhenAsked) {
    test::TempDir dir;
    smallProject(dir.path(), "a.png", ImageStatus::Reviewed);
    fs::create_directories(dir.path() / "ann");
    writeFileAtomic(dir / "ann/a.json", kTriangle);
    ImportRequest r = labelme(dir / "ann");
    r.onExisting = OnExisting::Merge;
    ImportReport report = importAnnotations(dir.path().string(), r);
    Project p = Project::load(dir.path().string());
    const int triangle = cv::countNonZero(maskOf(p, 0)) - 81;
    EXPECT_GT(triangle, 40);  // the square kept, the triangle added
    EXPECT_EQ(cv::countNonZero(maskOf(p, 0)(cv::Rect(5, 5, 9, 9))), 81);
    ASSERT_EQ(report.conflicts.size(), 1u);
    EXPECT_EQ(report.conflicts[0].applied, OnExisting::Merge);
    EXPECT_EQ(keptMaskCount(report), 0);
    EXPECT_EQ(p.images()[0].status, ImageStatus::Refined);  // changed: no longer reviewed

    r.onExisting = OnExisting::Replace;
    report = importAnnotations(dir.path().string(), r);
    p = Project::load(dir.path().string());
    EXPECT_EQ(cv::countNonZero(maskOf(p, 0)), triangle);  // the square is gone
    EXPECT_TRUE(report.problems.empty()) << problems(report);
}

// The dialog's per-image choice overrides the request's default for that image.
TEST(ImportSafety, PerImageChoiceOverridesTheDefault) {
    test::TempDir dir;
    smallProject(dir.path(), "a.png", ImageStatus::Reviewed);
    fs::create_directories(dir.path() / "ann");
    writeFileAtomic(dir / "ann/a.json", kEmptyLabelme);
    ImportRequest r = labelme(dir / "ann");
    r.onExisting = OnExisting::Keep;
    r.perImage["images/a.png"] = OnExisting::Replace;
    importAnnotations(dir.path().string(), r);
    EXPECT_EQ(cv::countNonZero(maskOf(Project::load(dir.path().string()), 0)), 0);
}

// A box import over a reviewed mask keeps it too (it gets the coarse mask and boxes only).
TEST(ImportSafety, BoxImportKeepsAReviewedMask) {
    test::TempDir dir;
    smallProject(dir.path(), "a.png", ImageStatus::Reviewed);
    fs::create_directories(dir.path() / "labels");
    writeFileAtomic(dir / "labels/a.txt", "0 0.5 0.5 0.5 0.5\n");
    const ImportReport report = importAnnotations(dir.path().string(), request(Format::Yolo, dir / "labels"));
    const Project p = Project::load(dir.path().string());
    EXPECT_EQ(cv::countNonZero(maskOf(p, 0)), 81) << problems(report);
    EXPECT_EQ(p.images()[0].status, ImageStatus::Reviewed);
    EXPECT_TRUE(fs::exists(p.absolute(p.images()[0].coarse)));
    EXPECT_EQ(report.conflicts.size(), 1u);
}

// An import that would change nothing is no conflict.
TEST(ImportSafety, IdenticalImportIsNoConflict) {
    test::TempDir dir;
    smallProject(dir.path(), "a.png", ImageStatus::Reviewed);
    fs::create_directories(dir.path() / "ann");
    writeFileAtomic(dir / "ann/a.json", R"({"shapes":[{"label":"cat","points":[[5,5],[13,13]],"shape_type":"rectangle"}],
                                           "imagePath":"../images/a.png"})");
    const ImportReport report = importAnnotations(dir.path().string(), labelme(dir / "ann"));
    EXPECT_TRUE(report.conflicts.empty());
    EXPECT_TRUE(report.problems.empty()) << problems(report);
}

// Item 8: a COCO file_name 0001.jpg of another data set painted onto the project's images/0001.png.
TEST(ImportMatching, SameStemOfAnotherDataSetIsNotMatched) {
    test::TempDir dir;
    smallProject(dir / "p", "0001.png", ImageStatus::Unlabelled);
    fs::create_directories(dir.path() / "other");
    writeImageAtomic(dir / "other/0001.jpg", cv::Mat(30, 40, CV_8UC3, cv::Scalar(200, 10, 10)));
    writeFileAtomic(dir / "other/coco.json", R"({"images":[{"id":1,"file_name":"0001.jpg","width":40,"height":30}],
        "categories":[{"id":1,"name":"cat"}],
        "annotations":[{"id":1,"image_id":1,"category_id":1,"segmentation":[[0,0,20,0,20,15,0,15]],"area":300,"bbox":[0,0,20,15]}]})");
    const ImportReport report = importAnnotations(dir / "p", coco(dir / "other/coco.json"));
    const Project p = Project::load(dir / "p");
    ASSERT_EQ(p.images().size(), 1u);
    EXPECT_EQ(cv::countNonZero(maskOf(p, 0)), 81);  // untouched
    EXPECT_EQ(report.images, 0);
    EXPECT_TRUE(mentions(report, "images/0001.png")) << problems(report);

    // Without the file on disk, a name with another extension is no match either.
    fs::remove(dir / "other/0001.jpg");
    const ImportReport missing = importAnnotations(dir / "p", coco(dir / "other/coco.json"));
    EXPECT_EQ(missing.images, 0);
    EXPECT_TRUE(mentions(missing, "not found")) << problems(missing);
    EXPECT_EQ(cv::countNonZero(maskOf(Project::load(dir / "p"), 0)), 81);
}

// The same image (same content) found outside the project is matched, whatever folder it is in.
TEST(ImportMatching, SameContentOutsideTheProjectIsMatched) {
    test::TempDir dir;
    smallProject(dir / "p", "0001.png", ImageStatus::Unlabelled);
    fs::create_directories(dir.path() / "export/JPEGImages");
    fs::copy_file(dir / "p/images/0001.png", dir / "export/JPEGImages/0001.png");
    writeFileAtomic(dir / "export/annotations.json", R"({"images":[{"id":1,"file_name":"JPEGImages/0001.png","width":40,"height":30}],
        "categories":[{"id":1,"name":"cat"}],
        "annotations":[{"id":1,"image_id":1,"category_id":1,"segmentation":[[0,0,20,0,20,15,0,15]],"area":300,"bbox":[0,0,20,15]}]})");
    const ImportReport report = importAnnotations(dir / "p", coco(dir / "export/annotations.json"));
    EXPECT_EQ(report.images, 1) << problems(report);
    const Project p = Project::load(dir / "p");
    EXPECT_EQ(p.images().size(), 1u);
    EXPECT_GT(cv::countNonZero(maskOf(p, 0)), 81);
}

TEST(ImportMatching, SizeMismatchAndAmbiguousNamesAreProblems) {
    test::TempDir dir;
    Project p = smallProject(dir / "p", "0001.png", ImageStatus::Unlabelled);
    // A second 0001.png in another folder of the project.
    fs::create_directories(dir.path() / "p/images/b");
    writeImageAtomic(dir / "p/images/b/0001.png", cv::Mat(30, 40, CV_8UC3, cv::Scalar(1, 2, 3)));
    ImageEntry second;
    second.image = "images/b/0001.png";
    p.images().push_back(second);
    p.save();
    fs::create_directories(dir.path() / "ann");
    writeFileAtomic(dir / "ann/x.json", R"({"shapes":[],"imagePath":"0001.png"})");
    ImportReport report = importAnnotations(dir / "p", labelme(dir / "ann"));
    EXPECT_EQ(report.images, 0);
    EXPECT_TRUE(mentions(report, "ambiguous")) << problems(report);

    // Its own relative path says which one; a size the file states that differs is a problem.
    writeFileAtomic(dir / "ann/x.json", R"({"shapes":[],"imagePath":"../p/images/b/0001.png","imageHeight":31,"imageWidth":40})");
    report = importAnnotations(dir / "p", labelme(dir / "ann"));
    EXPECT_EQ(report.images, 0);
    EXPECT_TRUE(mentions(report, "40x31")) << problems(report);
    writeFileAtomic(dir / "ann/x.json", R"({"shapes":[{"label":"cat","points":[[1,1],[4,4]],"shape_type":"rectangle"}],
                                           "imagePath":"../p/images/b/0001.png","imageHeight":30,"imageWidth":40})");
    report = importAnnotations(dir / "p", labelme(dir / "ann"));
    EXPECT_EQ(report.images, 1) << problems(report);
    const Project back = Project::load(dir / "p");
    ASSERT_EQ(back.images().size(), 2u);
    EXPECT_EQ(cv::countNonZero(maskOf(back, 0)), 81);  // images/0001.png untouched
    ASSERT_FALSE(back.images()[1].mask.empty());
    EXPECT_NE(back.images()[1].mask, back.images()[0].mask);  // its own mask file, not masks/0001.png
    EXPECT_EQ(cv::countNonZero(maskOf(back, 1)), 16);
}

namespace {

const char* kCocoOneImage = R"({"images":[{"id":1,"file_name":"b.png","width":40,"height":30}],
    "categories":[{"id":0,"name":"_background_"},{"id":1,"name":"car"},{"id":3,"name":"person"}],
    "annotations":[{"id":1,"image_id":1,"category_id":3,"segmentation":[[0,0,4,0,4,3,0,3]],"area":12,"bbox":[0,0,4,3]}]})";

/** COCO 2017's layout under `root`: annotations/instances_val2017.json, its image in val2017/. */
void makeCoco2017(const fs::path& root) {
    fs::create_directories(root / "annotations");
    fs::create_directories(root / "val2017");
    writeFileAtomic((root / "annotations/instances_val2017.json").string(), kCocoOneImage);
    writeImageAtomic((root / "val2017/b.png").string(), cv::Mat(30, 40, CV_8UC3, cv::Scalar(5, 6, 7)));
}

} // namespace

// Item 9: a standard COCO layout failed with `image "b.jpg" not found`, and there was no --images.
TEST(ImportLayout, StandardLayoutsAreFoundAndImagesSaysWhereElse) {
    test::TempDir dir;
    const cv::Mat image(30, 40, CV_8UC3, cv::Scalar(5, 6, 7));
    // COCO 2017: annotations/instances_val2017.json, the images in val2017/ beside annotations/.
    makeCoco2017(dir.path() / "c17");
    EXPECT_EQ(importAnnotations(dir / "p17", coco(dir / "c17/annotations/instances_val2017.json")).images, 1);
    // annotations/instances_val.json with images/val/.
    fs::create_directories(dir.path() / "cv/annotations");
    fs::create_directories(dir.path() / "cv/images/val");
    writeFileAtomic(dir / "cv/annotations/instances_val.json", kCocoOneImage);
    writeImageAtomic(dir / "cv/images/val/b.png", image);
    EXPECT_EQ(importAnnotations(dir / "pv", coco(dir / "cv/annotations/instances_val.json")).images, 1);
    // YOLO: labels/train/x.txt with images/train/x.png.
    fs::create_directories(dir.path() / "y/labels/train");
    fs::create_directories(dir.path() / "y/images/train");
    writeFileAtomic(dir / "y/labels/train/x.txt", "0 0.5 0.5 0.2 0.2\n");
    writeImageAtomic(dir / "y/images/train/x.png", image);
    ImportRequest y;
    y.format = Format::Yolo;
    y.input = dir / "y/labels/train";
    EXPECT_EQ(importAnnotations(dir / "py", y).images, 1);
    // Elsewhere: only with --images.
    fs::create_directories(dir.path() / "ann");
    fs::create_directories(dir.path() / "pics");
    writeFileAtomic(dir / "ann/coco.json", kCocoOneImage);
    writeImageAtomic(dir / "pics/b.png", image);
    const ImportReport without = importAnnotations(dir / "pe", coco(dir / "ann/coco.json"));
    EXPECT_EQ(without.images, 0);
    EXPECT_TRUE(mentions(without, "not found"));
    ImportRequest with = coco(dir / "ann/coco.json");
    with.imagesDir = dir / "pics";
    EXPECT_EQ(importAnnotations(dir / "pe", with).images, 1) << problems(without);
}

// Item 10: a COCO round trip renumbered classes in order of appearance and renamed _background_.
TEST(ImportClasses, NewProjectTakesTheFileIdsExistingOneMapsByName) {
    test::TempDir dir;
    fs::create_directories(dir.path() / "c");
    writeFileAtomic(dir / "c/annotations.json", kCocoOneImage);
    writeImageAtomic(dir / "c/b.png", cv::Mat(30, 40, CV_8UC3, cv::Scalar(5, 6, 7)));
    const ImportReport fresh = importAnnotations(dir / "new", coco(dir / "c/annotations.json"));
    EXPECT_EQ(fresh.classesFromFile, 4);
    const Project p = Project::load(dir / "new");
    ASSERT_EQ(p.classCount(), 4);
    EXPECT_EQ(p.classes()[0].name, "_background_");
    EXPECT_EQ(p.classes()[1].name, "car");
    EXPECT_EQ(p.classes()[3].name, "person");
    EXPECT_EQ(cv::countNonZero(maskOf(p, 0) == 3), 12);

    Project existing = smallProject(dir / "old", "b.png", ImageStatus::Unlabelled, cv::Scalar(5, 6, 7));
    const ImportReport into = importAnnotations(dir / "old", coco(dir / "c/annotations.json"));
    ASSERT_EQ(into.images, 1) << problems(into);
    EXPECT_EQ(into.addedClasses, std::vector<std::string>{"person"});
    const Project q = Project::load(dir / "old");
    EXPECT_EQ(q.classes()[2].name, "person");  // after the project's background and cat
    EXPECT_EQ(cv::countNonZero(maskOf(q, 0) == 2), 12);
}

// Item 9, YOLO: an Ultralytics data set given by its root: labels/<split>/, images/<split>/, data.yaml.
TEST(ImportLayout, UltralyticsDataSetFromItsRoot) {
    test::TempDir dir;
    for (const char* split : {"train", "val"}) {
        fs::create_directories(dir.path() / "ds/labels" / split);
        fs::create_directories(dir.path() / "ds/images" / split);
        writeImageAtomic((dir.path() / "ds/images" / split / (std::string(split) + ".jpg")).string(),
                         cv::Mat(30, 40, CV_8UC3, cv::Scalar(50, 60, 70)));
        writeFileAtomic((dir.path() / "ds/labels" / split / (std::string(split) + ".txt")).string(), "1 0.5 0.5 0.5 0.5\n");
    }
    writeFileAtomic(dir / "ds/data.yaml", "path: .\ntrain: images/train\nval: images/val\nnames:\n  0: person\n  1: car\n");
    const ImportReport report = importAnnotations(dir / "p", request(Format::Yolo, dir / "ds"));
    EXPECT_EQ(report.images, 2) << problems(report);
    const Project p = Project::load(dir / "p");
    ASSERT_EQ(p.classCount(), 3);
    EXPECT_EQ(p.classes()[1].name, "person");
    EXPECT_EQ(p.classes()[2].name, "car");
    EXPECT_GT(cv::countNonZero(maskOf(p, 0) == 2), 0);
}

// Found by hand (issue 20's closing check): a COCO data set given by its folder (its root, or its
// annotations/ folder) was refused with "no COCO .json file here" when its one file is named
// instances_<split>.json, as COCO's own are. One such file is taken; several are a clear error that names
// them, never a guess.
TEST(ImportLayout, CocoFolderWithOneInstancesFileIsFoundSeveralAreNamed) {
    test::TempDir dir;
    makeCoco2017(dir.path() / "c17");
    EXPECT_EQ(importAnnotations(dir / "pa", coco(dir / "c17/annotations")).images, 1);
    EXPECT_EQ(importAnnotations(dir / "pr", coco(dir / "c17")).images, 1);
    writeFileAtomic(dir / "c17/annotations/instances_train2017.json", kCocoOneImage);
    try {
        importAnnotations(dir / "px", coco(dir / "c17"));
        ADD_FAILURE() << "two COCO files, one taken without a word";
    } catch (const FileError& e) {
        EXPECT_NE(e.problem().find("instances_train2017.json"), std::string::npos) << e.what();
        EXPECT_NE(e.problem().find("instances_val2017.json"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(dir / "px"));  // nothing on disk for an import that did not happen
}

// Found by hand: labelme's labels.txt beside the JSON files (what labelme2voc reads, and what our own
// labelme export writes) was ignored by an import into a new project without --labels: the classes came
// in order of appearance, so a round trip renumbered them.
TEST(ImportClasses, LabelmeFolderWithLabelsTxtKeepsItsIdsInANewProject) {
    test::TempDir dir;
    fs::create_directories(dir.path() / "lm");
    writeImageAtomic(dir / "lm/a.png", cv::Mat(30, 40, CV_8UC3, cv::Scalar(5, 6, 7)));
    writeFileAtomic(dir / "lm/labels.txt", "__ignore__\n_background_\ncat\ndog\n");
    writeFileAtomic(dir / "lm/a.json", R"({"shapes":[{"label":"dog","points":[[2,2],[10,2],[10,10],[2,10]],"shape_type":"polygon"}],
                                          "imagePath":"a.png","imageHeight":30,"imageWidth":40})");
    const ImportReport report = importAnnotations(dir / "p", labelme(dir / "lm"));
    ASSERT_EQ(report.images, 1) << problems(report);
    EXPECT_EQ(report.classesFromFile, 3);
    const Project p = Project::load(dir / "p");
    ASSERT_EQ(p.classCount(), 3);
    EXPECT_EQ(p.classes()[1].name, "cat");
    EXPECT_EQ(p.classes()[2].name, "dog");
    EXPECT_GT(cv::countNonZero(maskOf(p, 0) == 2), 0);
    // A labels.txt that is a plain list of names (no background line) is not labelme's: taken, its first
    // class would become the background. It is left out with a problem line.
    writeFileAtomic(dir / "lm/labels.txt", "cat\ndog\n");
    const ImportReport plain = importAnnotations(dir / "plain", labelme(dir / "lm"));
    ASSERT_EQ(plain.images, 1) << problems(plain);
    EXPECT_TRUE(mentions(plain, "labels.txt")) << problems(plain);
    const Project q = Project::load(dir / "plain");
    ASSERT_EQ(q.classCount(), 2);
    EXPECT_EQ(q.classes()[1].name, "dog");
    EXPECT_GT(cv::countNonZero(maskOf(q, 0) == 1), 0);
    writeFileAtomic(dir / "lm/labels.txt", "__ignore__\n_background_\ncat\ndog\n");
    // Into an existing project the names map as before, labels.txt adds nothing unused.
    smallProject(dir / "old", "a.png", ImageStatus::Unlabelled, cv::Scalar(5, 6, 7));
    const ImportReport into = importAnnotations(dir / "old", labelme(dir / "lm"));
    EXPECT_EQ(into.addedClasses, std::vector<std::string>{"dog"});
}

// Found by hand: YOLO labels given by their labels/ (or labels/<split>/) folder ignored the classes.txt
// at the data set's root beside images/ and labels/ (data.yaml there was read): classes came as class_1.
TEST(ImportLayout, YoloLabelsFolderFindsClassesTxtAtTheDataSetRoot) {
    test::TempDir dir;
    for (const char* labels : {"labels", "labels/train"}) {
        const fs::path root = dir.path() / (std::string("y-") + (labels[6] ? "split" : "flat"));
        const std::string images = std::string("images") + (labels[6] ? "/train" : "");
        fs::create_directories(root / labels);
        fs::create_directories(root / images);
        writeImageAtomic((root / images / "猫1.png").string(), cv::Mat(30, 40, CV_8UC3, cv::Scalar(5, 6, 7)));
        writeFileAtomic((root / labels / "猫1.txt").string(), "1 0.5 0.5 0.5 0.5\n");
        writeFileAtomic((root / "classes.txt").string(), "cat\ndog\n");
        const ImportReport report = importAnnotations((root / "p").string(), request(Format::Yolo, (root / labels).string()));
        ASSERT_EQ(report.images, 1) << labels << "\n" << problems(report);
        const Project p = Project::load((root / "p").string());
        ASSERT_EQ(p.classCount(), 3) << labels;
        EXPECT_EQ(p.classes()[1].name, "cat") << labels;
        EXPECT_EQ(p.classes()[2].name, "dog") << labels;
        EXPECT_GT(cv::countNonZero(maskOf(p, 0) == 2), 0) << labels;
    }
}

// Issue 21, item 8: the GUI imports on a worker and stops it when the window closes or another project
// opens. Stopped part-way, every image imported is whole and the saved project lists exactly those.
TEST(ImportCancel, StopsBetweenImagesAndTheSavedProjectAgreesWithTheFiles) {
    test::TempDir dir;
    fs::create_directories(dir.path() / "y/labels");
    fs::create_directories(dir.path() / "y/images");
    for (int i = 0; i < 6; ++i) {
        writeImageAtomic(dir / ("y/images/i" + std::to_string(i) + ".png"), cv::Mat(30, 40, CV_8UC3, cv::Scalar(i, 2, 3)));
        writeFileAtomic(dir / ("y/labels/i" + std::to_string(i) + ".txt"), "0 0.5 0.5 0.5 0.5\n");
    }
    std::atomic<bool> stop{false};
    std::vector<std::pair<int, int>> calls;
    ImportRequest r = request(Format::Yolo, dir / "y");
    r.cancel = &stop;
    r.progress = [&](int done, int total) {
        calls.emplace_back(done, total);
        if (done == 2)
            stop = true;
    };
    const ImportReport report = importAnnotations(dir / "p", r);
    EXPECT_TRUE(report.cancelled);
    EXPECT_EQ(report.images, 2);
    EXPECT_EQ(calls, (std::vector<std::pair<int, int>>{{1, 6}, {2, 6}}));
    const Project p = Project::load(dir / "p");
    ASSERT_EQ(p.images().size(), 2u);
    std::set<std::string> listed;
    for (const ImageEntry& e : p.images()) {
        for (const std::string* f : {&e.image, &e.mask, &e.coarse, &e.boxes})
            if (!f->empty()) {
                EXPECT_TRUE(fs::exists(p.absolute(*f))) << *f;
                listed.insert(fs::path(*f).lexically_normal().generic_string());
            }
    }
    for (const char* folder : {"images", "masks", "coarse", "boxes"}) {
        if (!fs::exists(dir.path() / "p" / folder))
            continue;
        for (const auto& f : fs::directory_iterator(dir.path() / "p" / folder)) {
            EXPECT_TRUE(listed.count(std::string(folder) + "/" + f.path().filename().string())) << f.path() << " is in no entry";
        }
    }
}
