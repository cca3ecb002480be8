#pragma once
#include "train/evaluate.h"

#include <string>
#include <vector>

namespace mf::cli {

/** One image's IoU (no background) under runs A and B. */
struct ImageDiff {
    std::string name;
    double a, b;
};

/** Two runs scored on the same split, images ranked by |IoU B − IoU A|. */
struct Comparison {
    Evaluation a, b;
    std::vector<ImageDiff> images;
};

Comparison compareRuns(const std::string& runA, const std::string& runB, const std::string& split,
                       const std::string& data = {}, const std::string& device = "auto");
/** Per-class IoU side by side with the difference, then the `top` images that differ most. */
std::string comparisonText(const Comparison& cmp, int top = 10);
std::string comparisonJson(const Comparison& cmp);

} // namespace mf::cli
