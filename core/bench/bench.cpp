#include "bench/bench.h"

#include "infer/fastinfer.h"
#include "infer/predictor.h"
#include "machine/cpuinfo.h"
#include "machine/device.h"
#include "models/modelfactory.h"
#include "train/datasplit.h"
#include "train/loader.h"
#include "train/losses.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>

namespace mf {
namespace {

using Clock = std::chrono::steady_clock;

void synchronize(const torch::Device& device) {
    if (device.is_cuda())
        torch::cuda::synchronize();
}

/** Seconds for `steps` calls of `step` after one untimed warm-up call. */
template <class Step>
double timed(int steps, const torch::Device& device, Step&& step) {
    step();
    synchronize(device);
    const auto t0 = Clock::now();
    for (int i = 0; i < steps; ++i)
        step();
    synchronize(device);
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

BenchResult benchOne(const std::string& arch, const BenchOptions& o, const torch::Device& device) {
    ModelSpec spec;
    spec.arch = arch;
    spec.width = o.width;
    spec.depth = o.depth;
    spec.classes = o.classes;
    torch::manual_seed(0);
    auto model = makeModel(spec);
    model->to(device);
    if (o.channelsLast)
        toChannelsLast(*model);
    auto x = torch::randn({o.batch, 3, o.size, o.size}).to(device);
    if (o.channelsLast)
        x = x.contiguous(at::MemoryFormat::ChannelsLast);
    const auto y = torch::randint(0, o.classes, {o.batch, o.size, o.size}, torch::kLong).to(device);
    torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(1e-3));

    model->train();
    const double trainSeconds = timed(o.steps, device, [&] {
        adam.zero_grad();
        torch::Tensor logits;
        {
            AutocastScope autocast(o.bf16, device);
            logits = model->forward(x);
        }
        auto loss = crossEntropyLoss(logits, y, {}, -1) + diceLoss(logits, y, false, 1.0, -1);
        loss.backward();
        adam.step();
    });
    BenchResult r;
    r.model = arch;
    r.size = o.size;
    r.batch = o.batch;
    r.width = o.width;
    r.threads = torch::get_num_threads();
    r.precision = o.bf16 ? (device.is_cuda() ? "fp16" : "bf16") : "fp32";
    r.layout = o.channelsLast ? "channels_last" : "contiguous";
    r.trainImagesPerSecond = o.steps * o.batch / trainSeconds;
    if (!o.inference)
        return r;
    model->eval();
    double moduleSeconds = 0;
    {
        torch::NoGradGuard noGrad;  // the plain module, as a Python script would run it
        moduleSeconds = timed(o.steps, device, [&] {
            AutocastScope autocast(o.bf16, device);
            model->forward(x);
        });
    }
    // The fast path the predictor uses, in the layout asked for (the comparison covers both), or in the
    // one it measures itself, as predict runs.
    FastInferOptions fo;
    fo.measureLayout = o.inferLayoutAsPredict;
    fo.forceLayout = o.channelsLast ? InferLayout::ChannelsLast : InferLayout::Contiguous;
    fo.bf16 = o.bf16;
    FastInference fast(model, fo);
    const double inferSeconds = timed(o.steps, device, [&] { fast.forward(x); });
    r.inferImagesPerSecond = o.steps * o.batch / inferSeconds;
    r.inferModuleImagesPerSecond = o.steps * o.batch / moduleSeconds;
    r.gflopPerImage = fast.flopsPerImage(o.size, o.size) / 1e9;
    r.inferPath = fast.describe();
    return r;
}

} // namespace

std::vector<BenchResult> runBenchmark(const BenchOptions& o) {
    if (o.steps < 1 || o.batch < 1 || o.size < 16 || o.width < 1)
        throw std::invalid_argument("bench: steps, batch and width must be >= 1 and size >= 16");
    const torch::Device device = resolveDevice(o.device);
    useThreads(o.threads);
    std::vector<std::string> archs;
    if (o.arch == "both")
        archs = {"encdec", "unet"};
    else if (o.arch == "encdec" || o.arch == "unet" || o.arch == "unetpp")
        archs = {o.arch};
    else
        throw std::invalid_argument("bench --arch: '" + o.arch + "' is not one of encdec, unet, unetpp, both");
    std::vector<BenchResult> out;
    for (const auto& a : archs)
        out.push_back(benchOne(a, o, device));
    return out;
}

std::vector<BenchResult> runBenchmarkAsChosen(BenchOptions o, const std::string& precision, const std::string& layout) {
    if (layout != "auto" && layout != "contiguous" && layout != "channels_last")
        throw std::invalid_argument("bench --layout: '" + layout + "' is not one of auto, contiguous, channels_last");
    const bool cuda = resolveDevice(o.device).is_cuda();
    o.bf16 = resolveInferPrecision(precision, cuda, cpuInfo().hasBf16Units()) == "bf16";
    const bool chosen = precision == "auto" || layout == "auto";
    if (layout != "auto") {
        o.channelsLast = layout == "channels_last";
        std::vector<BenchResult> out = runBenchmark(o);
        for (BenchResult& r : out)
            r.mode = chosen ? "auto" : "as asked";
        return out;
    }
    o.inferLayoutAsPredict = true;
    o.channelsLast = false;
    std::vector<BenchResult> out = runBenchmark(o);
    o.channelsLast = true;
    const std::vector<BenchResult> last = runBenchmark(o);
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (last[i].trainImagesPerSecond > out[i].trainImagesPerSecond)
            out[i] = last[i];
        out[i].mode = "auto";
    }
    return out;
}

LoaderBenchResult runLoaderBenchmark(const LoaderBenchOptions& o) {
    if (o.batches < 1 || o.batch < 1 || o.size < 16 || o.workers < 0)
        throw std::invalid_argument("bench --loader: batches and batch must be >= 1, size >= 16, workers >= 0");
    TrainConfig config;
    config.size = o.size;
    config.batch = o.batch;
    config.workers = o.workers;
    config.cacheMB = o.cache ? config.cacheMB : 0;
    auto& a = config.augment;  // everything on, every time (mosaic half the time)
    a.hflip = a.vflip = a.shiftScaleRotate = a.gaussianBlur = a.brightnessContrast = a.jpeg = 1.0;
    a.gridDistortion = a.opticalDistortion = a.randomCrop = 1.0;
    a.mosaic = 0.5;
    DataLoader loader(loadItems(o.data), config, true);
    Batch batch;
    int epoch = 1, done = -1;  // the first batch warms the cache and the threads up
    double seconds = 0;
    loader.startEpoch(epoch);
    auto t0 = Clock::now();
    while (done < o.batches) {
        if (!loader.next(batch)) {
            loader.startEpoch(++epoch);
            continue;
        }
        if (++done == 0)
            t0 = Clock::now();
    }
    seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    LoaderBenchResult r;
    r.size = o.size;
    r.batch = o.batch;
    r.workers = o.workers;
    r.batches = o.batches;
    r.imagesPerSecond = o.batches * o.batch / seconds;
    return r;
}

std::string loaderBenchToJson(const LoaderBenchResult& r) {
    nlohmann::ordered_json j{{"loader", "all augmentations"}, {"size", r.size}, {"batch", r.batch},
                             {"workers", r.workers}, {"batches", r.batches}, {"img_s", r.imagesPerSecond}};
    return j.dump();
}

std::string benchToJson(const BenchResult& r) {
    nlohmann::ordered_json j{{"model", r.model},           {"size", r.size},
                             {"batch", r.batch},           {"width", r.width},
                             {"threads", r.threads},       {"precision", r.precision},
                             {"layout", r.layout},         {"train_img_s", r.trainImagesPerSecond},
                             {"infer_img_s", r.inferImagesPerSecond},
                             {"infer_module_img_s", r.inferModuleImagesPerSecond},
                             {"gflop_per_img", r.gflopPerImage},
                             {"infer_path", r.inferPath},  {"mode", r.mode}};
    return j.dump();
}

} // namespace mf
