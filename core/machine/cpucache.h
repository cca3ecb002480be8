#pragma once
#include <cstddef>

namespace mf {

/**
 * A caching allocator for torch's CPU tensors, for programs that run networks (installCpuCache). glibc hands blocks over 32 MB to mmap and back to the kernel on free, so
 * every training step and every inference pass page-faults its activations in again, 4 KiB at a
 * time (millions of faults per step at 256², batch 8). Here blocks of 1 MiB and more are kept after
 * free, by size, up to a cap (MF_CPU_CACHE_MB, default a quarter of the RAM, at most 8 GiB), and are
 * backed by transparent huge pages where the kernel allows it (madvise). Smaller blocks go to
 * c10's own allocator. Thread-safe.
 */
/** Installs it as torch's CPU allocator, once (later calls do nothing); call it at the start of
 *  main(), before other threads exist (c10::SetAllocator is not thread-safe). MF_CPU_CACHE_MB=0
 *  leaves c10's allocator in place. Returns whether it is installed. */
bool installCpuCache();

struct CpuCacheStats {
    bool installed = false;
    std::size_t capBytes = 0;
    std::size_t cachedBytes = 0;  ///< free blocks held for reuse
    std::size_t hits = 0, misses = 0;
};
CpuCacheStats cpuCacheStats();
/** Returns every cached free block to the system (e.g. after a large prediction in the GUI). */
void releaseCpuCache();

} // namespace mf
