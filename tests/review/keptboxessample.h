#pragma once
// A project where auto refinement keeps some images' boxes on the reviewed evidence (review/keptboxes.h):
// the auto sample (autorefinementsample.h) with 9 images, 3 reviewed, and a third class "spot" that no
// reviewed image holds. tile13 and tile14 hold only the patch (its boxes beat every method on the reviewed
// images: decided), tile15 the patch and a spot (the spot is never examined: not decided), tile16..18 the
// crack and the patch (changed: proposed). Every image trains; the first reviewed one (tile10) validates.
#include "autorefinementsample.h"

namespace mf::test {

inline const cv::Rect kSpotBox(70, 8, 16, 16);

inline std::string makeKeptBoxesProject(const std::string& dir) {
    makeAutoRefinementProject(dir, 9, 3);
    Project p = Project::load(dir);
    p.classes() = defaultClasses(4);
    p.classes()[1].name = "crack";
    p.classes()[2].name = "patch";
    p.classes()[3].name = "spot";
    for (ImageEntry& e : p.images()) {
        const std::string stem = std::filesystem::path(e.image).stem().string();
        cv::Mat coarse = autoSampleCoarse();
        if (stem == "tile13" || stem == "tile14" || stem == "tile15")
            coarse.setTo(0, coarse == 1);
        if (stem == "tile15")
            coarse(kSpotBox).setTo(3);
        if (e.status == ImageStatus::Coarse)
            writeMaskAtomic(p.absolute(e.coarse), coarse);
        e.split = stem == "tile10" ? Split::Val : Split::Train;
    }
    p.save();
    return dir;
}

} // namespace mf::test
