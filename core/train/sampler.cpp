#include "train/sampler.h"

#include "train/rng.h"

#include <limits>
#include <stdexcept>
#include <string>

namespace mf::dist {

std::vector<std::size_t> epochPermutation(std::size_t n, std::uint64_t seed, int epoch) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i)
        order[i] = i;
    // Own Fisher–Yates: std::shuffle's draws differ between standard libraries.
    std::mt19937_64 rng(sampleSeed(seed, static_cast<std::uint64_t>(epoch), std::numeric_limits<std::uint64_t>::max()));
    for (std::size_t i = n; i > 1; --i)
        std::swap(order[i - 1], order[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(i - 1)))]);
    return order;
}

std::size_t shardSize(std::size_t n, int rank, int worldSize, bool pad) {
    if (worldSize < 1 || rank < 0 || rank >= worldSize)
        throw std::invalid_argument("shard: rank " + std::to_string(rank) + " outside a world of " +
                                    std::to_string(worldSize));
    const auto w = static_cast<std::size_t>(worldSize), r = static_cast<std::size_t>(rank);
    if (pad)
        return n == 0 ? 0 : (n + w - 1) / w;
    return n / w + (r < n % w ? 1 : 0);
}

std::vector<std::size_t> shardOf(const std::vector<std::size_t>& order, int rank, int worldSize, bool pad) {
    const std::size_t count = shardSize(order.size(), rank, worldSize, pad);
    std::vector<std::size_t> out;
    out.reserve(count);
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = static_cast<std::size_t>(rank) + k * static_cast<std::size_t>(worldSize);
        out.push_back(order[i % order.size()]);
    }
    return out;
}

} // namespace mf::dist
