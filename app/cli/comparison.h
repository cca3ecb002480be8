#pragma once
#include "infer/comparison.h"

#include <string>

namespace mf::cli {

/** The CLI prints core's RunComparison (infer/comparison.h) as tables or JSON. */
using Comparison = RunComparison;

/** Per-class IoU side by side with the difference, then the `top` images that differ most. */
std::string comparisonText(const Comparison& cmp, int top = 10);
std::string comparisonJson(const Comparison& cmp);

} // namespace mf::cli
