#include "infer/comparison.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace mf {

std::vector<ImageDiff> rankByDifference(const MetricsReport& a, const MetricsReport& b) {
    std::map<std::string, double> byName;
    for (std::size_t i = 0; i < b.imageNames.size() && i < b.imageIoU.size(); ++i)
        byName[b.imageNames[i]] = b.imageIoU[i];
    std::vector<ImageDiff> out;
    for (std::size_t i = 0; i < a.imageNames.size() && i < a.imageIoU.size(); ++i)
        if (auto it = byName.find(a.imageNames[i]); it != byName.end())
            out.push_back({a.imageNames[i], a.imageIoU[i], it->second, {}});
    std::stable_sort(out.begin(), out.end(),
                     [](const ImageDiff& x, const ImageDiff& y) { return std::abs(x.b - x.a) > std::abs(y.b - y.a); });
    return out;
}

RunComparison compareRuns(const std::string& runA, const std::string& runB, const std::string& split,
                          const std::string& data, const PredictOptions& options) {
    RunComparison cmp{evaluate(runA, split, data, options), evaluate(runB, split, data, options), {}};
    if (cmp.a.report.classCount != cmp.b.report.classCount)
        throw std::invalid_argument("the two runs have different class counts (" +
                                    std::to_string(cmp.a.report.classCount) + " and " +
                                    std::to_string(cmp.b.report.classCount) + ")");
    cmp.images = rankByDifference(cmp.a.report, cmp.b.report);
    std::map<std::string, EvalItem> items;
    for (EvalItem& item : evaluationItems(runConfig(runA), split, data))
        items[item.name] = std::move(item);
    for (ImageDiff& d : cmp.images)
        if (auto it = items.find(d.name); it != items.end())
            d.item = it->second;
    return cmp;
}

} // namespace mf
