#pragma once
#include "infer/calibration.h"
#include "train/datasplit.h"

#include <functional>
#include <string>
#include <vector>

namespace mf {

/** Fits the per-class calibration of `checkpoint` (infer/calibration.h) on `evidence`: each image
 *  predicted as `evaluate` predicts it (fp32, as trained, uncalibrated), its pixels sampled (about four
 *  million in all), the offsets fitted and checked two-fold. With `write`, stores the result in the
 *  checkpoint (CheckpointMeta::classBias, empty when not applied, and the note) atomically, keeping its
 *  weights, optimiser state and RNG state. `progress` (optional) gets (images done, images). Throws
 *  FileError naming the file for an unreadable checkpoint, image or mask. */
CalibrationFit calibrateCheckpoint(const std::string& checkpoint, const std::vector<LoaderItem>& evidence,
                                   const std::string& evidenceNote, const std::string& device = "auto", bool write = true,
                                   const std::function<bool(int, int)>& progress = {});

/** Stores `fit` in `checkpoint` (its offsets when applied, else none; its note) atomically, keeping the
 *  weights, the optimiser state and the RNG state it holds. Throws FileError naming the file. */
void writeCheckpointCalibration(const std::string& checkpoint, const CalibrationFit& fit);

} // namespace mf
