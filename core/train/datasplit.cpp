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
    return {project.absolute(e.image), project.absolute(e.mask), project.maskEncoding(), false, {}};
}

/** The item of a training image under `supervision`: coarse images (auto) or every image (boxes) learn
 *  from their boxes: the box file when the image has one, else recovered from its coarse mask, else
 *  from its mask. */
LoaderItem trainingItemOf(const Project& project, const ImageEntry& e, const std::string& supervision) {
    LoaderItem item = itemOf(project, e);
    const bool coarse = e.status == ImageStatus::Coarse;
    if (supervision == "masks" || (supervision == "auto" && !coarse))
        return item;
    item.boxSupervised = true;
    if (!e.boxes.empty())
        item.boxes = project.absolute(e.boxes);
    if (coarse && !e.coarse.empty())
        item.mask = project.absolute(e.coarse);
    return item;
}

bool trusted(const ImageEntry& e) { return e.status == ImageStatus::Refined || e.status == ImageStatus::Reviewed; }

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

/** DataSplit::calibration: reviewed validation images, else reviewed images of train and val, else the
 *  validation items as labelled. */
void chooseCalibrationEvidence(const Project& project, DataSplit& out) {
    std::vector<LoaderItem> val, all;
    for (const ImageEntry& e : project.images()) {
        if (e.image.empty() || e.mask.empty() || e.status != ImageStatus::Reviewed)
            continue;
        if (e.split == Split::Val)
            val.push_back(itemOf(project, e));
        if (e.split == Split::Val || e.split == Split::Train || e.split == Split::None)
            all.push_back(itemOf(project, e));
    }
    if (static_cast<int>(val.size()) >= kCalibrationMinimum) {
        out.calibration = std::move(val);
        out.calibrationNote = std::to_string(out.calibration.size()) + " reviewed validation images";
    } else if (static_cast<int>(all.size()) >= kCalibrationMinimum) {
        out.calibration = std::move(all);
        out.calibrationNote = std::to_string(out.calibration.size()) + " reviewed images (the validation split has " +
                              std::to_string(val.size()) + ", fewer than " + std::to_string(kCalibrationMinimum) +
                              ", so training images are used too)";
    } else {
        out.calibration = out.val;
        out.calibrationNote = "the " + std::to_string(out.val.size()) + " validation images as labelled (fewer than " +
                              std::to_string(kCalibrationMinimum) + " reviewed images)";
    }
}

} // namespace

std::vector<LoaderItem> loadItems(const std::string& path) { return labelledItems(openLabelled(path)); }

std::string describeSupervision(const DataSplit& split, const std::string& supervision) {
    const auto boxes = std::count_if(split.train.begin(), split.train.end(), [](const LoaderItem& i) { return i.boxSupervised; });
    const auto masks = static_cast<long>(split.train.size()) - static_cast<long>(boxes);
    std::string why = supervision == "auto"   ? " (auto: coarse images from their boxes, refined and reviewed from their masks)"
                      : supervision == "boxes" ? " (boxes: every image from its boxes)"
                                               : " (masks: every image from its mask file, coarse box fills included)";
    return "supervision " + supervision + ": " + std::to_string(boxes) + " training images from their boxes (BoxInst "
           "projection and pairwise losses), " + std::to_string(masks) + " from their masks" + why;
}

DataSplit loadDataSplit(const TrainConfig& config) {
    Project project = openLabelled(config.data);
    DataSplit out;
    out.classCount = project.classCount();
    for (const ClassInfo& c : project.classes())
        out.classNames.push_back(c.name);
    out.ignoreIndex = project.ignoreIndex();
    if (!config.val.empty()) {
        for (const ImageEntry& e : project.images())
            if (!e.image.empty() && !e.mask.empty())
                out.train.push_back(trainingItemOf(project, e, config.supervision));
        out.val = labelledItems(openLabelled(config.val));
        out.calibration = out.val;
        out.calibrationNote = "the " + std::to_string(out.val.size()) + " images of the validation folder " + config.val;
        out.splitNote = "train: all of " + config.data + "; val: all of " + config.val;
        out.supervisionNote = describeSupervision(out, config.supervision);
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
    // Box supervision scores validation on trusted masks where the val split has any: coarse val
    // images then train from their boxes rather than score the network against box fills.
    const bool boxes = config.supervision != "masks";
    const bool trustedVal = std::any_of(project.images().begin(), project.images().end(), [](const ImageEntry& e) {
        return !e.image.empty() && !e.mask.empty() && e.split == Split::Val && trusted(e);
    });
    int moved = 0, coarseVal = 0;
    for (const ImageEntry& e : project.images()) {
        if (e.image.empty() || e.mask.empty())
            continue;
        const bool coarseInVal = e.split == Split::Val && e.status == ImageStatus::Coarse;
        // Images labelled after the split was made have no split yet: they can only help training.
        if (e.split == Split::Train || e.split == Split::None || (boxes && trustedVal && coarseInVal)) {
            out.train.push_back(trainingItemOf(project, e, config.supervision));
            moved += coarseInVal;
        } else if (e.split == Split::Val) {
            out.val.push_back(itemOf(project, e));
            coarseVal += coarseInVal;
        }
    }
    out.supervisionNote = describeSupervision(out, config.supervision);
    chooseCalibrationEvidence(project, out);
    if (moved)
        out.supervisionNote += "; " + std::to_string(moved) + " of those are the val split's coarse images, moved to "
                               "training (validation scores the trusted masks only)";
    if (boxes && coarseVal)
        out.supervisionNote += "; validation scores " + std::to_string(coarseVal) + " coarse images against their box "
                               "fills (no refined or reviewed image in the val split)";
    return out;
}

} // namespace mf
