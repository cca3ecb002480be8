// Issue 8, SIGKILL while training: the run folder afterwards holds a checkpoint `evaluate` loads, a
// metrics.csv that parses, a config.yaml that parses, and the run resumes from it.
#include "io/atomicfile.h"
#include "clirun.h"
#include "sample/samplegenerator.h"
#include "models/checkpoint.h"
#include "runs/trainconfig.h"
#include "../testutil.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mf;
using namespace mf::test;

namespace {

pid_t startCli(const std::vector<std::string>& args) {
    const pid_t child = ::fork();
    if (child == 0) {
        ::setenv("OMP_NUM_THREADS", "1", 1);
        std::vector<char*> argv{const_cast<char*>(MF_CLI_PATH)};
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        if (!std::freopen("/dev/null", "w", stdout))
            ::_exit(5);
        ::execv(MF_CLI_PATH, argv.data());
        ::_exit(4);
    }
    return child;
}

/** Every row of metrics.csv has the header's column count and numbers in every cell. */
void expectMetricsParse(const std::string& path) {
    std::istringstream in(readFileBytes(path));
    std::string header;
    ASSERT_TRUE(std::getline(in, header)) << path << " is empty";
    const auto columns = std::count(header.begin(), header.end(), ',') + 1;
    int rows = 0;
    for (std::string line; std::getline(in, line); ++rows) {
        EXPECT_EQ(std::count(line.begin(), line.end(), ',') + 1, columns) << line;
        std::istringstream cells(line);
        for (std::string cell; std::getline(cells, cell, ',');) {
            std::size_t used = 0;
            EXPECT_NO_THROW((void)std::stod(cell, &used)) << cell;
        }
    }
    EXPECT_GE(rows, 1);
}

} // namespace

TEST(SigKill, TrainingRunFolderStaysUsable) {
    TempDir dir;
    SampleOptions o;
    o.outDir = dir / "sample";
    o.count = 12;
    o.size = 32;
    makeSampleProject(o);
    std::mt19937 rng(13);
    for (int round = 0; round < 3; ++round) {
        const std::string run = dir / ("run" + std::to_string(round));
        const pid_t child = startCli({"train", "--data", o.outDir, "--size", "32", "--width", "4", "--batch", "2",
                                      "--epochs", "200", "--device", "cpu", "--out", run});
        // Wait for the first checkpoint (bounded: a loaded 2-core machine took over 60 s to start and write
        // it), then kill at a random moment of the next epochs.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
        while (!fs::exists(run + "/last.pt") && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (!fs::exists(run + "/last.pt")) {
            ::kill(child, SIGKILL);  // not left training on a folder this test is about to remove
            ::waitpid(child, nullptr, 0);
            FAIL() << "no checkpoint within 300 s";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1500)(rng)));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "training ended before the kill";

        EXPECT_NO_THROW(readCheckpointMeta(run + "/last.pt"));
        expectMetricsParse(run + "/metrics.csv");
        EXPECT_NO_THROW(parseTrainConfig(readFileBytes(run + "/config.yaml"), run + "/config.yaml"));
        const CliResult eval = runCli({"evaluate", "--run", run, "--split", "val", "--device", "cpu"});
        EXPECT_EQ(eval.exitCode, 0) << eval.output;
        if (round == 0) {  // and it goes on from there
            const CliResult resumed = runCli({"train", "--resume", run + "/last.pt", "--epochs",
                                              std::to_string(readCheckpointMeta(run + "/last.pt").epoch + 1), "--device", "cpu"});
            EXPECT_EQ(resumed.exitCode, 0) << resumed.output;
            expectMetricsParse(run + "/metrics.csv");
        }
    }
}
