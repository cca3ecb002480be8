#include "train/calibraterun.h"

#include "infer/evaluate.h"
#include "infer/predictor.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "models/checkpoint.h"
#include "models/modelfactory.h"
#include "runs/trainconfig.h"
#include "train/optim.h"

#include <torch/torch.h>

#include <algorithm>

namespace mf {

void writeCheckpointCalibration(const std::string& checkpoint, const CalibrationFit& fit) {
    CheckpointMeta meta = readCheckpointMeta(checkpoint);
    auto model = makeModel(meta.spec);
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    if (!meta.configYaml.empty())
        optimizer = makeOptimizer(parseTrainConfig(meta.configYaml, checkpoint + " (embedded config)"), model->parameters());
    // The checkpoint's RNG state is loaded into the process's generator so that it is written back; the
    // process's own state is put back afterwards.
    auto generator = at::detail::getDefaultCPUGenerator();
    const torch::Tensor ours = generator.get_state();
    try {
        try {
            meta = loadCheckpoint(checkpoint, *model, optimizer.get(), true, torch::kCPU);
        } catch (const FileError&) {
            if (!optimizer)
                throw;
            optimizer.reset();  // a checkpoint without optimiser state (exported, or best.pt of old runs)
            meta = loadCheckpoint(checkpoint, *model, nullptr, true, torch::kCPU);
        }
        meta.classBias = fit.applied ? fit.bias : std::vector<double>{};
        meta.calibrationNote = fit.note;
        saveCheckpoint(checkpoint, *model, optimizer.get(), meta);
    } catch (...) {
        generator.set_state(ours);
        throw;
    }
    generator.set_state(ours);
}

CalibrationFit calibrateCheckpoint(const std::string& checkpoint, const std::vector<LoaderItem>& evidence,
                                   const std::string& evidenceNote, const std::string& device, bool write,
                                   const std::function<bool(int, int)>& progress) {
    PredictOptions options = evaluationOptions();
    options.calibrated = false;
    auto predictor = Predictor::open(checkpoint, device, options.precision);
    const int classes = predictor->classCount();
    const CheckpointMeta meta = readCheckpointMeta(checkpoint);
    CalibrationSamples samples(classes, meta.ignoreIndex);
    const long budget = 4L << 20;  // pixels in all: a few seconds per fit
    const long perImage = std::max(4096L, budget / std::max<long>(1, static_cast<long>(evidence.size())));
    int done = 0;
    for (const LoaderItem& item : evidence) {
        const cv::Mat rgb = readImageRgb(item.image);
        const cv::Mat truth = readMask(item.mask, item.maskEncoding);
        if (truth.size() != rgb.size())
            throw FileError(item.mask, "mask is " + std::to_string(truth.cols) + "×" + std::to_string(truth.rows) +
                                           ", its image " + std::to_string(rgb.cols) + "×" + std::to_string(rgb.rows));
        samples.add(predictor->predict(rgb, options), truth, perImage);
        if (progress && !progress(++done, static_cast<int>(evidence.size())))
            throw std::runtime_error("calibration cancelled");
    }
    predictor.reset();
    CalibrationFit fit = fitClassBias(samples, evidenceNote);
    if (write)
        writeCheckpointCalibration(checkpoint, fit);
    return fit;
}

} // namespace mf
