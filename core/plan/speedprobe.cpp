#include "plan/speedprobe.h"

#include "io/errors.h"
#include "io/imageio.h"
#include "train/bench.h"
#include "train/datasplit.h"

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
    o.threads = threads;
    o.device = device;
    MachineSpeed s;
    const double mpPerImage = o.size * o.size / 1e6;
    o.width = 16;
    const BenchResult r16 = runBenchmark(o).front();
    o.width = 32;
    const BenchResult r32 = runBenchmark(o).front();
    s.trainSecondsPerMegapixel16 = 1.0 / (r16.trainImagesPerSecond * mpPerImage);
    s.trainSecondsPerMegapixel32 = 1.0 / (r32.trainImagesPerSecond * mpPerImage);
    s.note = std::to_string(r16.threads) + " threads, " + loadNote();
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
