#include "bench/peerbench.h"

#include "machine/cpucache.h"
#include "machine/cpuinfo.h"
#include "machine/device.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace mf {
namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string loadAverage() {
    std::ifstream f("/proc/loadavg");
    std::string one, five, fifteen;
    f >> one >> five >> fifteen;
    return one.empty() ? "unknown" : one + " " + five + " " + fifteen;
}

double median(std::vector<double> v) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Samples {
    std::vector<double> train, infer, module;
    double gflop = 0;
};

} // namespace

std::string findPeerScript(const std::string& explicitPath) {
    if (!explicitPath.empty()) {
        if (!fs::is_regular_file(explicitPath))
            throw std::runtime_error("bench --peer-script: no file '" + explicitPath + "'");
        return explicitPath;
    }
    std::vector<fs::path> roots{fs::current_path()};
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        for (auto p = exe.parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path())
            roots.push_back(p);
    std::string looked;
    for (const auto& root : roots) {
        for (const auto& candidate : {root / "benchmarks" / "peer_pytorch.py",
                                      root / "share" / "maskforge" / "peer_pytorch.py"}) {
            if (fs::is_regular_file(candidate))
                return candidate.string();
        }
        looked += " " + root.string();
    }
    throw std::runtime_error("bench --compare-peer: benchmarks/peer_pytorch.py not found under" + looked +
                             "; give it with --peer-script");
}

std::vector<BenchResult> runPeerBenchmark(const BenchOptions& o, const PeerOptions& peer) {
    std::string python = peer.python;
    if (python.empty())
        python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    std::ostringstream cmd;
    cmd << quoted(python) << " " << quoted(findPeerScript(peer.script)) << " --arch " << quoted(o.arch)
        << " --width " << o.width << " --depth " << o.depth << " --size " << o.size << " --batch " << o.batch << " --steps " << o.steps
        << " --threads " << useThreads(o.threads);
    if (o.channelsLast)
        cmd << " --channels-last";
    if (o.bf16)
        cmd << " --bf16";
    cmd << " 2>&1";
    FILE* pipe = popen(cmd.str().c_str(), "r");
    if (!pipe)
        throw std::runtime_error("bench: cannot start the peer: " + cmd.str());
    std::string output, line;
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe))
        output += buffer;
    const int status = pclose(pipe);
    std::vector<BenchResult> results;
    std::istringstream lines(output);
    while (std::getline(lines, line)) {
        if (line.empty() || line.front() != '{')
            continue;
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.contains("train_img_s"))
            continue;
        BenchResult r;
        r.model = j.value("model", "");
        r.size = j.value("size", 0);
        r.batch = j.value("batch", 0);
        r.width = j.value("width", 0);
        r.threads = j.value("threads", 0);
        r.precision = j.value("precision", "");
        r.layout = j.value("layout", "");
        r.trainImagesPerSecond = j.value("train_img_s", 0.0);
        r.inferImagesPerSecond = j.value("infer_img_s", 0.0);
        results.push_back(r);
    }
    if (status != 0 || results.empty())
        throw std::runtime_error("bench: the peer failed (exit status " + std::to_string(WEXITSTATUS(status)) +
                                 "): " + cmd.str() + "\n" + output);
    return results;
}

void compareWithPeer(const BenchOptions& options, const PeerOptions& peer, std::ostream& out) {
    if (peer.repeats < 1)
        throw std::invalid_argument("bench --repeats must be >= 1");
    const CpuInfo& cpu = cpuInfo();
    useThreads(options.threads);
    out << "machine: " << cpu.model << ", " << cpu.cores << " logical CPUs, " << cpu.isa()
        << (cpu.hasBf16Units() ? ", bf16 units" : ", no bf16 units") << ", torch threads " << torch::get_num_threads()
        << "\nload average before: " << loadAverage() << std::endl;
    // key: arch / layout / who
    std::map<std::string, Samples> samples;
    double measured = 0;  // the best matrix product of all rounds: the least disturbed by other load
    for (int round = 0; round < peer.repeats; ++round) {
        for (bool channelsLast : {false, true}) {
            BenchOptions o = options;
            o.channelsLast = channelsLast;
            const std::string layout = channelsLast ? "channels_last" : "contiguous";
            for (const auto& r : runBenchmark(o)) {
                auto& s = samples[r.model + "/" + layout + "/maskforge"];
                s.train.push_back(r.trainImagesPerSecond);
                s.infer.push_back(r.inferImagesPerSecond);
                s.module.push_back(r.inferModuleImagesPerSecond);
                s.gflop = r.gflopPerImage;
            }
            for (const auto& r : runPeerBenchmark(o, peer)) {
                auto& s = samples[r.model + "/" + layout + "/peer"];
                s.train.push_back(r.trainImagesPerSecond);
                s.infer.push_back(r.inferImagesPerSecond);
            }
            measured = std::max(measured, measuredMatmulGflops());
            out << "round " << round + 1 << " " << layout << " done, load " << loadAverage() << std::endl;
        }
    }
    const double nominal = cpu.nominalGflops();
    out << "load average after: " << loadAverage() << "\n";
    out << "fp32 limit: " << std::fixed << std::setprecision(1) << measured
        << " GFLOP/s measured (2048² matrix product, best of each round's 3); nominal " << cpu.cores << " × " << std::setprecision(2)
        << cpu.ghz << " GHz × " << cpu.flopsPerCycle() << " FLOP/cycle (" << cpu.isa()
        << ") = " << std::setprecision(1) << nominal << " GFLOP/s\n";
    const CpuCacheStats cache = cpuCacheStats();
    out << "MaskForge's caching CPU allocator: "
        << (cache.installed ? "on, " + std::to_string(cache.hits) + " reuses, " + std::to_string(cache.misses) + " fresh blocks"
                            : std::string("off"))
        << "\n";
    out << "medians of " << peer.repeats << " interleaved rounds, img/s (" << options.size << "², batch " << options.batch
        << ", width " << options.width << (options.bf16 ? ", bf16" : ", fp32") << ")\n";
    out << std::left << std::setw(8) << "network" << std::setw(15) << "layout" << std::right << std::setw(10)
        << "MF train" << std::setw(11) << "peer train" << std::setw(8) << "ratio" << std::setw(10) << "MF infer"
        << std::setw(11) << "peer infer" << std::setw(8) << "ratio" << std::setw(12) << "MF module" << "\n";
    std::vector<std::string> archs;
    for (const auto& [key, s] : samples) {
        const std::string arch = key.substr(0, key.find('/'));
        if (std::find(archs.begin(), archs.end(), arch) == archs.end())
            archs.push_back(arch);
    }
    out << std::setprecision(2);
    for (const auto& arch : archs) {
        double bestMfTrain = 0, bestMfInfer = 0, bestPeerTrain = 0, bestPeerInfer = 0, gflop = 0;
        for (const std::string layout : {"contiguous", "channels_last"}) {
            const auto& mf = samples[arch + "/" + layout + "/maskforge"];
            const auto& py = samples[arch + "/" + layout + "/peer"];
            const double mt = median(mf.train), mi = median(mf.infer), pt = median(py.train), pi = median(py.infer);
            gflop = mf.gflop;
            bestMfTrain = std::max(bestMfTrain, mt), bestMfInfer = std::max(bestMfInfer, mi);
            bestPeerTrain = std::max(bestPeerTrain, pt), bestPeerInfer = std::max(bestPeerInfer, pi);
            out << std::left << std::setw(8) << arch << std::setw(15) << layout << std::right << std::setw(10) << mt
                << std::setw(11) << pt << std::setw(8) << (pt > 0 ? mt / pt : 0) << std::setw(10) << mi << std::setw(11)
                << pi << std::setw(8) << (pi > 0 ? mi / pi : 0) << std::setw(12) << median(mf.module) << "\n";
        }
        out << arch << " best layouts: train ratio " << (bestPeerTrain > 0 ? bestMfTrain / bestPeerTrain : 0)
            << ", infer ratio " << (bestPeerInfer > 0 ? bestMfInfer / bestPeerInfer : 0);
        if (gflop > 0 && measured > 0) {
            // Training ≈ 3 forward passes of work (forward, and backward to inputs and to weights).
            out << "; " << gflop << " GFLOP/img forward; infer MF " << 100 * bestMfInfer * gflop / measured
                << " % / peer " << 100 * bestPeerInfer * gflop / measured << " % of the measured limit, train MF "
                << 100 * 3 * bestMfTrain * gflop / measured << " % / peer " << 100 * 3 * bestPeerTrain * gflop / measured
                << " %";
        }
        out << "\n";
    }
}

} // namespace mf
