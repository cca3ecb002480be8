#include "machine/cpucache.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <unordered_map>

namespace mf {
namespace {

constexpr std::size_t kSmall = std::size_t{1} << 20;  // below this, c10's allocator (glibc) does well
constexpr std::size_t kHuge = std::size_t{2} << 20;   // huge-page size: large blocks are multiples of it

std::size_t defaultCap() {
    if (const char* env = std::getenv("MF_CPU_CACHE_MB"))
        return static_cast<std::size_t>(std::strtoull(env, nullptr, 10)) << 20;
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    const std::size_t ram = pages > 0 && pageSize > 0 ? std::size_t(pages) * std::size_t(pageSize) : 0;
    return std::min(ram / 4, std::size_t{8} << 30);
}

class CachingCpuAllocator final : public c10::Allocator {
public:
    explicit CachingCpuAllocator(std::size_t cap) : m_cap(cap) {}

    c10::DataPtr allocate(std::size_t n) const override {
        void* p = n < kSmall ? c10::alloc_cpu(n) : take(n);
        return {p, p, &deleter, c10::Device(c10::DeviceType::CPU)};
    }
    c10::DeleterFnPtr raw_deleter() const override { return &deleter; }

    CpuCacheStats stats() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return {true, m_cap, m_cachedBytes, m_hits, m_misses};
    }
    void release() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (auto& [size, p] : m_free)
            std::free(p);
        m_free.clear();
        m_cachedBytes = 0;
    }

private:
    static void deleter(void* p);

    void* take(std::size_t n) const {
        const std::size_t size = (n + kHuge - 1) / kHuge * kHuge;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            // A free block of this size, or one at most a quarter larger (shapes repeat every step).
            auto it = m_free.lower_bound(size);
            if (it != m_free.end() && it->first <= size + size / 4) {
                void* p = it->second;
                m_cachedBytes -= it->first;
                m_live[p] = it->first;
                m_free.erase(it);
                ++m_hits;
                return p;
            }
            ++m_misses;
        }
        void* p = std::aligned_alloc(kHuge, size);
        if (!p) {
            release();  // give the cache back and try once more before failing like c10 does
            p = std::aligned_alloc(kHuge, size);
            if (!p)
                throw c10::Error({__func__, __FILE__, static_cast<uint32_t>(__LINE__)},
                                 "caching CPU allocator: out of memory allocating " + std::to_string(size) + " bytes");
        }
        madvise(p, size, MADV_HUGEPAGE);  // advice only: fine if the kernel says no
        std::lock_guard<std::mutex> lock(m_mutex);
        m_live[p] = size;
        return p;
    }

    void give(void* p) const {
        std::unique_lock<std::mutex> lock(m_mutex);
        auto it = m_live.find(p);
        if (it == m_live.end()) {
            lock.unlock();
            c10::free_cpu(p);  // a small block
            return;
        }
        const std::size_t size = it->second;
        m_live.erase(it);
        if (m_cachedBytes + size > m_cap) {
            lock.unlock();
            std::free(p);
            return;
        }
        m_free.emplace(size, p);
        m_cachedBytes += size;
    }

    std::size_t m_cap;
    mutable std::mutex m_mutex;
    mutable std::multimap<std::size_t, void*> m_free;
    mutable std::unordered_map<void*, std::size_t> m_live;
    mutable std::size_t m_cachedBytes = 0, m_hits = 0, m_misses = 0;
};

CachingCpuAllocator* g_allocator = nullptr;

void CachingCpuAllocator::deleter(void* p) {
    if (p)
        g_allocator->give(p);
}

std::once_flag g_once;

} // namespace

bool installCpuCache() {
    std::call_once(g_once, [] {
        const std::size_t cap = defaultCap();
        if (cap == 0)
            return;
        // Never destroyed: tensors held by other static objects may be freed after main returns.
        g_allocator = new CachingCpuAllocator(cap);
        c10::SetCPUAllocator(g_allocator, /*priority=*/1);
    });
    return g_allocator != nullptr;
}

CpuCacheStats cpuCacheStats() { return g_allocator ? g_allocator->stats() : CpuCacheStats{}; }

void releaseCpuCache() {
    if (g_allocator)
        g_allocator->release();
}

} // namespace mf
