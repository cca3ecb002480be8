#include "machine/cpuinfo.h"

#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace mf {

std::string CpuInfo::isa() const {
    if (avx512f)
        return "avx512";
    if (avx2 && fma)
        return "avx2";
    return "sse";
}

int CpuInfo::flopsPerCycle() const {
    if (avx512f)
        return vendor == "AuthenticAMD" && family == 25 ? 32 : 64;
    if (avx2 && fma)
        return 32;
    return 8;
}

double CpuInfo::nominalGflops() const { return cores * ghz * flopsPerCycle(); }

CpuInfo parseCpuInfo(const std::string& text, int cores) {
    CpuInfo info;
    info.model = "unknown";
    info.cores = std::max(1, cores);
    std::istringstream in(text);
    std::string line;
    bool seenFlags = false;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string key = line.substr(0, colon);
        key.erase(key.find_last_not_of(" \t") + 1);
        const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
        if (key == "model name" && info.model == "unknown")
            info.model = value;
        else if (key == "vendor_id" && info.vendor.empty())
            info.vendor = value;
        else if (key == "cpu family" && info.family == 0)
            info.family = std::atoi(value.c_str());
        else if (key == "cpu MHz" && info.ghz == 0)
            info.ghz = std::atof(value.c_str()) / 1000.0;
        else if (key == "flags" && !seenFlags) {
            seenFlags = true;
            std::istringstream flags(value);
            std::string f;
            while (flags >> f) {
                info.avx2 |= f == "avx2";
                info.fma |= f == "fma";
                info.avx512f |= f == "avx512f";
                info.avx512bf16 |= f == "avx512_bf16";
                info.amxbf16 |= f == "amx_bf16";
            }
        }
    }
    return info;
}

const CpuInfo& cpuInfo() {
    static const CpuInfo info = [] {
        std::ifstream f("/proc/cpuinfo");
        std::stringstream text;
        text << f.rdbuf();
        return parseCpuInfo(text.str(), static_cast<int>(std::thread::hardware_concurrency()));
    }();
    return info;
}

double measuredMatmulGflops(int n, int repeats) {
    torch::NoGradGuard noGrad;
    const auto a = torch::rand({n, n}), b = torch::rand({n, n});
    auto c = torch::mm(a, b);  // warm-up
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        torch::mm_out(c, a, b);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return 2.0 * n * n * static_cast<double>(n) / best / 1e9;
}

} // namespace mf
