#include "project/split.h"

#include "io/imageio.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace mf {
namespace {

struct Unit {
    std::string stratum;
    std::vector<std::size_t> items;
};

std::vector<Unit> makeUnits(const std::vector<std::string>& strata, const std::vector<std::string>& groups) {
    std::vector<Unit> units;
    std::map<std::string, std::size_t> byGroup;
    for (std::size_t i = 0; i < strata.size(); ++i) {
        const std::string& g = i < groups.size() ? groups[i] : std::string();
        if (!g.empty()) {
            auto [it, fresh] = byGroup.emplace(g, units.size());
            if (!fresh) {
                units[it->second].items.push_back(i);
                continue;
            }
        }
        units.push_back({strata[i], {i}});
    }
    return units;
}

/** True when the running fraction `f` crosses an integer at position k (systematic sampling). */
bool crosses(double f, std::size_t k, double phase) {
    return std::floor((k + 1 + phase) * f) != std::floor((k + phase) * f);
}

} // namespace

std::vector<Split> stratifiedSplit(const std::vector<std::string>& strata, const std::vector<std::string>& groups,
                                   const SplitOptions& options) {
    std::vector<Unit> units = makeUnits(strata, groups);
    std::mt19937_64 rng(options.seed);
    // Shuffle, then order by stratum: each stratum is a contiguous run in random order, so
    // systematic sampling over the run takes the same fraction from every stratum.
    std::shuffle(units.begin(), units.end(), rng);
    std::stable_sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) { return a.stratum < b.stratum; });
    const double holdout = std::clamp(options.valFraction + options.testFraction, 0.0, 1.0);
    const double valShare = holdout > 0 ? options.valFraction / holdout : 0;
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const double phase = uniform(rng), phase2 = uniform(rng);
    std::vector<Split> out(strata.size(), Split::Train);
    std::size_t held = 0;
    for (std::size_t k = 0; k < units.size(); ++k) {
        Split s = Split::Train;
        if (crosses(holdout, k, phase))
            s = crosses(valShare, held++, phase2) ? Split::Val : Split::Test;
        for (std::size_t i : units[k].items)
            out[i] = s;
    }
    return out;
}

std::string classSignature(const cv::Mat& mask, int classCount) {
    std::vector<bool> present(256, false);
    for (int y = 0; y < mask.rows; ++y)
        for (int x = 0; x < mask.cols; ++x)
            present[mask.ptr<uchar>(y)[x]] = true;
    std::string key;
    for (int c = 0; c < classCount && c < 256; ++c)
        if (present[c])
            key += (key.empty() ? "" : ",") + std::to_string(c);
    return key;
}

void splitProject(Project& project, const SplitOptions& options) {
    std::vector<std::string> strata, groups;
    std::vector<std::size_t> labelled;
    for (std::size_t i = 0; i < project.images().size(); ++i) {
        const ImageEntry& e = project.images()[i];
        if (e.mask.empty())
            continue;
        strata.push_back(classSignature(readMask(project.absolute(e.mask), project.maskEncoding()), project.classCount()));
        groups.push_back(e.group.empty() ? std::string() : e.group);
        labelled.push_back(i);
    }
    std::vector<Split> splits = stratifiedSplit(strata, groups, options);
    for (auto& e : project.images())
        e.split = Split::None;
    for (std::size_t j = 0; j < labelled.size(); ++j)
        project.images()[labelled[j]].split = splits[j];
    project.setSplitSeed(options.seed);
}

} // namespace mf
