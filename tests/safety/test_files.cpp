// Issue 8 defect 12 (files): stale temporary files of killed writers are cleaned up; image headers are
// checked without decoding pixels, and absurd sizes are refused before allocating.
#include "io/atomicfile.h"
#include "io/errors.h"
#include "io/imageheader.h"
#include "io/imageio.h"
#include "project/dataset.h"
#include "../testutil.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mf;
using mf::test::TempDir;

namespace {

void writeText(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

/** A pid that is surely not running: a child that has exited and been reaped. */
pid_t deadPid() {
    const pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    int status = 0;
    waitpid(pid, &status, 0);
    return pid;
}

void makeOld(const std::string& path) {
    fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::hours(1));
}

std::string pngBytes(int w, int h) {
    std::vector<uchar> buf;
    cv::imencode(".png", cv::Mat(h, w, CV_8UC3, cv::Scalar(1, 2, 3)), buf);
    return {buf.begin(), buf.end()};
}

std::string jpegBytes(int w, int h) {
    std::vector<uchar> buf;
    cv::imencode(".jpg", cv::Mat(h, w, CV_8UC3, cv::Scalar(90, 20, 200)), buf);
    return {buf.begin(), buf.end()};
}

} // namespace

TEST(StaleTempFiles, OnlyDeadWritersOldFilesOfThePatternAreRemoved) {
    TempDir dir;
    const std::string dead = std::to_string(deadPid()), alive = std::to_string(getppid());
    const std::string stale = dir / (".a.png.tmp-" + dead + "-1f2e3d"), live = dir / (".b.png.tmp-" + alive + "-abc"),
                      fresh = dir / (".c.png.tmp-" + dead + "-99"), user1 = dir / "notes.tmp-1-2",
                      user2 = dir / ".d.png.tmp-12x-3", user3 = dir / "a.png";
    for (const auto& f : {stale, live, fresh, user1, user2, user3})
        writeText(f, "x");
    for (const auto& f : {stale, live, user1, user2, user3})
        makeOld(f);
    // `fresh` was changed after this process started: a writer may be at work; it stays.
    const auto removed = removeStaleTempFiles(dir.path().string());
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0], stale);
    EXPECT_FALSE(fs::exists(stale));
    for (const auto& f : {live, fresh, user1, user2, user3})
        EXPECT_TRUE(fs::exists(f)) << f;
}

TEST(StaleTempFiles, ProjectOpenCleansItsFoldersAndValidationDoesNot) {
    TempDir dir;
    writeText(dir / "images/a.png", pngBytes(4, 4));
    cv::Mat m = cv::Mat::zeros(4, 4, CV_8U);
    fs::create_directories(dir.path() / "masks");
    writeMaskAtomic(dir / "masks/a.png", m);
    importDataset(dir.path().string(), {}, nullptr);
    const std::string dead = std::to_string(deadPid());
    const std::string inRoot = dir / (".maskforge.json.tmp-" + dead + "-aa"), inMasks = dir / (".a.png.tmp-" + dead + "-bb"),
                      inAutosave = dir / (".maskforge/autosave/.0_a.png.tmp-" + dead + "-cc");
    const std::string inMasksPath = (dir.path() / "masks" / fs::path(inMasks).filename()).string();
    for (const auto& f : {inRoot, inMasksPath, inAutosave}) {
        writeText(f, "half");
        makeOld(f);
    }
    validateDataset(dir.path().string());
    EXPECT_TRUE(fs::exists(inRoot)) << "validation changes nothing";
    const Project p = openDataset(dir.path().string());
    EXPECT_EQ(cleanStaleTempFiles(p).size(), 3u);
    for (const auto& f : {inRoot, inMasksPath, inAutosave})
        EXPECT_FALSE(fs::exists(f)) << f;
    EXPECT_TRUE(fs::exists(dir / "masks/a.png"));
}

TEST(ImageHeader, ReadsSizeWithoutDecoding) {
    TempDir dir;
    writeText(dir / "a.png", pngBytes(37, 21));
    writeText(dir / "b.jpg", jpegBytes(30, 12));
    const ImageHeader png = readImageHeader(dir / "a.png");
    EXPECT_EQ(png.format, "png");
    EXPECT_EQ(png.width, 37);
    EXPECT_EQ(png.height, 21);
    EXPECT_EQ(png.channels, 3);
    const ImageHeader jpg = readImageHeader(dir / "b.jpg");
    EXPECT_EQ(jpg.format, "jpeg");
    EXPECT_EQ(jpg.width, 30);
    EXPECT_EQ(jpg.height, 12);
}

TEST(ImageHeader, FlagsCorruptFilesNamingThem) {
    TempDir dir;
    const std::string png = pngBytes(64, 64), jpg = jpegBytes(64, 64);
    const std::pair<std::string, std::string> cases[] = {
        {"empty.png", ""},
        {"text.png", "this is not a picture\n"},
        {"truncated.png", png.substr(0, png.size() / 2)},
        {"header-only.png", png.substr(0, 20)},
        {"truncated.jpg", jpg.substr(0, jpg.size() / 2)},
        {"header-only.jpg", jpg.substr(0, 10)},
    };
    for (const auto& [name, bytes] : cases) {
        writeText(dir / name, bytes);
        try {
            readImageHeader(dir / name);
            ADD_FAILURE() << name << " passed the header check";
        } catch (const FileError& e) {
            EXPECT_EQ(e.file(), dir / name);
            EXPECT_FALSE(e.problem().empty());
        }
    }
    EXPECT_THROW(readImageHeader(dir / "missing.png"), FileError);
}

TEST(ImageHeader, HugeClaimIsRefusedBeforeAllocating) {
    // A valid PNG header claiming 100000 x 100000 and nothing else: decoding would allocate 30 GB.
    TempDir dir;
    std::string png = pngBytes(8, 8);
    auto put32 = [&](std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i)
            png[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
    };
    put32(16, 100000);
    put32(20, 100000);
    // IHDR's CRC covers type and data (bytes 12..28): recompute it so only the size is odd.
    std::uint32_t crc = 0xFFFFFFFFu;
    for (std::size_t i = 12; i < 29; ++i) {
        crc ^= static_cast<unsigned char>(png[i]);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    put32(29, ~crc);
    writeText(dir / "huge.png", png);
    try {
        readImageRgb(dir / "huge.png");
        FAIL() << "decoded a 100000x100000 claim";
    } catch (const FileError& e) {
        EXPECT_NE(e.problem().find("100000x100000"), std::string::npos) << e.problem();
    }
    EXPECT_THROW(readMask(dir / "huge.png", MaskEncoding::Index), FileError);
    EXPECT_THROW(readImageHeader(dir / "huge.png"), FileError);
    // The limit is configurable: 8x8 passes at 64 pixels and fails at 63.
    writeText(dir / "small.png", pngBytes(8, 8));
    const auto saved = maxImagePixels();
    setMaxImagePixels(64);
    EXPECT_NO_THROW(readImageRgb(dir / "small.png"));
    setMaxImagePixels(63);
    EXPECT_THROW(readImageRgb(dir / "small.png"), FileError);
    setMaxImagePixels(saved);
}

// Issue 20, item 12: writeFileAtomic replaced a symlink by a file and reset the mode to 0644.
TEST(AtomicWrite, KeepsASymlinkAndTheFileMode) {
    mf::test::TempDir dir;
    mf::writeFileAtomic(dir / "real.txt", "one");
    fs::permissions(dir / "real.txt", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);  // 0640
    fs::create_symlink("real.txt", dir / "link.txt");
    mf::writeFileAtomic(dir / "link.txt", "two");
    EXPECT_TRUE(fs::is_symlink(dir / "link.txt"));
    EXPECT_EQ(mf::readFileBytes(dir / "real.txt"), "two");
    EXPECT_EQ(fs::status(dir / "real.txt").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    mf::writeFileAtomic(dir / "real.txt", "three");
    EXPECT_EQ(fs::status(dir / "real.txt").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}
