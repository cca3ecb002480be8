#pragma once
#include "bench/bench.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace mf {

/** The Python peer of `bench` (benchmarks/peer_pytorch.py): the same networks and protocol in
 *  PyTorch's Python API on the same libtorch, run as a child process. */
struct PeerOptions {
    std::string python;  ///< interpreter with torch; empty: /usr/bin/python3 when present, else python3
    std::string script;  ///< peer_pytorch.py; empty: looked up next to the executable's source tree
    int repeats = 3;     ///< interleaved MaskForge / peer rounds; the table holds medians
};

/** The peer script: `explicitPath` when given (must exist), else benchmarks/peer_pytorch.py found
 *  above the running executable or the working directory. Throws std::runtime_error naming the
 *  places looked at. */
std::string findPeerScript(const std::string& explicitPath);

/** Runs the peer once with the options' network, size, batch, steps, threads, layout and precision;
 *  throws std::runtime_error with the command and its exit status when it fails or prints no result. */
std::vector<BenchResult> runPeerBenchmark(const BenchOptions& options, const PeerOptions& peer);

/** Runs MaskForge and the peer back to back (A B A B …, both layouts, `peer.repeats` rounds) and
 *  writes the table of medians, the ratios of the best layouts and the fraction of the machine's
 *  fp32 limit (measured by a matrix product, nominal figure beside it) to `out`. */
void compareWithPeer(const BenchOptions& options, const PeerOptions& peer, std::ostream& out);

} // namespace mf
