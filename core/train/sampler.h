#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mf::dist {

/** The indices 0..n-1 in the order of epoch `epoch`: a Fisher–Yates shuffle drawn from (seed, epoch),
 *  the same on every rank and every standard library. The single-process loader uses it too, so one
 *  rank of one sees exactly the order it always saw. */
std::vector<std::size_t> epochPermutation(std::size_t n, std::uint64_t seed, int epoch);

/** Rank `rank`'s share of `order` in a world of `worldSize` (PyTorch's DistributedSampler):
 *  elements rank, rank+W, rank+2W, … With `pad`, the order is first extended by repeating its head
 *  until its length divides by W, so every rank gets ceil(n/W) items and takes the same number of
 *  steps (training); without, ranks get n/W or n/W+1 and every item is seen exactly once
 *  (validation). World size 1 returns `order` unchanged. */
std::vector<std::size_t> shardOf(const std::vector<std::size_t>& order, int rank, int worldSize, bool pad);

/** How many items shardOf gives rank `rank`. */
std::size_t shardSize(std::size_t n, int rank, int worldSize, bool pad);

} // namespace mf::dist
