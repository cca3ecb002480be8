#pragma once
#include "models/modelfactory.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace mf {

/** What a checkpoint says besides the weights: enough to rebuild and feed the network without the
 *  run's YAML, and to resume the run (epoch, best so far, history). */
struct CheckpointMeta {
    ModelSpec spec;
    std::vector<std::string> classNames;
    int size = 256;                    ///< training input side
    std::vector<double> mean{0.485, 0.456, 0.406};
    std::vector<double> std{0.229, 0.224, 0.225};
    int ignoreIndex = 255;
    int epoch = 0;                     ///< epochs completed
    long long globalStep = 0;
    int bestEpoch = 0;
    double bestScore = 0;
    std::string monitor;
    std::string configYaml;            ///< the resolved config of the run
    std::string metricsCsv;            ///< metrics.csv so far, so a resumed run keeps its history
    bool interrupted = false;          ///< written on a cancel in the middle of epoch `epoch + 1`
    int epochStep = 0;                 ///< interrupted: the steps of epoch `epoch + 1` already done
    double epochLossSum = 0;           ///< interrupted: the sum of their losses (for the epoch's mean)
    /** Per-class offsets added to the log-probabilities before the argmax (infer/calibration.h), fitted
     *  on trusted masks after training; empty: none. */
    std::vector<double> classBias;
    std::string calibrationNote;       ///< how they were fitted (or why none were), for `runs` and logs
};

/** Writes model weights, the optimiser state (if any), the CPU RNG state and `meta` to `path`
 *  atomically. Throws FileError naming `path` when it cannot be written. */
void saveCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                    const CheckpointMeta& meta);

/** The bytes saveCheckpoint writes (to write one state to several files). */
std::string checkpointBytes(torch::nn::Module& model, torch::optim::Optimizer* optimizer, const CheckpointMeta& meta);

/** The meta of a checkpoint; throws FileError when `path` is missing or not a MaskForge checkpoint. */
CheckpointMeta readCheckpointMeta(const std::string& path);

/** Loads the weights into `model` (built from the meta's spec) and, if given, the optimiser state
 *  and the CPU RNG state, mapping tensors to `device`. Throws FileError on a mismatch. */
CheckpointMeta loadCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                              bool restoreRng, const torch::Device& device);

/** best.pt of a run folder, else last.pt, else `runOrCheckpoint` itself when it is a file. */
std::string resolveCheckpoint(const std::string& runOrCheckpoint);

} // namespace mf
