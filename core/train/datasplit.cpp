#include "train/datasplit.h"

#include "io/errors.h"
#include "project/dataset.h"
#include "project/split.h"

#include <algorithm>

namespace mf {
namespace {

Project openLabelled(const std::string& path) {
    Project project = openDataset(path);
    bool any = std::any_of(project.images().begin(), project.images().end(),
                           [](const ImageEntry& e) { return !e.image.empty() && !e.mask.empty(); });
    if (!any)
        throw FileError(path, "no labelled images (an image with its mask) to train on");
    return project;
}

LoaderItem itemOf(const Project& project, const ImageEntry& e) {
    return {project.absolute(e.image), project.absolute(e.mask), project.maskEncoding()};
}

std::vector<LoaderItem> labelledItems(const Project& project) {
    std::vector<LoaderItem> out;
    for (const ImageEntry& e : project.images())
        if (!e.image.empty() && !e.mask.empty())
            out.push_back(itemOf(project, e));
    return out;
}

bool hasSplit(const Project& project) {
    return std::any_of(project.images().begin(), project.images().end(), [](const ImageEntry& e) {
        return !e.mask.empty() && (e.split == Split::Train || e.split == Split::Val);
    });
}

} // namespace

std::vector<LoaderItem> loadItems(const std::string& path) { return labelledItems(openLabelled(path)); }

DataSplit loadDataSplit(const TrainConfig& config) {
    Project project = openLabelled(config.data);
    DataSplit out;
    out.classCount = project.classCount();
    for (const ClassInfo& c : project.classes())
        out.classNames.push_back(c.name);
    out.ignoreIndex = project.ignoreIndex();
    if (!config.val.empty()) {
        out.train = labelledItems(project);
        out.val = labelledItems(openLabelled(config.val));
        out.splitNote = "train: all of " + config.data + "; val: all of " + config.val;
        return out;
    }
    if (hasSplit(project)) {
        out.splitNote = "the project's train/val split";
    } else {
        SplitOptions options;
        options.seed = config.seed;
        splitProject(project, options);
        out.splitNote = "a new stratified split (seed " + std::to_string(config.seed) + ", not saved)";
    }
    for (const ImageEntry& e : project.images()) {
        if (e.image.empty() || e.mask.empty())
            continue;
        // Images labelled after the split was made have no split yet: they can only help training.
        if (e.split == Split::Train || e.split == Split::None)
            out.train.push_back(itemOf(project, e));
        else if (e.split == Split::Val)
            out.val.push_back(itemOf(project, e));
    }
    return out;
}

} // namespace mf
