#pragma once
#include "infer/predictor.h"
#include "models/checkpoint.h"
#include "models/segmentationnet.h"

#include <memory>

namespace mf {

/** A Predictor over a network held in memory (shared, not copied: it sees the weights as they are
 *  when predict is called). `meta` supplies the normalisation, training size and embedded config
 *  that tile = -1 reads. The caller keeps the model in eval mode while predicting. Defined in
 *  infer/predictor.cpp beside the checkpoint-backed predictor, so both run the same code. */
std::unique_ptr<Predictor> makeLivePredictor(SegmentationNet model, CheckpointMeta meta, torch::Device device);

} // namespace mf
