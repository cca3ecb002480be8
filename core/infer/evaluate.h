#pragma once
#include "infer/predictor.h"
#include "io/imageio.h"
#include "metrics/metrics.h"
#include "metrics/rand.h"
#include "runs/trainconfig.h"

#include <string>
#include <vector>

namespace mf {

/** One labelled image to score. */
struct EvalItem {
    std::string name;   ///< file stem, names the image in reports
    std::string image;  ///< absolute paths
    std::string mask;
    MaskEncoding maskEncoding = MaskEncoding::Index;  ///< the dataset's
    int classCount = 0;                               ///< the dataset's (0: unknown)
};

/** The labelled images of `split` (train | val | test) for a run's config: the explicit val folder
 *  for val when the config names one, else the project's split. `data` (optional) replaces the
 *  dataset: its images with that split, or all of them when it has no split at all. Throws
 *  FileError naming the dataset when the split is empty. */
std::vector<EvalItem> evaluationItems(const TrainConfig& config, const std::string& split, const std::string& data = {});

/** The config a run folder (config.yaml) or checkpoint (its embedded copy) was trained with. */
TrainConfig runConfig(const std::string& runOrCheckpoint);

/** A run's scores on one split. */
struct Evaluation {
    MetricsReport report;
    std::vector<std::string> classNames;
    std::string checkpoint;
    std::string split;
    std::string precision;  ///< what the network computed in (fp32 | bf16 | fp16)
    bool flipTta = false;   ///< each prediction averaged with the mirrored image's (asked, or the run's predict_flip)
    bool hasRand = false;   ///< randClass was asked for
    RandScore rand;         ///< foreground-restricted Rand scores over the regions of randClass
};

/** The prediction options evaluation starts from: as the run was trained, in **fp32** — a score is the
 *  same on every machine and equals training's per-epoch validation; bf16 (faster on CPUs with bf16
 *  units, within ±0.003 here) only when asked for. */
PredictOptions evaluationOptions();

/** Predicts every image of the split at its own resolution with the run's best checkpoint and
 *  scores the predictions against the true masks (dataset-level counts, specs/metrics.md). With
 *  `randClass` >= 0 also the foreground-restricted Rand scores (metrics/rand.h) over the connected
 *  regions of that class (ISBI: the cell interiors); throws FileError when the run has no such class. */
Evaluation evaluate(const std::string& runDir, const std::string& split = "val", const std::string& data = {},
                    const PredictOptions& options = evaluationOptions(), int randClass = -1);

} // namespace mf
