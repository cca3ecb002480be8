#include "review/keptboxes.h"

#include "review/statusrules.h"

#include <cmath>
#include <map>
#include <set>

namespace mf {

std::vector<std::string> boxesKeptOnEvidence(const std::vector<RefineItem>& items, const std::vector<ClassChoice>& choices,
                                             const std::string& method) {
    std::vector<std::string> out;
    if (method != kAutoMethod)
        return out;
    std::map<int, bool> scored;
    for (const ClassChoice& c : choices)
        scored[c.classId] = !std::isnan(c.boxIoU);
    int unchanged = 0;
    std::set<std::size_t> changed;
    for (std::size_t i : changedTargets(items, choices, unchanged))
        changed.insert(i);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const RefineItem& w = items[i];
        if (!w.target || changed.count(i) || w.start.boxes.empty())
            continue;
        bool decided = true;
        for (const DetectionBox& b : w.start.boxes) {
            const auto s = scored.find(b.classId);
            decided = decided && s != scored.end() && s->second;
        }
        if (decided)
            out.push_back(w.image);
    }
    return out;
}

int markBoxesKept(Project& project, const std::vector<std::string>& images) {
    const std::set<std::string> wanted(images.begin(), images.end());
    std::vector<std::pair<ImageEntry*, ImageStatus>> before;
    for (ImageEntry& e : project.images()) {
        if (!wanted.count(e.image) || e.status != ImageStatus::Coarse || e.mask.empty())
            continue;
        before.emplace_back(&e, e.status);
        e.status = nextStatus(e.status, StatusEvent::BoxesKeptOnEvidence);
    }
    if (before.empty())
        return 0;
    try {
        project.save();
    } catch (...) {
        for (auto& [e, s] : before)
            e->status = s;
        throw;
    }
    return static_cast<int>(before.size());
}

} // namespace mf
