#include "formats/hygiene.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "sample/samplegenerator.h"
#include "../testutil.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>

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
