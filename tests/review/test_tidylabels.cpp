// Tidying a refinement's labels box by box (review/tidylabels.h) and auto's decision to apply it
// (decideTidy): one piece per box, holes filled, gaps bridged, specks dropped, never past the coarse fill
// or over another class; applied only where it scores better on the choosing evidence.
#include "project/project.h"
#include "review/autorefinement.h"
#include "review/tidylabels.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

using namespace mf;

namespace {

// A 60x40 image, one box of class 1 at (10,5) 40x30, filled in the coarse mask.
CoarseStart oneBox() {
    CoarseStart s;
    s.coarse = cv::Mat::zeros(40, 60, CV_8UC1);
    const cv::Rect box(10, 5, 40, 30);
    s.coarse(box).setTo(1);
    s.boxes.push_back({1, box});
    return s;
}

// The object a person would draw: a solid 20x14 bar inside the box.
cv::Mat trueObject() {
    cv::Mat m = cv::Mat::zeros(40, 60, CV_8UC1);
    m(cv::Rect(18, 12, 20, 14)).setTo(1);
    return m;
}

// What a pixel method proposes for it: the bar with a hole, split by a 1-px gap, and a speck in the corner.
cv::Mat speckled() {
    cv::Mat m = trueObject();
    m(cv::Rect(24, 16, 4, 4)).setTo(0);  // hole
    m(cv::Rect(31, 12, 1, 14)).setTo(0);  // gap: two parts
    m(cv::Rect(12, 30, 2, 2)).setTo(1);   // speck, 4 px against 280
    return m;
}

} // namespace

TEST(TidyLabels, OnePiecePerBoxHolesFilledGapsBridgedSpecksDropped) {
    const CoarseStart s = oneBox();
    const cv::Mat before = speckled();
    const cv::Mat after = tidyByBox(before, s, {1});
    cv::Mat parts;
    EXPECT_EQ(cv::connectedComponents(after == 1, parts, 8), 2) << "one piece";
    EXPECT_EQ(cv::countNonZero(after(cv::Rect(24, 16, 4, 4))), 16) << "the hole filled";
    EXPECT_EQ(cv::countNonZero(after(cv::Rect(12, 30, 2, 2))), 0) << "the speck dropped";
    // The gap's two ends on the bar's edges stay a notch (the 5x5 ellipse's corners are cut); the rest is the bar.
    EXPECT_LE(cv::countNonZero(after != trueObject()), 2);
    EXPECT_GE(cv::countNonZero(before != trueObject()), 30);
    // Left alone: a class not asked for, and labels of another class.
    EXPECT_EQ(cv::countNonZero(tidyByBox(before, s, {2}) != before), 0);
    cv::Mat other = before.clone();
    other(cv::Rect(24, 16, 4, 4)).setTo(2);  // the hole is another class's region
    const cv::Mat kept = tidyByBox(other, s, {1});
    EXPECT_EQ(cv::countNonZero(kept == 2), 16) << "a box never paints over another class";
}

TEST(TidyLabels, NeverClaimsPixelsOutsideItsClassFill) {
    CoarseStart s = oneBox();
    s.coarse(cv::Rect(24, 16, 4, 4)).setTo(0);  // the hole's pixels were not the class's fill
    const cv::Mat after = tidyByBox(speckled(), s, {1});
    EXPECT_EQ(cv::countNonZero(after(cv::Rect(24, 16, 4, 4))), 0);
    // A box reaching past the image is clipped, not an error; an empty box is skipped.
    s.boxes.push_back({1, cv::Rect(50, 30, 30, 30)});
    s.boxes.push_back({1, cv::Rect(5, 5, 0, 10)});
    EXPECT_NO_THROW(tidyByBox(speckled(), s, {1}));
}

// Two boxes of one class that overlap: the part of B's object that reaches into A is a small part of A's box,
// but it is B's object, so it stays; the result does not depend on which box comes first.
TEST(TidyLabels, OverlappingBoxesOfOneClassKeepEachOthersObjects) {
    CoarseStart s;
    s.coarse = cv::Mat::zeros(20, 90, CV_8UC1);
    const cv::Rect a(0, 0, 50, 20), b(40, 0, 45, 20);
    s.coarse(a).setTo(1);
    s.coarse(b).setTo(1);
    cv::Mat labels = cv::Mat::zeros(20, 90, CV_8UC1);
    labels(cv::Rect(1, 2, 25, 16)).setTo(1);   // A's object, 400 px
    labels(cv::Rect(46, 5, 20, 8)).setTo(1);   // B's object, 160 px; 32 of them inside A (under a tenth of 400)
    for (const bool aFirst : {true, false}) {
        s.boxes = aFirst ? std::vector<DetectionBox>{{1, a}, {1, b}} : std::vector<DetectionBox>{{1, b}, {1, a}};
        const cv::Mat after = tidyByBox(labels, s, {1});
        EXPECT_EQ(cv::countNonZero(after(cv::Rect(46, 5, 20, 8)) == 1), 160) << "B's object whole, A first: " << aFirst;
        EXPECT_EQ(cv::countNonZero(after(cv::Rect(1, 2, 25, 16)) == 1), 400) << "A's object whole, A first: " << aFirst;
        EXPECT_EQ(cv::countNonZero(after == 1), 560) << "nothing else, A first: " << aFirst;
    }
    // A speck inside both boxes that neither keeps is still dropped.
    labels.at<uchar>(17, 44) = 1;
    s.boxes = {{1, a}, {1, b}};
    EXPECT_EQ(tidyByBox(labels, s, {1}).at<uchar>(17, 44), 0);
}

TEST(TidyLabels, AutoAppliesItOnlyWhereTheEvidenceScoresItBetter) {
    Project project("/tmp/mf_tidy_decide");
    project.classes() = defaultClasses(2);
    const CoarseStart s = oneBox();
    auto item = [&](const cv::Mat& truth, const cv::Mat& proposal, bool target) {
        RefineItem w;
        w.image = target ? "target.png" : "reviewed.png";
        w.start = s;
        w.truth = truth;
        w.target = target;
        w.choose = !target;
        w.proposals[kLearnedMethod].candidate = proposal;
        return w;
    };
    RefinePassOptions o;
    std::string said;
    o.say = [&said](const std::string& t) { said += t; };
    // The truth is one bar: the speckled proposal gains from tidying, and the target's final labels are tidied.
    std::vector<RefineItem> items{item(trueObject(), speckled(), false), item({}, speckled(), true)};
    RefinementReport r = chooseRefinements(project, items, {kLearnedMethod}, o);
    ASSERT_EQ(r.choices.size(), 1u);
    ASSERT_EQ(r.choices[0].method, kLearnedMethod);
    decideTidy(project, items, r, o);
    EXPECT_TRUE(r.tidy) << said;
    EXPECT_GT(r.tidyMean, r.untidyMean);
    EXPECT_NE(said.find("applied"), std::string::npos);
    composeFinals(items, r.choices, r.tidyClasses);
    EXPECT_LE(cv::countNonZero(items[1].proposals.at("final").candidate != trueObject()), 2);
    // The truth has the hole, the gap and the speck (the object is in parts): tidying scores worse, is not applied.
    said.clear();
    std::vector<RefineItem> parts{item(speckled(), speckled(), false), item({}, speckled(), true)};
    r = chooseRefinements(project, parts, {kLearnedMethod}, o);
    decideTidy(project, parts, r, o);
    EXPECT_FALSE(r.tidy);
    EXPECT_TRUE(r.tidyClasses.empty());
    EXPECT_TRUE(r.tidyBelow.empty()) << "no better, not below the boxes: the GUI says which";
    EXPECT_NE(said.find("not applied"), std::string::npos) << said;
    composeFinals(parts, r.choices, r.tidyClasses);
    EXPECT_EQ(cv::countNonZero(parts[1].proposals.at("final").candidate != speckled()), 0);
    // A named method is never tidied.
    o.method = kLearnedMethod;
    r = chooseRefinements(project, items, {kLearnedMethod}, o);
    decideTidy(project, items, r, o);
    EXPECT_FALSE(r.tidy);
}
