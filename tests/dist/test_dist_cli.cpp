// maskforge-cli train as several processes: --nproc on loopback, resuming with another world size,
// and a rank killed mid-run (the others must stop with a message, not hang).
#include "../testutil.h"
#include "dist/launcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace mf::dist {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string readText(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/** Starts the CLI with `args`, output to `log`, extra environment `env`. */
pid_t startCli(const std::vector<std::string>& args, const std::string& log,
               const std::vector<std::pair<std::string, std::string>>& env = {}) {
    const pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);  // its own process group, as a shell job: Ctrl+C goes to it and its workers
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        for (const auto& [k, v] : env)
            setenv(k.c_str(), v.c_str(), 1);
        setenv("OMP_NUM_THREADS", "1", 1);
        std::vector<char*> argv{const_cast<char*>(MF_CLI_PATH)};
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(MF_CLI_PATH, argv.data());
        _exit(127);
    }
    return pid;
}

/** Exit code (128+signal when killed), or -1 when it had not ended within `seconds` (then killed). */
int waitExit(pid_t pid, double seconds) {
    const auto end = Clock::now() + std::chrono::duration<double>(seconds);
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (Clock::now() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a child's end, not a race
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int runCli(const std::vector<std::string>& args, const std::string& log, double seconds = 120) {
    return waitExit(startCli(args, log), seconds);
}

class DistCli : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(runCli({"make-sample", "--out", tmp / "sample", "--count", "12", "--size", "32", "--seed", "2"},
                         tmp / "sample.log"),
                  0)
            << readText(tmp / "sample.log");
    }
    std::vector<std::string> trainArgs(const std::string& out, int epochs) const {
        return {"train", "--data", tmp / "sample", "--size", "32", "--width", "4", "--batch", "2",
                "--epochs", std::to_string(epochs), "--device", "cpu", "--out", tmp / out};
    }
    test::TempDir tmp;
};

int metricsRows(const fs::path& csv) {
    std::ifstream in(csv);
    std::string line;
    int n = -1;  // the header
    while (std::getline(in, line))
        n += line.empty() ? 0 : 1;
    return n;
}

TEST_F(DistCli, TwoLocalProcessesWriteOneRunFolder) {
    auto args = trainArgs("run", 2);
    args.insert(args.end(), {"--nproc", "2"});
    ASSERT_EQ(runCli(args, tmp / "train.out"), 0) << readText(tmp / "train.out");
    for (const char* f : {"config.yaml", "metrics.csv", "best.pt", "last.pt", "train.log"})
        EXPECT_TRUE(fs::exists(tmp.path() / "run" / f)) << f;
    const std::string log = readText(tmp.path() / "run" / "train.log");
    EXPECT_NE(log.find("2 processes (gloo) (rank 0)"), std::string::npos) << log;
    EXPECT_NE(log.find("allreduce (gloo, 2 ranks)"), std::string::npos) << log;
    EXPECT_EQ(metricsRows(tmp.path() / "run" / "metrics.csv"), 2);
    int entries = 0;
    for (const auto& e : fs::directory_iterator(tmp.path()))
        entries += e.is_directory() ? 1 : 0;
    EXPECT_EQ(entries, 2) << "only sample/ and run/: no rank but 0 writes a run folder";
    const std::string out = readText(tmp / "train.out");
    EXPECT_EQ(out.find("run folder: "), out.rfind("run folder: ")) << "one rank reports:\n" << out;
}

TEST_F(DistCli, ResumesWithAnotherWorldSize) {
    auto two = trainArgs("run", 1);
    two.insert(two.end(), {"--nproc", "2"});
    ASSERT_EQ(runCli(two, tmp / "a.out"), 0) << readText(tmp / "a.out");
    // Two ranks wrote epoch 1; one process goes on to epoch 2, then three ranks to epoch 3.
    const std::string last = tmp / "run/last.pt";
    ASSERT_EQ(runCli({"train", "--resume", last, "--epochs", "2"}, tmp / "b.out"), 0) << readText(tmp / "b.out");
    ASSERT_EQ(runCli({"train", "--resume", last, "--epochs", "3", "--nproc", "3"}, tmp / "c.out"), 0)
        << readText(tmp / "c.out");
    EXPECT_EQ(metricsRows(tmp.path() / "run" / "metrics.csv"), 3);
    const std::string log = readText(tmp.path() / "run" / "train.log");
    EXPECT_NE(log.find("after epoch 1"), std::string::npos) << log;
    EXPECT_NE(log.find("after epoch 2"), std::string::npos) << log;
    EXPECT_NE(log.find("3 processes (gloo)"), std::string::npos) << log;
}

TEST_F(DistCli, CtrlCStopsEveryRankAtTheSameStep) {
    auto args = trainArgs("run", 200);
    args.insert(args.end(), {"--nproc", "2"});
    const pid_t job = startCli(args, tmp / "train.out");
    const auto until = Clock::now() + std::chrono::seconds(60);
    while (readText(tmp / "train.out").find("loss") == std::string::npos && Clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    kill(-job, SIGINT);  // the terminal's Ctrl+C: the launcher and both workers
    const int code = waitExit(job, 60);
    const std::string out = readText(tmp / "train.out");
    EXPECT_EQ(code, 130) << out;
    EXPECT_EQ(out.find("process group failed"), std::string::npos) << "no rank left the others waiting:\n" << out;
    EXPECT_TRUE(fs::exists(tmp.path() / "run" / "last.pt"));
    EXPECT_NE(readText(tmp.path() / "run" / "train.log").find("cancelled during epoch"), std::string::npos);
}

TEST_F(DistCli, AKilledRankStopsTheOthersWithAMessage) {
    const std::string port = std::to_string(freeLocalPort());
    std::vector<pid_t> ranks;
    // Ranks started by hand (as torchrun would) train a given config: each planning on its own is refused.
    auto args = trainArgs("run", 200);
    args.insert(args.end(), {"--config", MF_SOURCE_DIR "/configs/quick-cpu.yaml"});
    for (int r = 0; r < 3; ++r)
        ranks.push_back(startCli(args, tmp / ("rank" + std::to_string(r) + ".out"),
                                 {{"RANK", std::to_string(r)}, {"WORLD_SIZE", "3"}, {"MASTER_ADDR", "127.0.0.1"},
                                  {"MASTER_PORT", port}, {"MF_DIST_TIMEOUT", "20"}}));
    // Training has started on every rank once rank 0 reports a finished step.
    const auto until = Clock::now() + std::chrono::seconds(60);
    while (readText(tmp / "rank0.out").find("loss") == std::string::npos && Clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_NE(readText(tmp / "rank0.out").find("loss"), std::string::npos) << readText(tmp / "rank0.out");
    const auto t0 = Clock::now();
    kill(ranks[1], SIGKILL);
    waitpid(ranks[1], nullptr, 0);
    for (int r : {0, 2}) {
        const int code = waitExit(ranks[r], 40);
        const std::string out = readText(tmp / ("rank" + std::to_string(r) + ".out"));
        EXPECT_NE(code, -1) << "rank " << r << " still running 40 s after its peer died";
        EXPECT_NE(code, 0) << out;
        EXPECT_NE(out.find("rank " + std::to_string(r) + " of 3: the process group failed"), std::string::npos) << out;
    }
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 30.0) << "within the 20 s timeout (+ exit)";
}

} // namespace
} // namespace mf::dist
