#include "dist/world.h"

#include <cstdlib>
#include <stdexcept>

namespace mf::dist {
namespace {

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

long long envInteger(const char* name, long long fallback, long long lo, long long hi) {
    const char* v = env(name);
    if (!v)
        return fallback;
    char* end = nullptr;
    const long long n = std::strtoll(v, &end, 10);
    if (*end != '\0' || n < lo || n > hi)
        throw std::invalid_argument("environment variable " + std::string(name) + "='" + v +
                                    "': expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    return n;
}

} // namespace

WorldInfo worldFromEnvironment() {
    WorldInfo w;
    w.worldSize = static_cast<int>(envInteger("WORLD_SIZE", 1, 1, 1 << 20));
    if (!w.distributed())
        return w;
    for (const char* required : {"RANK", "MASTER_ADDR", "MASTER_PORT"})
        if (!env(required))
            throw std::invalid_argument("environment variable " + std::string(required) + " is not set, but WORLD_SIZE=" +
                                        std::to_string(w.worldSize) + " asks for a distributed run (torchrun sets both)");
    w.rank = static_cast<int>(envInteger("RANK", 0, 0, w.worldSize - 1));
    w.localRank = static_cast<int>(envInteger("LOCAL_RANK", w.rank, 0, w.worldSize - 1));
    w.masterAddr = env("MASTER_ADDR");
    w.masterPort = static_cast<int>(envInteger("MASTER_PORT", 0, 1, 65535));
    const char* agent = env("TORCHELASTIC_USE_AGENT_STORE");
    w.agentStore = agent && std::string(agent) == "True";
    w.restartCount = static_cast<int>(envInteger("TORCHELASTIC_RESTART_COUNT", 0, 0, 1 << 20));
    return w;
}

std::chrono::milliseconds timeoutFromEnvironment(std::chrono::milliseconds fallback) {
    const long long s = envInteger("MF_DIST_TIMEOUT", -1, 1, 7 * 24 * 3600);
    return s < 0 ? fallback : std::chrono::milliseconds(s * 1000);
}

} // namespace mf::dist
