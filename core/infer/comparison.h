#pragma once
#include "infer/evaluate.h"

#include <string>
#include <vector>

namespace mf {

/** One image's IoU (no background) under runs A and B, with the files it was scored from. */
struct ImageDiff {
    std::string name;  ///< file stem, as in MetricsReport::imageNames
    double a = 0, b = 0;
    EvalItem item;     ///< image and true mask (empty paths when the split listing lacks the name)
};

/** Two runs scored on the same split, images ranked by |IoU B − IoU A|, largest first. The one
 *  comparison of runs: the CLI's `compare` and the GUI's comparison view both show this. */
struct RunComparison {
    Evaluation a, b;
    std::vector<ImageDiff> images;
};

/** The images both reports scored, ranked by |b − a| (stable: ties keep A's order). */
std::vector<ImageDiff> rankByDifference(const MetricsReport& a, const MetricsReport& b);

/** Evaluates both runs on `split` (of `data` when given) and ranks the images. Throws
 *  std::invalid_argument when the runs have different class counts, and whatever evaluate() throws. */
RunComparison compareRuns(const std::string& runA, const std::string& runB, const std::string& split,
                          const std::string& data = {}, const PredictOptions& options = {});

} // namespace mf
