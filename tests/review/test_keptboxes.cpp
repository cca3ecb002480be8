// Box fills that auto refinement kept on the reviewed evidence are decided labels (review/keptboxes.h,
// issue 18): `refine --accept` and the GUI's batch mark them refined, so `plan` does not put them under box
// losses (on magnetic-tile, 113 such images learning only from BoxInst's losses gave test mIoU 0.028 against
// 0.157 from their masks); coarse images with a class no trusted mask holds still train from their boxes.
#include "keptboxessample.h"
#include "io/atomicfile.h"
#include "plan/speedprobe.h"
#include "review/keptboxes.h"
#include "review/reviewqueue.h"
#include "review/statusrules.h"
#include "train/datasplit.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>

using namespace mf;

namespace {

std::string makeProject(const std::string& name) {
    return test::makeKeptBoxesProject((std::filesystem::temp_directory_path() / ("mf_keptboxes_" + name)).string());
}

struct Pass {
    Project project;
    std::vector<RefineItem> items;
    RefinementReport report;
};

Pass runPass(const std::string& dir, const std::string& method) {
    Pass p{Project::load(dir), {}, {}};
    std::vector<std::string> problems;
    p.items = loadRefineItems(p.project, refinementTargets(p.project, {}), {}, problems);
    EXPECT_TRUE(problems.empty());
    RefinePassOptions o;
    o.method = method;
    o.projectName = dir;
    p.report = runRefinementPass(p.project, p.items, o, problems);
    EXPECT_TRUE(problems.empty());
    return p;
}

/** What `refine --accept` does with the queued proposals: each one written and accepted. */
void acceptChanged(Pass& p) {
    ReviewQueue queue = ReviewQueue::load(p.project.root());
    int unchanged = 0;
    for (std::size_t i : changedTargets(p.items, p.report.choices, unchanged)) {
        const RefineItem& w = p.items[i];
        queue.add(writeProposal(queue.root(), w.image, "auto", w.proposals.at("final").candidate, w.start.coarse,
                                w.start.boxes));
        acceptProposal(p.project, queue, w.image);
    }
}

MachineSpeed anySpeed() {
    MachineSpeed s;
    s.trainSecondsPerMegapixel16 = 5.0;
    s.trainSecondsPerMegapixel32 = 12.0;
    return s;
}

std::string reasonOf(const TrainingPlan& plan, const std::string& key) {
    for (const auto& [k, v] : plan.reasons)
        if (k == key)
            return v;
    return {};
}

bool boxSupervised(const DataSplit& split, const std::string& stem) {
    for (const LoaderItem& i : split.train)
        if (std::filesystem::path(i.image).stem() == stem)
            return i.boxSupervised;
    throw std::runtime_error(stem + " is not a training image");
}

} // namespace

TEST(KeptBoxes, OnlyImagesWhoseEveryClassKeptItsBoxesOnTheEvidence) {
    const Pass p = runPass(makeProject("which"), kAutoMethod);
    std::vector<std::string> kept = boxesKeptOnEvidence(p.items, p.report.choices, kAutoMethod);
    std::sort(kept.begin(), kept.end());
    EXPECT_EQ(kept, (std::vector<std::string>{"images/tile13.png", "images/tile14.png"}));
    // tile15 changes nothing either, but its spot was never examined: not a decision.
    int unchanged = 0;
    EXPECT_EQ(changedTargets(p.items, p.report.choices, unchanged).size(), 3u);
    EXPECT_EQ(unchanged, 3);
    // A named method's flag says its boxes beat that one method, not every one.
    const Pass named = runPass(makeProject("named"), "contrast");
    EXPECT_TRUE(boxesKeptOnEvidence(named.items, named.report.choices, "contrast").empty());
}

TEST(KeptBoxes, ThePlanTrainsThemFromTheirMasksAndTheUnexaminedFromTheirBoxes) {
    const std::string dir = makeProject("plan");
    Pass p = runPass(dir, kAutoMethod);
    acceptChanged(p);
    PlanRequest request;
    request.data = dir;
    const MachineSpeed speed = anySpeed();
    // Before: the images whose patch kept its boxes on the evidence are coarse like the unexamined one.
    TrainingPlan before = planTraining(request, &speed);
    EXPECT_EQ(before.config.supervision, "auto");
    EXPECT_NE(reasonOf(before, "supervision").find("3 of the 8 training images are coarse"), std::string::npos)
        << reasonOf(before, "supervision");

    const std::vector<std::string> kept = boxesKeptOnEvidence(p.items, p.report.choices, kAutoMethod);
    EXPECT_EQ(markBoxesKept(p.project, kept), 2);
    const Project saved = Project::load(dir);
    for (const ImageEntry& e : saved.images()) {
        const std::string stem = std::filesystem::path(e.image).stem().string();
        EXPECT_EQ(e.status, stem == "tile15" ? ImageStatus::Coarse : stem < "tile13" ? ImageStatus::Reviewed
                                                                                       : ImageStatus::Refined)
            << stem;
        if (stem == "tile13" || stem == "tile14") {  // the mask is the box fill, as before
            const cv::Mat mask = readMask(saved.absolute(e.mask), saved.maskEncoding());
            EXPECT_EQ(cv::countNonZero(mask != readMask(saved.absolute(e.coarse), saved.maskEncoding())), 0) << stem;
        }
    }

    const TrainingPlan after = planTraining(request, &speed);
    EXPECT_EQ(after.config.supervision, "auto");  // tile15's spot was never examined: it still learns from its box
    const std::string why = reasonOf(after, "supervision");
    EXPECT_NE(why.find("1 of the 8 training images are coarse"), std::string::npos) << why;
    EXPECT_NE(why.find("the 7 refined or reviewed ones train from their masks"), std::string::npos) << why;
    TrainConfig config;
    config.data = dir;
    config.supervision = after.config.supervision;
    const DataSplit split = loadDataSplit(config);
    EXPECT_FALSE(boxSupervised(split, "tile13"));
    EXPECT_FALSE(boxSupervised(split, "tile14"));
    EXPECT_TRUE(boxSupervised(split, "tile15"));
    EXPECT_FALSE(boxSupervised(split, "tile16"));

    // Marking twice changes nothing; an image no longer coarse is left alone.
    Project again = Project::load(dir);
    EXPECT_EQ(markBoxesKept(again, kept), 0);
}

TEST(KeptBoxes, AFailedSaveLeavesEveryStatusAsItWas) {
    const std::string dir = makeProject("fail");
    Pass p = runPass(dir, kAutoMethod);
    const std::vector<std::string> kept = boxesKeptOnEvidence(p.items, p.report.choices, kAutoMethod);
    ASSERT_EQ(kept.size(), 2u);
    namespace fs = std::filesystem;
    const fs::path file = fs::path(dir) / Project::kFileName;
    const std::string good = readFileBytes(file.string());
    fs::remove(file);  // a folder where the project file goes: the save cannot rename onto it (also as root)
    fs::create_directories(file / "blocked");
    EXPECT_ANY_THROW(markBoxesKept(p.project, kept));
    for (const ImageEntry& e : p.project.images()) {
        if (e.image == kept[0] || e.image == kept[1]) {
            EXPECT_EQ(e.status, ImageStatus::Coarse) << e.image;
        }
    }
    fs::remove_all(file);
    writeFileAtomic(file.string(), good);
    EXPECT_EQ(markBoxesKept(p.project, kept), 2);  // the same call succeeds once the file can be written
}

TEST(StatusRules, BoxesKeptOnEvidenceMakeACoarseImageRefined) {
    EXPECT_EQ(nextStatus(ImageStatus::Coarse, StatusEvent::BoxesKeptOnEvidence), ImageStatus::Refined);
    for (ImageStatus s : {ImageStatus::Unlabelled, ImageStatus::Refined, ImageStatus::Reviewed})
        EXPECT_EQ(nextStatus(s, StatusEvent::BoxesKeptOnEvidence), s);
}
