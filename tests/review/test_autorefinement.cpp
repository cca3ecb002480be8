// The refinement pass shared by `maskforge-cli refine` and the GUI's batch (review/autorefinement.h): auto
// chooses per class on reviewed images, a clearly better method is taken, a class where every method
// scores below the boxes keeps them, a cancel stops it; the classifier's parallel feature computation
// gives what adding the images one by one gives.
#include "autorefinementsample.h"
#include "classify/boxclassifier.h"
#include "io/cancelled.h"
#include "review/autorefinement.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

using namespace mf;

namespace {

std::string sampleDir(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("mf_autorefine_" + name)).string();
}

struct Pass {
    Project project;
    std::vector<RefineItem> items;
    RefinementReport report;
    std::vector<std::string> problems;
    std::string said;
};

Pass runAuto(const std::string& dir, const std::atomic<bool>* cancel = nullptr) {
    Pass p{Project::load(dir), {}, {}, {}, {}};
    const RefineSay say = [&p](const std::string& t) { p.said += t; };
    p.items = loadRefineItems(p.project, refinementTargets(p.project, {}, say), {}, p.problems, say);
    RefinePassOptions o;
    o.say = say;
    o.cancel = cancel;
    o.projectName = dir;
    p.report = runRefinementPass(p.project, p.items, o, p.problems);
    return p;
}

const ClassChoice& choiceOf(const RefinementReport& r, int c) {
    for (const ClassChoice& ch : r.choices)
        if (ch.classId == c)
            return ch;
    throw std::runtime_error("no choice for class " + std::to_string(c));
}

} // namespace

TEST(AutoRefinement, TakesAClearlyBetterMethodAndKeepsTheBoxesWhereEveryMethodIsWorse) {
    const std::string dir = test::makeAutoRefinementProject(sampleDir("choose"), 8, 3);
    Pass p = runAuto(dir);
    ASSERT_TRUE(p.problems.empty()) << p.problems.front();
    EXPECT_EQ(p.report.evidence, 3);
    EXPECT_EQ(p.report.reviewed, 3);
    ASSERT_EQ(p.report.classes, (std::vector<int>{1, 2}));
    ASSERT_EQ(p.report.methods.size(), 7u);

    const ClassChoice& crack = choiceOf(p.report, 1);
    EXPECT_NE(crack.method, kBoxesMethod) << crack.why;
    EXPECT_LT(crack.boxIoU, 0.35);
    EXPECT_GT(crack.iou, crack.boxIoU + 0.3) << crack.why;
    EXPECT_NEAR(crack.iou, p.report.choosing.iou(crack.method, 1), 1e-9);

    const ClassChoice& patch = choiceOf(p.report, 2);
    EXPECT_EQ(patch.method, kBoxesMethod) << patch.why;
    EXPECT_DOUBLE_EQ(patch.boxIoU, 1.0);
    for (const std::string& m : p.report.methods) {  // but the learned one: it learnt that the patch is its box
        if (m != kLearnedMethod) {
            EXPECT_LT(p.report.choosing.iou(m, 2), 1.0) << m << " should cut the patch's box";
        }
    }

    // Each coarse image's labels: the crack's box narrowed to (about) its line, the patch's box untouched.
    int targets = 0;
    for (const RefineItem& w : p.items) {
        if (!w.target)
            continue;
        ++targets;
        const cv::Mat final = w.proposals.at("final").candidate;
        EXPECT_EQ(cv::countNonZero((final == 2) != (w.start.coarse == 2)), 0) << w.image;
        EXPECT_LT(cv::countNonZero(final == 1), cv::countNonZero(w.start.coarse == 1) / 2) << w.image;
    }
    EXPECT_EQ(targets, 5);
    int unchanged = -1;
    EXPECT_EQ(changedTargets(p.items, p.report.choices, unchanged).size(), 5u);
    EXPECT_EQ(unchanged, 0);
    EXPECT_EQ(p.report.heldOutImages, 0);  // the coarse images have no true mask here
    EXPECT_NE(p.said.find("choosing by 3 trusted mask(s) (3 reviewed image(s))"), std::string::npos) << p.said;
    EXPECT_NE(p.said.find("auto: patch (class 2) takes boxes"), std::string::npos) << p.said;
    EXPECT_EQ(refinementOrigin(kAutoMethod, p.report.choices).rfind("auto: ", 0), 0u);
}

TEST(AutoRefinement, ANamedMethodBelowTheBoxesIsFlaggedAndNotApplied) {
    const std::string dir = test::makeAutoRefinementProject(sampleDir("named"), 5, 2);
    Project project = Project::load(dir);
    std::vector<std::string> problems;
    std::vector<RefineItem> items = loadRefineItems(project, refinementTargets(project, {}), {}, problems);
    RefinePassOptions o;
    o.method = "contrast";
    const RefinementReport r = runRefinementPass(project, items, o, problems);
    ASSERT_TRUE(problems.empty());
    EXPECT_EQ(choiceOf(r, 1).method, "contrast");
    EXPECT_EQ(choiceOf(r, 2).method, kBoxesMethod);
    EXPECT_NE(choiceLines(r, "contrast").find("FLAGGED: contrast scores below the boxes for patch"), std::string::npos);
}

TEST(AutoRefinement, ACancelStopsThePass) {
    const std::string dir = test::makeAutoRefinementProject(sampleDir("cancel"), 4, 2);
    std::atomic<bool> cancel{true};
    EXPECT_THROW(runAuto(dir, &cancel), Cancelled);
}

TEST(AutoRefinement, WaitingProposalsAreSkippedAndSaid) {
    const std::string dir = test::makeAutoRefinementProject(sampleDir("waiting"), 4, 1);
    const Project project = Project::load(dir);
    std::string said;
    const auto targets = refinementTargets(project, {{"images/tile11.png", "GrabCut"}}, [&](const std::string& t) { said += t; });
    EXPECT_EQ(targets.size(), 2u);
    EXPECT_NE(said.find("images/tile11.png: skipped, a proposal (GrabCut) waits for review"), std::string::npos) << said;
    EXPECT_NE(said.find("2 coarse image(s) to refine; 1 image(s) not coarse"), std::string::npos) << said;
}

TEST(BoxClassifierParallel, AddingImagesTogetherGivesWhatAddingThemOneByOneGives) {
    BoxClassifierOptions o;
    o.forest.threads = 1;  // vigra's forest is deterministic on one thread
    o.forest.trees = 4;
    o.rounds = 1;
    BoxClassifier one(o), together(o);
    std::vector<cv::Mat> images, coarse;
    std::vector<std::vector<DetectionBox>> boxes;
    for (int i = 0; i < 4; ++i) {
        images.push_back(test::autoSampleImage(i));
        coarse.push_back(test::autoSampleCoarse());
        boxes.push_back({{1, test::kCrackBox}, {2, test::kPatchBox}});
        one.addImage(images.back(), coarse.back(), boxes.back(), {}, 4);
    }
    together.addImages(images, coarse, boxes, 4);
    one.run();
    together.run();
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(cv::countNonZero(one.result(i).labels != together.result(i).labels), 0) << "image " << i;
}

TEST(BoxClassifierParallel, ACancelStopsTheForestsTraining) {
    std::atomic<bool> cancel{false};
    BoxClassifierOptions o;
    o.cancel = &cancel;
    BoxClassifier c(o);
    c.addImages({test::autoSampleImage(0)}, {test::autoSampleCoarse()}, {{{1, test::kCrackBox}}}, 1);
    cancel = true;
    EXPECT_THROW(c.run(), Cancelled);
    EXPECT_THROW(c.addImages({test::autoSampleImage(1)}, {test::autoSampleCoarse()}, {{{1, test::kCrackBox}}}, 1), Cancelled);
}

TEST(PixelForestCancel, ACancelDuringTrainingStopsItAtTheNextSplit) {
    // A forest far too big to finish before the flag is set (a minute or more on one core): only the cancel ends it.
    cv::Mat samples(60000, 49, CV_32F);
    cv::randu(samples, 0.F, 1.F);
    std::vector<int> labels(60000);
    for (int i = 0; i < 60000; ++i)
        labels[static_cast<std::size_t>(i)] = samples.at<float>(i, 0) + samples.at<float>(i, 1) > 1.F ? 1 : 0;
    std::atomic<bool> cancel{false};
    ForestOptions o;
    o.trees = 200;
    o.maxDepth = 0;
    o.threads = 1;
    o.cancel = &cancel;
    PixelForest forest;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        cancel = true;
    });
    EXPECT_THROW(forest.train(samples, labels, o), Cancelled);
    stopper.join();
    EXPECT_FALSE(forest.trained());
}
