#include "io/atomicfile.h"
#include "io/errors.h"
#include "../testutil.h"

#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mf;
using mf::test::TempDir;

TEST(AtomicFile, WritesAndReplaces) {
    TempDir dir;
    writeFileAtomic(dir / "f.txt", "one");
    writeFileAtomic(dir / "f.txt", "two");
    EXPECT_EQ(readFileBytes(dir / "f.txt"), "two");
    int files = 0;
    for (auto& e : std::filesystem::directory_iterator(dir.path()))
        files += e.is_regular_file();
    EXPECT_EQ(files, 1) << "no temporary file is left behind";
}

TEST(AtomicFile, UnwritableFolderIsAnErrorNamingTheFile) {
    TempDir dir;
    const std::string target = dir / "no/such/folder/f.txt";
    try {
        writeFileAtomic(target, "x");
        FAIL();
    } catch (const FileError& e) {
        EXPECT_EQ(e.file(), target);
    }
}

// A writer killed at random moments never leaves a torn file: the target holds the old content or a new
// one, whole, every time.
TEST(AtomicFile, KilledWriterLeavesOldOrNewFileIntact) {
    TempDir dir;
    const std::string target = dir / "mask.bin";
    const std::string oldContent(1 << 20, 'A');
    writeFileAtomic(target, oldContent);
    for (int round = 0; round < 12; ++round) {
        pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            const std::string big(4 << 20, 'B');
            for (;;)
                writeFileAtomic(target, big);
        }
        ::usleep(2000 + round * 3000);
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        const std::string now = readFileBytes(target);
        const bool isOld = now == oldContent;
        const bool isNew = now.size() == (4u << 20) && now.find_first_not_of('B') == std::string::npos;
        EXPECT_TRUE(isOld || isNew) << "round " << round << ": torn file of " << now.size() << " bytes";
    }
}
