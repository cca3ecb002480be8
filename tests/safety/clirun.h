#pragma once
// Runs maskforge-cli for the safety tests: exit status, whether a signal ended it, all its output.
#include "io/atomicfile.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace mf::test {

struct CliResult {
    int exitCode = -1;
    bool signalled = false;
    std::string output;
};

inline std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/** Runs `maskforge-cli args...` with `env` ("NAME=value" words) added, stdout and stderr together. */
inline CliResult runCli(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::string cmd = "env OMP_NUM_THREADS=1";
    for (const auto& e : env)
        cmd += " " + shellQuote(e);
    cmd += " " + shellQuote(MF_CLI_PATH);
    for (const auto& a : args)
        cmd += " " + shellQuote(a);
    cmd += " 2>&1";
    CliResult r;
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe)
        return r;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
        r.output.append(buf, n);
    const int status = ::pclose(pipe);
    // popen runs sh -c; a signal that ends the CLI shows as sh's exit status 128 + signal.
    r.signalled = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) > 128);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/** Every file under `root` with its bytes: equal snapshots mean nothing on disk changed. */
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& root) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        out[it->path().string()] = it->is_regular_file() ? readFileBytes(it->path().string()) : std::string("<dir>");
    return out;
}

} // namespace mf::test
