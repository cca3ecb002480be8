#include "dist/launcher.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace mf::dist {
namespace {

std::string systemError(const std::string& what) { return what + ": " + std::strerror(errno); }

extern "C" void ignoreInterrupt(int) {}  // unlike SIG_IGN, a handler does not survive exec into the workers

int exitCodeOf(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return 1;
}

std::string describeStatus(int status) {
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    return "exited with code " + std::to_string(exitCodeOf(status));
}

[[noreturn]] void execWorker(const std::vector<std::string>& args, int rank, int nproc, int port) {
    std::signal(SIGINT, SIG_DFL);
    setenv("RANK", std::to_string(rank).c_str(), 1);
    setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
    setenv("WORLD_SIZE", std::to_string(nproc).c_str(), 1);
    setenv("LOCAL_WORLD_SIZE", std::to_string(nproc).c_str(), 1);
    setenv("MASTER_ADDR", "127.0.0.1", 1);
    setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
    unsetenv("TORCHELASTIC_USE_AGENT_STORE");
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    std::fprintf(stderr, "worker %d: cannot start /proc/self/exe: %s\n", rank, std::strerror(errno));
    _exit(127);
}

} // namespace

int freeLocalPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw std::runtime_error(systemError("socket"));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        const std::string e = systemError("bind to a free local port");
        ::close(fd);
        throw std::runtime_error(e);
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

std::vector<std::string> ownCommandLine() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (raw.empty())
        throw std::runtime_error("cannot read /proc/self/cmdline to start the workers");
    std::vector<std::string> args;
    std::size_t start = 0;
    for (std::size_t i = 0; i < raw.size(); ++i)
        if (raw[i] == '\0') {
            args.push_back(raw.substr(start, i - start));
            start = i + 1;
        }
    return args;
}

std::vector<std::string> withoutOption(std::vector<std::string> args, const std::string& flag) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == flag) {
            ++i;  // and its value
            continue;
        }
        if (args[i].rfind(flag + "=", 0) == 0)
            continue;
        out.push_back(args[i]);
    }
    return out;
}

int launchLocalWorkers(const std::vector<std::string>& args, int nproc, std::ostream& log, int graceSeconds) {
    if (nproc < 1)
        throw std::invalid_argument("--nproc must be at least 1");
    const int port = freeLocalPort();
    std::map<pid_t, int> running;  // pid -> rank
    for (int rank = 0; rank < nproc; ++rank) {
        const pid_t pid = fork();
        if (pid < 0) {
            for (const auto& [p, r] : running)
                kill(p, SIGTERM);
            throw std::runtime_error(systemError("fork"));
        }
        if (pid == 0)
            execWorker(args, rank, nproc, port);
        running[pid] = rank;
    }
    auto previous = std::signal(SIGINT, ignoreInterrupt);
    int result = 0;
    bool stopping = false;
    auto deadline = std::chrono::steady_clock::time_point::max();
    while (!running.empty()) {
        int status = 0;
        const pid_t pid = waitpid(-1, &status, stopping ? WNOHANG : 0);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0)
            break;
        if (pid == 0) {  // stopping: poll until the grace time is over
            if (std::chrono::steady_clock::now() > deadline) {
                for (const auto& [p, r] : running)
                    kill(p, SIGKILL);
                deadline = std::chrono::steady_clock::time_point::max();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        const auto it = running.find(pid);
        if (it == running.end())
            continue;
        const int rank = it->second;
        running.erase(it);
        if (exitCodeOf(status) != 0 && result == 0) {
            result = exitCodeOf(status);
            log << "worker rank " << rank << " (pid " << pid << ") " << describeStatus(status);
            if (!running.empty())
                log << "; stopping the other " << running.size() << " worker(s)";
            log << "\n";
            for (const auto& [p, r] : running)
                kill(p, SIGTERM);
            stopping = true;
            deadline = std::chrono::steady_clock::now() + std::chrono::seconds(graceSeconds);
        }
    }
    std::signal(SIGINT, previous);
    return result;
}

} // namespace mf::dist
