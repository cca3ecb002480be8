#pragma once
#include "project/project.h"

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace mf {

/** How to split a dataset into train/val/test. */
struct SplitOptions {
    double valFraction = 0.15;
    double testFraction = 0.15;
    std::uint64_t seed = 42;
};

/** Assigns a split to each item, stratified by `strata` (e.g. the set of classes in each mask) and
 *  keeping items with the same non-empty `groups` key together. Deterministic for a seed. */
std::vector<Split> stratifiedSplit(const std::vector<std::string>& strata, const std::vector<std::string>& groups,
                                   const SplitOptions& options);

/** The stratum key of a mask: the sorted list of classes present, e.g. "0,2,3". */
std::string classSignature(const cv::Mat& mask, int classCount);

/** Reads each labelled image's mask and splits the project (unlabelled images stay None); stores the seed. */
void splitProject(Project& project, const SplitOptions& options);

} // namespace mf
