#pragma once
#include <string>
#include <vector>

namespace mf {

/** The benchmark protocol of specs/reference-models.md: random inputs, one warm-up step, N timed steps. */
struct BenchOptions {
    std::string arch = "both";  ///< encdec | unet | both
    int width = 32;
    int depth = 4;
    int classes = 2;
    int size = 256;
    int batch = 8;
    int steps = 3;
    int threads = 0;            ///< 0: one per core
    bool channelsLast = false;
    bool bf16 = false;          ///< bf16 autocast for the forward passes (CPU)
    bool inference = true;      ///< also time inference; false: training only (the planner's probe)
    bool inferLayoutAsPredict = false;  ///< inference in the layout FastInference measures, as predict runs
    std::string device = "cpu";
};

/** The figures of one network. */
struct BenchResult {
    std::string model;
    int size = 0, batch = 0, width = 0, threads = 0;
    std::string precision;  ///< fp32 | bf16
    std::string layout;     ///< contiguous | channels_last
    double trainImagesPerSecond = 0;
    double inferImagesPerSecond = 0;        ///< the inference fast path (FastInference)
    double inferModuleImagesPerSecond = 0;  ///< the plain module in eval mode under NoGradGuard
    double gflopPerImage = 0;               ///< forward convolutions, 2·MACs (0 when not known)
    std::string inferPath;                  ///< FastInference::describe()
    std::string mode = "as asked";          ///< "auto": the precision and layout the program chooses here
};

/** The data loader alone: every augmentation switched on, batches drawn as fast as it can. */
struct LoaderBenchOptions {
    std::string data;  ///< a project or images/ + masks/ folder
    int size = 256;
    int batch = 8;
    int workers = 2;
    int batches = 20;  ///< timed batches after one warm-up batch
    bool cache = true; ///< decoded images kept in memory (the trainer's default)
};
struct LoaderBenchResult {
    int size = 0, batch = 0, workers = 0, batches = 0;
    double imagesPerSecond = 0;
};
LoaderBenchResult runLoaderBenchmark(const LoaderBenchOptions& options);
std::string loaderBenchToJson(const LoaderBenchResult& r);

/** Runs the protocol for each network `options.arch` names. */
std::vector<BenchResult> runBenchmark(const BenchOptions& options);

/** What `bench` measures without flags: the mode the program runs in here. Precision `precision`
 *  (auto | fp32 | bf16; auto: bf16 where the CPU has bf16 units, as predict and the plan choose,
 *  resolveInferPrecision) and layout `layout` (auto | contiguous | channels_last; auto: both timed
 *  and the faster training kept, as the plan's speed probe does). Results say mode "auto" when
 *  either was auto. Throws std::invalid_argument for other words. */
std::vector<BenchResult> runBenchmarkAsChosen(BenchOptions options, const std::string& precision, const std::string& layout);

/** One line of JSON in the spec's format (plus the layout). */
std::string benchToJson(const BenchResult& r);

} // namespace mf
