// Issue 8, SIGKILL: a writer killed at a random moment while it saves a mask, the project or a
// checkpoint leaves the old file or the new one, whole; its leftover temporary file is removed by the
// next process that opens the folder.
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "models/modelfactory.h"
#include "project/dataset.h"
#include "project/project.h"
#include "models/checkpoint.h"
#include "../testutil.h"

#include <csignal>
#include <cstdlib>
#include <opencv2/imgcodecs.hpp>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <random>
#include <sys/wait.h>
#include <torch/torch.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mf;
using mf::test::TempDir;

namespace {

/** Forks a child that runs `writeForever` (never returning), kills it after a random delay, reaps it. */
void killWhileWriting(const std::function<void()>& writeForever, std::mt19937& rng, int maxDelayUs) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        try {
            writeForever();
        } catch (...) {
        }
        ::_exit(3);
    }
    ::usleep(std::uniform_int_distribution<int>(500, maxDelayUs)(rng));  // a random moment, not a synchronisation
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer ended on its own (exit " << WEXITSTATUS(status) << ")";
}

cv::Mat patterned(int seed) {
    cv::Mat m(512, 512, CV_8UC1);
    cv::randu(m, cv::Scalar(0), cv::Scalar(5));  // noisy: a big PNG, a slow write
    m.at<uchar>(0, 0) = static_cast<uchar>(seed);
    return m;
}

std::size_t leftovers(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir))
        n += e.path().filename().string().find(".tmp-") != std::string::npos ? 1 : 0;
    return n;
}

} // namespace

TEST(SigKill, MaskSaveLeavesOldOrNewMask) {
    TempDir dir;
    const std::string path = dir / "mask.png";
    cv::setRNGSeed(1);
    const cv::Mat a = patterned(1), b = patterned(2);
    writeMaskAtomic(path, a);
    std::mt19937 rng(7);
    for (int round = 0; round < 12; ++round) {
        killWhileWriting([&] { for (int i = 0;; ++i) writeMaskAtomic(path, i % 2 ? a : b); }, rng, 60000);
        const cv::Mat now = readMask(path, MaskEncoding::Index);
        const bool whole = cv::countNonZero(now != a) == 0 || cv::countNonZero(now != b) == 0;
        EXPECT_TRUE(whole) << "round " << round << ": a torn mask";
    }
}

TEST(SigKill, ProjectSaveLeavesOldOrNewProject) {
    TempDir dir;
    Project p(dir.path().string());
    p.classes() = defaultClasses(3);
    for (int i = 0; i < 3000; ++i)
        p.images().push_back({"images/" + std::to_string(i) + ".png", "masks/" + std::to_string(i) + ".png", "", "",
                              ImageStatus::Reviewed, Split::Train, ""});
    p.save();
    const std::string a = p.toJson();
    Project q = p;
    for (auto& e : q.images())
        e.status = ImageStatus::Refined;
    const std::string b = q.toJson();
    std::mt19937 rng(11);
    for (int round = 0; round < 12; ++round) {
        killWhileWriting([&] { for (int i = 0;; ++i) (i % 2 ? p : q).save(); }, rng, 40000);
        const std::string now = readFileBytes(dir / "maskforge.json");
        EXPECT_TRUE(now == a || now == b) << "round " << round << ": a torn project file of " << now.size() << " bytes";
        EXPECT_NO_THROW(Project::load(dir.path().string()));
    }
}

TEST(SigKill, CheckpointWriteLeavesALoadableCheckpoint) {
    TempDir dir;
    const std::string path = dir / "last.pt";
    ModelSpec spec;
    spec.arch = "unet";
    spec.width = 8;
    spec.depth = 3;
    CheckpointMeta meta;
    meta.spec = spec;
    meta.classNames = {"bg", "fg"};
    {
        SegmentationNet first = makeModel(spec);
        meta.epoch = 1;
        saveCheckpoint(path, *first, nullptr, meta);
    }
    std::mt19937 rng(5);
    for (int round = 0; round < 8; ++round) {
        killWhileWriting(
            [&] {
                SegmentationNet net = makeModel(spec);
                CheckpointMeta m = meta;
                for (int i = 2;; ++i) {
                    m.epoch = i;
                    saveCheckpoint(path, *net, nullptr, m);
                }
            },
            rng, 400000);
        SegmentationNet net = makeModel(spec);
        EXPECT_NO_THROW(loadCheckpoint(path, *net, nullptr, false, torch::kCPU)) << "round " << round;
    }
}

TEST(SigKill, LeftoverTemporaryFilesAreCleanedByTheNextOpen) {
    TempDir dir;
    fs::create_directories(dir.path() / "masks");
    writeMaskAtomic(dir / "masks/a.png", patterned(3));
    cv::imwrite(dir / "a.png", cv::Mat(4, 4, CV_8UC3, cv::Scalar(1, 2, 3)));
    fs::create_directories(dir.path() / "images");
    fs::copy_file(dir / "a.png", dir / "images/a.png");
    importDataset(dir.path().string(), {}, nullptr);
    std::mt19937 rng(3);
    // A large write keeps the window between creating the temporary file and renaming it wide.
    const std::string big(48 << 20, 'x');
    for (int round = 0; round < 40 && leftovers(dir.path() / "masks") == 0; ++round)
        killWhileWriting([&] { for (;;) writeFileAtomic(dir / "masks/blob.bin", big); }, rng, 200000);
    if (leftovers(dir.path() / "masks") == 0)
        GTEST_SKIP() << "no kill landed mid-write in 40 rounds";
    // The next process (a child started now, after the writer died) cleans the folder when it opens
    // the project; this process started before the leftover was made, so it must leave it alone.
    EXPECT_TRUE(cleanStaleTempFiles(openDataset(dir.path().string())).empty());
    ::setenv("MF_TEST_CLEAN_DIR", dir.path().c_str(), 1);
    const std::string self = fs::read_symlink("/proc/self/exe");
    const pid_t child = ::fork();
    if (child == 0) {
        ::execl(self.c_str(), self.c_str(), "--gtest_filter=SigKill.CleanerProcess", static_cast<char*>(nullptr));
        ::_exit(4);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ::unsetenv("MF_TEST_CLEAN_DIR");
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_EQ(leftovers(dir.path() / "masks"), 0u);
    EXPECT_EQ(readMask(dir / "masks/a.png", MaskEncoding::Index).size(), cv::Size(512, 512)) << "the mask itself is untouched";
}

// The "next start" of LeftoverTemporaryFilesAreCleanedByTheNextOpen, run as its own process.
TEST(SigKill, CleanerProcess) {
    const char* dir = std::getenv("MF_TEST_CLEAN_DIR");
    if (!dir)
        GTEST_SKIP() << "run by LeftoverTemporaryFilesAreCleanedByTheNextOpen";
    EXPECT_FALSE(cleanStaleTempFiles(openDataset(dir)).empty());
}
