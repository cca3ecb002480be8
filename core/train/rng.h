#pragma once
#include <cstdint>
#include <random>

namespace mf {

// Random draws for the data pipeline made from the generator's raw 64-bit output: the std
// distributions are implementation-defined, so a seed would give other augmentations with another
// standard library.

/** Uniform real in [lo, hi). */
inline double uniformReal(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * (static_cast<double>(rng() >> 11) * 0x1.0p-53);
}

/** Uniform integer in [lo, hi] (inclusive; the modulo bias is below 2^-40 for image-sized ranges). */
inline int uniformInt(std::mt19937_64& rng, int lo, int hi) {
    if (hi <= lo)
        return lo;
    return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
}

/** True with probability p; always consumes one draw so streams stay aligned whatever p is. */
inline bool chance(std::mt19937_64& rng, double p) { return uniformReal(rng, 0.0, 1.0) < p; }

/** SplitMix64 finaliser: a well-mixed 64-bit hash, used to derive independent seeds. */
inline std::uint64_t mix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/** A seed for (run seed, epoch, item): distinct for every triple, unlike seed ^ epoch ^ index. */
inline std::uint64_t sampleSeed(std::uint64_t seed, std::uint64_t epoch, std::uint64_t item) {
    return mix64(mix64(mix64(seed) ^ epoch) ^ item);
}

} // namespace mf
