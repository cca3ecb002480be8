#include "plan/speedprobe.h"

#include "bench/bench.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "machine/cpuinfo.h"
#include "machine/device.h"
#include "train/datasplit.h"

#include <cstdio>
#include <fstream>
#include <thread>

namespace mf {
namespace {

std::string loadNote() {
    std::ifstream in("/proc/loadavg");
    double load = 0;
    if (in >> load)
        return "load average " + std::to_string(load).substr(0, 4) + " on " +
               std::to_string(std::thread::hardware_concurrency()) + " cores";
    return {};
}

} // namespace

MachineSpeed measureMachineSpeed(int threads, const std::string& device) {
    BenchOptions o;
    o.arch = "unet";
    o.size = 128;
    o.batch = 4;  // small: the probe must be quick on a busy machine (per pixel it errs on the slow side)
    o.steps = 2;
    o.inference = false;  // the plan needs training speed only
    o.threads = threads;
    o.device = device;
    o.width = 16;
    o.depth = 4;  // the planner's depth for inputs of 64 px and more (shallower nets are a little faster)
    // The training modes this machine may be fastest in: fp32 in both layouts, and bf16 autocast where
    // the CPU has bf16 units (elsewhere it is slower than fp32, and CUDA's fp16 was not measured).
    const bool cpu = resolveDevice(device).is_cpu();
    std::vector<TrainingModeSpeed> modes{{false, false, 0}};
    if (cpu) {
        modes.push_back({false, true, 0});
        if (cpuInfo().hasBf16Units()) {
            modes.push_back({true, false, 0});
            modes.push_back({true, true, 0});
        }
    }
    MachineSpeed s;
    int usedThreads = 0;
    for (std::size_t i = 0; i < modes.size(); ++i) {
        o.bf16 = modes[i].bf16;
        o.channelsLast = modes[i].channelsLast;
        const BenchResult r = runBenchmark(o).front();
        modes[i].imagesPerSecond = r.trainImagesPerSecond;
        usedThreads = r.threads;
        char text[96];
        std::snprintf(text, sizeof text, "%s%s %s %.1f img/s", i ? ", " : "", modes[i].bf16 ? "bf16" : "fp32",
                      modes[i].channelsLast ? "channels-last" : "contiguous", r.trainImagesPerSecond);
        s.modes += text;
    }
    const std::size_t best = chooseTrainingMode(modes);
    const double mpPerImage = o.size * o.size / 1e6;
    s.bf16 = modes[best].bf16;
    s.channelsLast = modes[best].channelsLast;
    s.trainSecondsPerMegapixel16 = 1.0 / (modes[best].imagesPerSecond * mpPerImage);
    o.bf16 = s.bf16;
    o.channelsLast = s.channelsLast;
    o.width = 32;
    const BenchResult r32 = runBenchmark(o).front();
    s.trainSecondsPerMegapixel32 = 1.0 / (r32.trainImagesPerSecond * mpPerImage);
    s.note = std::to_string(usedThreads) + " threads, " + loadNote();
    return s;
}

TrainingPlan planTraining(const PlanRequest& request, const MachineSpeed* given) {
    TrainConfig probe;
    probe.data = request.data;
    probe.val = request.val;
    const DataSplit split = loadDataSplit(probe);
    if (split.train.empty())
        throw FileError(request.data, "no labelled training images to plan from");
    const DatasetFingerprint f = computeFingerprint(split.train, split.classCount, split.ignoreIndex, split.classNames);
    double valMp = 0;
    for (const LoaderItem& item : split.val) {
        const cv::Mat rgb = readImageRgb(item.image);
        valMp += rgb.total() / 1e6;
    }
    const MachineSpeed speed = given ? *given : measureMachineSpeed();
    TrainingPlan plan = makePlan(f, request, speed, static_cast<int>(split.val.size()), valMp);
    plan.header.insert(plan.header.begin() + 1, "  " + split.splitNote + ": " + std::to_string(split.train.size()) +
                                                    " train / " + std::to_string(split.val.size()) + " val images");
    return plan;
}

} // namespace mf
