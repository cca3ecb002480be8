#pragma once
#include <string>

namespace mf {

/** What this machine's CPU offers for the network kernels, read from /proc/cpuinfo at run time. */
struct CpuInfo {
    std::string model;        ///< "model name", or "unknown"
    std::string vendor;       ///< "vendor_id"
    int family = 0;           ///< "cpu family"
    int cores = 1;            ///< logical CPUs usable by this process
    double ghz = 0;           ///< "cpu MHz" of the first CPU / 1000 (0 when unknown)
    bool avx2 = false, fma = false, avx512f = false;
    bool avx512bf16 = false;  ///< AVX-512 BF16 (vdpbf16ps)
    bool amxbf16 = false;     ///< AMX tiles with bf16
    /** bf16 runs on dedicated units here (AVX-512 BF16 or AMX): the only case where bf16 may pay on a CPU. */
    bool hasBf16Units() const { return avx512bf16 || amxbf16; }
    /** The widest vector ISA: "avx512", "avx2", "sse". */
    std::string isa() const;
    /** fp32 FLOPs per cycle per core assumed for the ISA: two FMA pipes of the vector width
     *  (AVX2: 2×8×2 = 32, AVX-512: 64), except AMD Zen 4 (family 25), which runs AVX-512 as two
     *  256-bit halves: 32. */
    int flopsPerCycle() const;
    /** cores × GHz × FLOPs/cycle in GFLOP/s (0 when the clock is unknown). */
    double nominalGflops() const;
};

/** This machine's CPU (parsed once). */
const CpuInfo& cpuInfo();
/** Parses a /proc/cpuinfo text (for tests). */
CpuInfo parseCpuInfo(const std::string& text, int cores);

/** fp32 GFLOP/s of a `n`×`n` matrix product with torch's current thread count (best of `repeats`):
 *  the practical fp32 limit of the machine for these kernels. */
double measuredMatmulGflops(int n = 2048, int repeats = 3);

} // namespace mf
