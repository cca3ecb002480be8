#include "io/atomicfile.h"
#include "io/imageio.h"
#include "project/dataset.h"
#include "../testutil.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <opencv2/imgcodecs.hpp>

namespace fs = std::filesystem;
using namespace mf;
using mf::test::TempDir;

namespace {

void writeImage(const std::string& path, int w, int h) {
    fs::create_directories(fs::path(path).parent_path());
    cv::imwrite(path, cv::Mat(h, w, CV_8UC3, cv::Scalar(40, 80, 120)));
}

void writeMask(const std::string& path, int w, int h, int value) {
    fs::create_directories(fs::path(path).parent_path());
    cv::Mat m = cv::Mat::zeros(h, w, CV_8U);
    m(cv::Rect(0, 0, w / 2, h / 2)).setTo(value);
    writeMaskAtomic(path, m);
}

bool hasProblem(const std::vector<Problem>& problems, const std::string& fileEnd, const std::string& words) {
    for (const auto& p : problems)
        if (p.file.size() >= fileEnd.size() && p.file.compare(p.file.size() - fileEnd.size(), fileEnd.size(), fileEnd) == 0 &&
            p.message.find(words) != std::string::npos)
            return true;
    return false;
}

std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> out;
    for (auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file())
            out[e.path().string()] = readFileBytes(e.path().string());
    return out;
}

} // namespace

TEST(Dataset, ImportsImagesAndMasksByStem) {
    TempDir dir;
    writeImage(dir / "images/a.png", 8, 6);
    writeImage(dir / "images/b.jpg", 8, 6);
    writeMask(dir / "masks/a.png", 8, 6, 2);
    writeMask(dir / "masks/b.png", 8, 6, 1);
    std::vector<Problem> problems;
    Project p = importDataset(dir.path().string(), {}, &problems);
    EXPECT_TRUE(problems.empty());
    ASSERT_EQ(p.images().size(), 2u);
    EXPECT_EQ(p.classCount(), 3);
    EXPECT_EQ(p.images()[1].mask, "masks/b.png");
    EXPECT_EQ(p.images()[1].status, ImageStatus::Reviewed);
    EXPECT_TRUE(fs::exists(dir / "maskforge.json"));
    EXPECT_EQ(openDataset(dir.path().string()).images().size(), 2u);
}

TEST(Dataset, BinaryMasksGiveTwoClasses) {
    TempDir dir;
    writeImage(dir / "images/a.png", 8, 6);
    writeMask(dir / "masks/a.png", 8, 6, 255);
    Project p = openDataset(dir.path().string());
    EXPECT_EQ(p.classCount(), 2);
    EXPECT_FALSE(fs::exists(dir / "maskforge.json")) << "opening a plain folder writes nothing";
}

TEST(Dataset, Seed002LayoutSharesOneMaskBetweenDates) {
    TempDir dir;
    for (const char* stem : {"scene1_2019", "scene1_2020", "scene1_2021", "scene2_2019"})
        writeImage(dir / (std::string("images/") + stem + ".png"), 8, 8);
    writeMask(dir / "annotations/scene1.png", 8, 8, 3);
    writeMask(dir / "annotations/scene2.png", 8, 8, 1);
    std::vector<Problem> problems;
    Project p = openDataset(dir.path().string(), &problems);
    EXPECT_TRUE(problems.empty());
    ASSERT_EQ(p.images().size(), 4u);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(p.images()[i].mask, "annotations/scene1.png");
        EXPECT_EQ(p.images()[i].group, "scene1");
    }
    EXPECT_EQ(p.images()[3].group, "") << "a mask used once needs no group";
}

TEST(Dataset, ValidationListsEveryProblemAndTheRestLoads) {
    TempDir dir;
    writeImage(dir / "images/good.png", 8, 6);
    writeMask(dir / "masks/good.png", 8, 6, 1);
    writeImage(dir / "images/size.png", 8, 6);
    writeMask(dir / "masks/size.png", 4, 4, 1);
    writeImage(dir / "images/nomask.png", 8, 6);
    writeMask(dir / "masks/orphan.png", 8, 6, 1);
    writeFileAtomic(dir / "images/broken.png", "garbage");
    writeMask(dir / "masks/broken.png", 8, 6, 1);
    writeImage(dir / "images/value.png", 8, 6);
    writeMask(dir / "masks/value.png", 8, 6, 9);
    writeFileAtomic(dir / "classes.txt", "background\nrust\ncrack\n");  // 3 classes, so value 9 is unknown
    std::vector<Problem> importProblems;
    Project p = openDataset(dir.path().string(), &importProblems);
    EXPECT_EQ(p.images().size(), 5u) << "every image still loads";
    EXPECT_EQ(p.classCount(), 3);
    const auto before = snapshot(dir.path());
    const auto problems = validateDataset(dir.path().string());
    EXPECT_EQ(snapshot(dir.path()), before) << "validation never modifies anything";
    EXPECT_TRUE(hasProblem(problems, "masks/size.png", "mask is 4x4 but its image is 8x6"));
    EXPECT_TRUE(hasProblem(problems, "images/nomask.png", "no mask"));
    EXPECT_TRUE(hasProblem(problems, "masks/orphan.png", "no image"));
    EXPECT_TRUE(hasProblem(problems, "images/broken.png", "cannot decode"));
    EXPECT_TRUE(hasProblem(problems, "masks/value.png", "value(s) 9 not a known class"));
    EXPECT_FALSE(hasProblem(problems, "good.png", ""));
    EXPECT_EQ(problems.size(), 5u);
}

TEST(Dataset, ProjectEntriesAreChecked) {
    TempDir dir;
    writeImage(dir / "images/a.png", 8, 6);
    writeImage(dir / "images/b.png", 8, 6);
    writeMask(dir / "masks/b.png", 8, 6, 1);
    Project p(dir.path().string());
    p.classes() = defaultClasses(2);
    p.images().push_back({"images/a.png", "", "", "", ImageStatus::Reviewed, Split::None, ""});
    p.images().push_back({"images/b.png", "masks/b.png", "", "", ImageStatus::Reviewed, Split::None, ""});
    p.images().push_back({"images/gone.png", "", "", "", ImageStatus::Unlabelled, Split::None, ""});
    p.save();
    const auto problems = validateDataset(dir.path().string());
    EXPECT_TRUE(hasProblem(problems, "images/a.png", "status is reviewed but the image has no mask"));
    EXPECT_TRUE(hasProblem(problems, "images/gone.png", "image file is missing"));
    EXPECT_EQ(problems.size(), 2u);
}

TEST(Dataset, MalformedProjectFileIsAProblem) {
    TempDir dir;
    writeFileAtomic(dir / "maskforge.json", "{\"schema_version\": 1, \"classes\": ");
    const auto problems = validateDataset(dir.path().string());
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_TRUE(hasProblem(problems, "maskforge.json", "malformed project file"));
}

TEST(Dataset, NotADatasetThrows) {
    TempDir dir;
    EXPECT_THROW(openDataset(dir.path().string()), FileError);
    EXPECT_THROW(openDataset(dir / "missing"), FileError);
}
