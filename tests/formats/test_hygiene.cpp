#include "formats/hygiene.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "sample/samplegenerator.h"
#include "../testutil.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <functional>
#include <map>

namespace fs = std::filesystem;
using namespace mf;
using namespace mf::formats;

TEST(Dedup, RescaledAndReencodedCopiesGroupDistinctImagesDoNot) {
    test::TempDir dir;
    makeSampleProject({dir / "s", 11, 5, 128});
    Project p = Project::load(dir / "s");
    const std::size_t n = p.images().size();
    // A half-size JPEG of image 0 and a slightly brighter copy of image 2, added as new images.
    cv::Mat a = readImageRgb(p.absolute(p.images()[0].image)), half, brighter;
    cv::resize(a, half, {}, 0.5, 0.5, cv::INTER_AREA);
    writeImageAtomic(dir / "s/images/copy0.jpg", half);
    cv::Mat c = readImageRgb(p.absolute(p.images()[2].image));
    c.convertTo(brighter, -1, 1.0, 12);
    writeImageAtomic(dir / "s/images/copy2.png", brighter);
    for (const char* name : {"images/copy0.jpg", "images/copy2.png"}) {
        ImageEntry e;
        e.image = name;
        p.images().push_back(e);
    }
    std::vector<Problem> problems;
    const auto groups = findDuplicates(p, 6, problems);
    EXPECT_TRUE(problems.empty());
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].images, (std::vector<std::size_t>{0, n}));
    EXPECT_EQ(groups[1].images, (std::vector<std::size_t>{2, n + 1}));
    const auto dropped = dropDuplicates(p, groups);
    EXPECT_EQ(dropped, (std::vector<std::string>{"images/copy0.jpg", "images/copy2.png"}));
    EXPECT_EQ(p.images().size(), n);
    EXPECT_TRUE(fs::exists(dir / "s/images/copy0.jpg"));  // files are never deleted
}

TEST(Stats, CountsImagesPixelsAndBoxesPerClass) {
    test::TempDir dir;
    fs::create_directories(dir.path() / "p/masks");
    Project p(dir / "p");
    p.classes() = defaultClasses(3);
    cv::Mat m = cv::Mat::zeros(10, 20, CV_8UC1);
    m(cv::Rect(0, 0, 4, 3)).setTo(1);
    m(cv::Rect(10, 5, 2, 2)).setTo(1);
    m(cv::Rect(15, 0, 5, 10)).setTo(2);
    writeMaskAtomic(dir / "p/masks/a.png", m);
    ImageEntry e;
    e.image = "images/a.png";
    e.mask = "masks/a.png";
    p.images().push_back(e);
    std::vector<Problem> problems;
    const auto stats = classStatistics(p, problems);
    ASSERT_EQ(stats.size(), 3u);
    EXPECT_EQ(stats[1].pixels, 16);
    EXPECT_EQ(stats[1].images, 1);
    EXPECT_EQ(stats[1].boxes, 2);
    EXPECT_EQ(stats[1].minBoxArea, 4);
    EXPECT_EQ(stats[1].maxBoxArea, 12);
    EXPECT_DOUBLE_EQ(stats[1].meanBoxWidth, 3.0);
    EXPECT_EQ(stats[2].pixels, 50);
    EXPECT_EQ(stats[0].pixels, 200 - 66);
}

TEST(Classes, DropAndMergeRewriteEveryMaskAndRenumber) {
    test::TempDir dir;
    makeSampleProject({dir / "s", 3, 6, 64});
    Project p = Project::load(dir / "s");
    ASSERT_EQ(p.classCount(), 5);  // background, crack, deposit, hole, corrosion
    std::vector<cv::Mat> before;
    for (const ImageEntry& e : p.images())
        before.push_back(readMask(p.absolute(e.mask), MaskEncoding::Index));
    const int files = changeClasses(p, {{p.classes()[2].name, ""}, {p.classes()[4].name, p.classes()[1].name}});
    EXPECT_GE(files, 6);
    const Project q = Project::load(dir / "s");
    ASSERT_EQ(q.classCount(), 3);
    EXPECT_EQ(q.classes()[2].name, "hole");
    for (std::size_t i = 0; i < q.images().size(); ++i) {
        const cv::Mat after = readMask(q.absolute(q.images()[i].mask), MaskEncoding::Index);
        const cv::Mat& b = before[i];
        EXPECT_EQ(cv::countNonZero((b == 2) & (after != 0)), 0);  // dropped -> background
        EXPECT_EQ(cv::countNonZero((b == 4) & (after != 1)), 0);  // merged into class 1
        EXPECT_EQ(cv::countNonZero((b == 3) & (after != 2)), 0);  // renumbered
        EXPECT_EQ(cv::countNonZero((b == 1) & (after != 1)), 0);
    }
    for (const auto& e : fs::directory_iterator(dir / "s/masks"))
        EXPECT_EQ(e.path().string().find(".classes-new"), std::string::npos);
    EXPECT_THROW(changeClasses(p, {{"zebra", ""}}), FileError);
}

// Issue 20, item 5: --drop/--merge renumbered masks but not box files (boxes/*.txt kept stale ids).
TEST(Classes, DropAndMergeRenumberBoxFilesToo) {
    test::TempDir dir;
    makeSampleProject({dir / "s", 3, 2, 64});
    Project p = Project::load(dir / "s");
    ASSERT_EQ(p.classCount(), 5);  // background, crack, deposit, hole, corrosion: YOLO k = id - 1
    fs::create_directories(dir.path() / "s/boxes");
    // One box of each class: crack (k 0), deposit (k 1), hole (k 2), corrosion (k 3).
    writeFileAtomic(dir / "s/boxes/a.txt", "0 0.5 0.5 0.2 0.2\n1 0.4 0.4 0.1 0.1\n2 0.3 0.3 0.1 0.1\n3 0.2 0.2 0.1 0.1\n");
    p.images()[0].boxes = "boxes/a.txt";
    p.save();
    changeClasses(p, {{"deposit", ""}, {"corrosion", "crack"}});  // now background, crack, hole
    const std::string boxes = readFileBytes(dir / "s/boxes/a.txt");
    EXPECT_EQ(boxes, "0 0.5 0.5 0.2 0.2\n1 0.3 0.3 0.1 0.1\n0 0.2 0.2 0.1 0.1\n");
}

namespace {

/** Every regular file under `root` (relative path -> bytes), except under `skip`. */
std::map<std::string, std::string> snapshotFiles(const fs::path& root, const fs::path& skip = {}) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!skip.empty() && e.path().string().rfind(skip.string(), 0) == 0)
            continue;
        if (e.is_regular_file())
            files[fs::relative(e.path(), root).generic_string()] = readFileBytes(e.path().string());
    }
    return files;
}

/** A sample project of six images, each with a mask, a coarse mask and a YOLO box file. */
Project classesProject(const test::TempDir& dir) {
    makeSampleProject({dir / "s", 3, 6, 64, true});
    Project p = Project::load(dir / "s");
    fs::create_directories(dir.path() / "s/boxes");
    for (std::size_t i = 0; i < p.images().size(); ++i) {
        ImageEntry& e = p.images()[i];
        e.boxes = "boxes/" + fs::path(e.image).stem().string() + ".txt";
        writeFileAtomic(p.absolute(e.boxes), "0 0.5 0.5 0.2 0.2\n1 0.4 0.4 0.1 0.1\n3 0.2 0.2 0.1 0.1\n");
        if (e.mask.empty()) {
            e.mask = "masks/" + fs::path(e.image).stem().string() + ".png";
            writeMaskAtomic(p.absolute(e.mask), cv::Mat(64, 64, CV_8UC1, cv::Scalar(2)));
        }
        if (e.coarse.empty()) {
            e.coarse = "coarse/" + fs::path(e.image).stem().string() + ".png";
            fs::create_directories(fs::path(p.absolute(e.coarse)).parent_path());
            writeMaskAtomic(p.absolute(e.coarse), cv::Mat(64, 64, CV_8UC1, cv::Scalar(4)));
        }
    }
    p.save();
    return Project::load(dir / "s");
}

/** A non-empty folder at `path`: renaming a file onto it, or writing a file there, fails (even as root,
 *  where a read-only folder does not stop a write). */
void blockWith(const std::string& path) {
    fs::create_directories(path);
    writeFileAtomic(path + "/in-the-way", "x");
}

/** changeClasses with a fault injected by `inject` (given the project after its files were made) must
 *  throw a FileError naming a file and leave every mask, coarse mask, box file and maskforge.json
 *  byte for byte as before, with no .classes-new / .classes-old file left, and the classes unchanged. */
void expectUntouchedAfterFault(const std::function<std::string(const Project&)>& inject) {
    test::TempDir dir;
    Project p = classesProject(dir);
    const std::string blocked = inject(p);
    const auto before = snapshotFiles(dir.path() / "s", blocked);
    const std::vector<ClassInfo> classesBefore = p.classes();
    try {
        changeClasses(p, {{"deposit", ""}, {"corrosion", "crack"}});
        ADD_FAILURE() << "changeClasses succeeded with " << blocked << " in the way";
    } catch (const FileError& e) {
        EXPECT_FALSE(e.file().empty());
    }
    EXPECT_EQ(snapshotFiles(dir.path() / "s", blocked), before) << "with " << blocked << " in the way";
    for (const auto& e : fs::recursive_directory_iterator(dir.path() / "s")) {
        const std::string name = e.path().filename().string();
        if (e.path().string().rfind(blocked, 0) != 0) {
            EXPECT_TRUE(name.find(".classes-") == std::string::npos && name.find(".tmp-") == std::string::npos) << e.path();
        }
    }
    ASSERT_EQ(p.classes().size(), classesBefore.size());
    for (std::size_t i = 0; i < classesBefore.size(); ++i)
        EXPECT_EQ(p.classes()[i].name, classesBefore[i].name);
}

} // namespace

// The closing note of issue 20: a failure part-way through `classes --drop/--merge` must leave every
// mask and box file exactly as before. Faults: while the new files are written (a box file's
// .classes-new blocked, the fourth image's), while they replace the old ones (the fourth image's mask
// cannot be moved aside: three images' files are already replaced), and when maskforge.json is saved
// after every file was replaced.
TEST(Classes, AFailureWhileWritingTheNewFilesChangesNothing) {
    expectUntouchedAfterFault([](const Project& p) {
        const std::string path = p.absolute(p.images()[3].boxes) + ".classes-new";
        blockWith(path);
        return path;
    });
}

TEST(Classes, AFailureWhileReplacingPartWayPutsEveryFileBack) {
    expectUntouchedAfterFault([](const Project& p) {
        const std::string path = p.absolute(p.images()[3].mask) + ".classes-old";
        blockWith(path);
        return path;
    });
    expectUntouchedAfterFault([](const Project& p) {
        const std::string path = p.absolute(p.images()[5].boxes) + ".classes-old";  // the very last file
        blockWith(path);
        return path;
    });
}

TEST(Classes, AFailureSavingTheProjectPutsEveryFileBack) {
    expectUntouchedAfterFault([](const Project& p) {
        // maskforge.json cannot be replaced when a non-empty folder took its place.
        const std::string json = p.filePath();
        fs::remove(json);
        blockWith(json);
        return json;
    });
}
