#include "infer/evaluate.h"

#include "io/errors.h"
#include "io/imageio.h"
#include "models/checkpoint.h"
#include "project/dataset.h"

#include <filesystem>

namespace mf {
namespace {

std::vector<EvalItem> labelledItems(const std::string& dataset, std::optional<Split> split) {
    const Project project = openDataset(dataset);
    std::vector<EvalItem> items;
    for (const auto& e : project.images()) {
        if (e.mask.empty() || (split && e.split != *split))
            continue;
        items.push_back({std::filesystem::path(e.image).stem().string(), project.absolute(e.image),
                         project.absolute(e.mask), project.maskEncoding(), project.classCount()});
    }
    return items;
}

bool hasAnySplit(const std::string& dataset) {
    const Project project = openDataset(dataset);
    for (const auto& e : project.images())
        if (e.split != Split::None)
            return true;
    return false;
}

} // namespace

std::vector<EvalItem> evaluationItems(const TrainConfig& config, const std::string& splitName, const std::string& data) {
    const auto split = parseSplit(splitName);
    if (!split || *split == Split::None)
        throw std::invalid_argument("split '" + splitName + "' is not one of train, val, test");
    std::string dataset = data;
    std::optional<Split> filter = split;
    if (dataset.empty() && *split == Split::Val && !config.val.empty())
        dataset = config.val, filter.reset();
    if (dataset.empty())
        dataset = config.data;
    if (!data.empty() && !hasAnySplit(data))
        filter.reset();  // a plain folder of held-out images: all of it
    auto items = labelledItems(dataset, filter);
    if (items.empty())
        throw FileError(dataset, "no labelled images in the " + splitName +
                                     " split (make a split, or pass --data with a folder to evaluate on)");
    return items;
}

TrainConfig runConfig(const std::string& runOrCheckpoint) {
    const auto yaml = std::filesystem::path(runOrCheckpoint) / "config.yaml";
    if (std::filesystem::is_directory(runOrCheckpoint) && std::filesystem::is_regular_file(yaml))
        return loadTrainConfig(yaml.string());
    const auto checkpoint = resolveCheckpoint(runOrCheckpoint);
    return parseTrainConfig(readCheckpointMeta(checkpoint).configYaml, checkpoint + " (embedded config)");
}

PredictOptions evaluationOptions() {
    PredictOptions o;
    o.precision = "fp32";
    return o;
}

Evaluation evaluate(const std::string& runDir, const std::string& split, const std::string& data,
                    const PredictOptions& options, int randClass) {
    const TrainConfig config = runConfig(runDir);
    const auto items = evaluationItems(config, split, data);
    Evaluation out;
    out.checkpoint = resolveCheckpoint(runDir);
    out.classNames = readCheckpointMeta(out.checkpoint).classNames;
    out.split = split;
    auto predictor = Predictor::open(out.checkpoint, options.device, options.precision);
    out.precision = predictor->precision();
    out.flipTta = options.flipTta < 0 ? predictor->asTrained().flipTta > 0 : options.flipTta > 0;
    MetricsAccumulator acc(predictor->classCount(), config.ignoreIndex);
    const int datasetClasses = items.empty() ? 0 : items.front().classCount;
    if (datasetClasses > 0 && datasetClasses != predictor->classCount())
        throw FileError(out.checkpoint, "the checkpoint predicts " + std::to_string(predictor->classCount()) +
                                            " classes but the dataset has " + std::to_string(datasetClasses));
    if (randClass >= predictor->classCount())
        throw FileError(out.checkpoint, "no class " + std::to_string(randClass) + " to score regions of (the run has " +
                                            std::to_string(predictor->classCount()) + " classes)");
    RandAccumulator rand(randClass);
    for (const auto& item : items) {
        const cv::Mat truth = readMask(item.mask, item.maskEncoding);
        const Prediction p = predictor->predict(readImageRgb(item.image), options);
        if (p.labels.size() != truth.size())
            throw FileError(item.mask, "mask size differs from its image " + item.image);
        try {
            acc.add(truth, p.labels, item.name);
            if (randClass >= 0)
                rand.add(truth, p.labels);
        } catch (const std::invalid_argument& e) {
            throw FileError(item.mask, e.what());
        }
    }
    out.report = makeReport(acc);
    out.hasRand = randClass >= 0;
    if (out.hasRand)
        out.rand = rand.score();
    return out;
}

} // namespace mf
