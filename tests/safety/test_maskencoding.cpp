// Issue 8 defect 2: how masks store classes is a property of the dataset, decided once and stored in
// maskforge.json, never guessed per file.
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "project/dataset.h"
#include "../testutil.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

namespace fs = std::filesystem;
using namespace mf;
using mf::test::TempDir;

namespace {

void writeImage(const std::string& path, int w, int h) {
    fs::create_directories(fs::path(path).parent_path());
    cv::imwrite(path, cv::Mat(h, w, CV_8UC3, cv::Scalar(40, 80, 120)));
}

/** A mask whose top-left quarter holds `value`, written as raw bytes (no encoding applied). */
cv::Mat writeRawMask(const std::string& path, int w, int h, int value) {
    fs::create_directories(fs::path(path).parent_path());
    cv::Mat m = cv::Mat::zeros(h, w, CV_8U);
    m(cv::Rect(0, 0, w / 2, h / 2)).setTo(value);
    cv::imwrite(path, m);
    return m;
}

/** A multi-class dataset (classes 0..2) where one mask holds only background and ignore (255). */
void makeMultiClass(const TempDir& dir) {
    writeImage(dir / "images/a.png", 8, 6);
    writeImage(dir / "images/b.png", 8, 6);
    writeImage(dir / "images/c.png", 8, 6);
    writeRawMask(dir / "masks/a.png", 8, 6, 1);
    writeRawMask(dir / "masks/b.png", 8, 6, 2);
    writeRawMask(dir / "masks/c.png", 8, 6, 255);
}

} // namespace

TEST(MaskEncoding, ZeroAnd255MaskInAMultiClassProjectRoundTripsAsIgnore) {
    TempDir dir;
    makeMultiClass(dir);
    std::vector<Problem> problems;
    Project p = importDataset(dir.path().string(), {}, &problems);
    EXPECT_EQ(p.maskEncoding(), MaskEncoding::Index);
    EXPECT_EQ(p.classCount(), 3);
    const std::string c = p.absolute("masks/c.png");
    const std::string before = readFileBytes(c);
    cv::Mat m = readMask(c, p.maskEncoding());
    EXPECT_EQ(m.at<uchar>(0, 0), 255) << "the ignored pixels must stay ignored, not become class 1";
    EXPECT_EQ(cv::countNonZero(m == 1), 0);
    writeMaskAtomic(c, m, p.maskEncoding());  // what the canvas does on save
    cv::Mat again = cv::imread(c, cv::IMREAD_UNCHANGED);
    EXPECT_EQ(again.at<uchar>(0, 0), 255);
    EXPECT_EQ(again.at<uchar>(5, 7), 0);
    EXPECT_TRUE(validateDataset(dir.path().string()).empty()) << "255 is the ignore index, not an unknown class";
    (void)before;
}

TEST(MaskEncoding, StoredInTheProjectFileAndReloaded) {
    TempDir dir;
    writeImage(dir / "images/a.png", 8, 6);
    writeImage(dir / "images/b.png", 8, 6);
    writeRawMask(dir / "masks/a.png", 8, 6, 255);
    writeRawMask(dir / "masks/b.png", 8, 6, 0);
    Project p = importDataset(dir.path().string(), {}, nullptr);
    EXPECT_EQ(p.maskEncoding(), MaskEncoding::Binary255);
    EXPECT_EQ(p.classCount(), 2);
    ASSERT_FALSE(p.loadWarnings().empty());
    EXPECT_NE(p.loadWarnings().back().message.find("binary255"), std::string::npos) << "the user is told";
    const auto json = nlohmann::json::parse(readFileBytes(dir / "maskforge.json"));
    EXPECT_EQ(json.at("mask_encoding"), "binary255");
    Project q = Project::load(dir.path().string());
    EXPECT_EQ(q.maskEncoding(), MaskEncoding::Binary255);
    EXPECT_TRUE(q.loadWarnings().empty()) << "decided once: a stored encoding needs no note";
    // A binary dataset keeps its format on save: class 1 goes back to disk as 255.
    cv::Mat m = readMask(q.absolute("masks/a.png"), q.maskEncoding());
    EXPECT_EQ(m.at<uchar>(0, 0), 1);
    writeMaskAtomic(q.absolute("masks/a.png"), m, q.maskEncoding());
    EXPECT_EQ(cv::imread(q.absolute("masks/a.png"), cv::IMREAD_UNCHANGED).at<uchar>(0, 0), 255);
}

TEST(MaskEncoding, NeverGuessedPerFile) {
    TempDir dir;
    writeRawMask(dir / "m.png", 4, 4, 255);
    EXPECT_EQ(readMask(dir / "m.png", MaskEncoding::Index).at<uchar>(0, 0), 255) << "an index read never turns 255 into 1";
    EXPECT_EQ(readMask(dir / "m.png", MaskEncoding::Binary255).at<uchar>(0, 0), 1);
}

TEST(MaskEncoding, ClassNamesFileOfThreeClassesKeepsIndex) {
    TempDir dir;
    writeImage(dir / "images/a.png", 8, 6);
    writeRawMask(dir / "masks/a.png", 8, 6, 255);
    writeFileAtomic(dir / "classes.txt", "bg\ncat\ndog\n");
    Project p = importDataset(dir.path().string(), {}, nullptr);
    EXPECT_EQ(p.maskEncoding(), MaskEncoding::Index);
    EXPECT_EQ(p.classCount(), 3);
}

TEST(MaskEncoding, OldProjectWithoutTheFieldIsDecidedOnceAndStoredOnSave) {
    TempDir dir;
    writeImage(dir / "images/a.png", 8, 6);
    writeRawMask(dir / "masks/a.png", 8, 6, 255);
    const std::string old = R"({"schema_version": 1, "name": "old", "classes": [{"id": 0, "name": "bg"},
        {"id": 1, "name": "crack"}], "images": [{"image": "images/a.png", "mask": "masks/a.png", "status": "reviewed"}]})";
    writeFileAtomic(dir / "maskforge.json", old);
    Project p = Project::load(dir.path().string());
    EXPECT_EQ(p.maskEncoding(), MaskEncoding::Binary255);
    ASSERT_EQ(p.loadWarnings().size(), 1u);
    EXPECT_NE(p.loadWarnings()[0].message.find("no mask_encoding"), std::string::npos) << p.loadWarnings()[0].message;
    EXPECT_EQ(readFileBytes(dir / "maskforge.json"), old) << "loading writes nothing";
    p.save();
    EXPECT_EQ(nlohmann::json::parse(readFileBytes(dir / "maskforge.json")).at("mask_encoding"), "binary255");

    // The same old file with three classes: 255 can only be the ignore index.
    writeFileAtomic(dir / "maskforge.json", R"({"schema_version": 1, "classes": [{"id": 0, "name": "bg"},
        {"id": 1, "name": "a"}, {"id": 2, "name": "b"}], "images": [{"image": "images/a.png", "mask": "masks/a.png"}]})");
    EXPECT_EQ(Project::load(dir.path().string()).maskEncoding(), MaskEncoding::Index);
}

TEST(MaskEncoding, BadEncodingWordIsAMalformedFile) {
    TempDir dir;
    writeFileAtomic(dir / "maskforge.json",
                    R"({"schema_version": 1, "mask_encoding": "rgb", "classes": [{"id": 0, "name": "bg"}]})");
    EXPECT_THROW(Project::load(dir.path().string()), FileError);
}

TEST(MaskEncoding, ValidateSaysTheEncoding) {
    TempDir dir;
    makeMultiClass(dir);
    std::vector<Problem> notes;
    validateDataset(dir.path().string(), &notes);
    ASSERT_FALSE(notes.empty());
    EXPECT_NE(notes[0].message.find("mask encoding: index"), std::string::npos);
}
