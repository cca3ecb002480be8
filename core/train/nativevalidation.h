#pragma once
#include "infer/predictor.h"
#include "metrics/metrics.h"
#include "train/datasplit.h"
#include "train/losses.h"

#include <vector>

namespace mf {
namespace dist {
class DataParallel;
}

/** Validation figures at the resolution a user is scored at. */
struct NativeValidation {
    MetricsReport report;
    double loss = 0;  ///< the run's loss per image at native resolution, averaged over images
};

/** Predicts every item at its own resolution with `predictor` as `evaluate` does (tile = -1: as the
 *  run trains) and scores it against its mask. The loss is the run's loss applied to log p, which
 *  equals the loss on the logits (softmax and log-softmax do not change under a per-pixel shift), so
 *  it reads like the training loss. Throws FileError naming the file for an unreadable image or mask.
 *
 *  With `ddp` (a run on several processes), the items are shared among the ranks: rank r predicts items
 *  r, r+W, r+2W, … (dist::shardOf, unpadded) and the counts and losses are gathered, so each rank
 *  predicts 1/W of the set and every rank returns the figures one process would (the same images in
 *  the same order, with their names). */
NativeValidation validateAtNativeResolution(Predictor& predictor, const std::vector<LoaderItem>& items,
                                            const SegmentationLoss& loss, int classCount, int ignoreIndex,
                                            dist::DataParallel* ddp = nullptr);

} // namespace mf
