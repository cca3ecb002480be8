#include "io/errors.h"
#include "io/maskfolder.h"
#include "review/classifierrefinement.h"
#include "review/refinementscore.h"

#include "../testutil.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cmath>

using namespace mf;

namespace {

/** Truth: class 1 a 10×10 square, class 2 a 20×20 square; boxes a little larger. */
struct Case {
    cv::Mat truth = cv::Mat::zeros(64, 64, CV_8UC1), boxes = cv::Mat::zeros(64, 64, CV_8UC1);
    Case() {
        truth(cv::Rect(5, 5, 10, 10)).setTo(1);
        truth(cv::Rect(30, 30, 20, 20)).setTo(2);
        boxes(cv::Rect(3, 3, 14, 14)).setTo(1);
        boxes(cv::Rect(29, 29, 22, 22)).setTo(2);
    }
};

} // namespace

TEST(RefinementScorer, PerClassIoUAndChoiceNeverBelowTheBoxes) {
    const Case c;
    // "good" finds class 1 exactly but erodes class 2 badly; "bad" is worse everywhere.
    cv::Mat good = c.boxes.clone(), bad = c.boxes.clone();
    c.truth(cv::Rect(5, 5, 10, 10)).copyTo(good(cv::Rect(5, 5, 10, 10)));
    good(cv::Rect(3, 3, 14, 14)).setTo(0, c.truth(cv::Rect(3, 3, 14, 14)) != 1);
    good(cv::Rect(29, 29, 22, 22)).setTo(0);
    good(cv::Rect(35, 35, 5, 5)).setTo(2);
    bad.setTo(0);
    RefinementScorer s(3, 255);
    s.add(kBoxesMethod, c.truth, c.boxes, "a");
    s.add("good", c.truth, good, "a");
    s.add("bad", c.truth, bad, "a");
    EXPECT_NEAR(s.iou(kBoxesMethod, 1), 100.0 / 196.0, 1e-9);
    EXPECT_NEAR(s.iou("good", 1), 1.0, 1e-9);
    EXPECT_NEAR(s.iou("good", 2), 25.0 / 400.0, 1e-9);
    EXPECT_EQ(s.images("good"), 1U);
    EXPECT_TRUE(std::isnan(s.iou("good", 7)));

    const std::vector<ClassChoice> choices = chooseMethods(s, {1, 2}, {"bad", "good"});
    ASSERT_EQ(choices.size(), 2U);
    EXPECT_EQ(choices[0].method, "good");
    EXPECT_EQ(choices[1].method, kBoxesMethod);  // good and bad both score below the boxes there
    EXPECT_NE(choices[1].why.find("scores below the boxes here"), std::string::npos) << choices[1].why;
    // One evidence image: the choice says how little it rests on.
    EXPECT_EQ(s.imagesWith(kBoxesMethod, 1), 1);
    EXPECT_EQ(s.imagesWith("none", 1), 0);
    EXPECT_NE(choices[0].why.find("on 1 image(s), thin evidence"), std::string::npos) << choices[0].why;
    EXPECT_EQ(classesWorseThanBoxes(s, "good", {1, 2}), std::vector<int>{2});
    EXPECT_EQ(classesWorseThanBoxes(s, "bad", {1, 2}), (std::vector<int>{1, 2}));

    // Composed: class 1 from "good", class 2 keeps its box fill.
    const cv::Mat composed = composeByClass(c.boxes, {{"good", good}, {"bad", bad}}, choices);
    EXPECT_EQ(cv::countNonZero(composed == 1), 100);
    EXPECT_EQ(cv::countNonZero(composed == 2), 22 * 22);
    const std::string table = scoreTable(s, {1, 2}, {kBoxesMethod, "good"}, {"bg", "hole", "crack"});
    EXPECT_NE(table.find("crack"), std::string::npos);
    EXPECT_NE(table.find("<"), std::string::npos);
}

TEST(RefinementScorer, ClassWithoutEvidenceKeepsItsBoxes) {
    const Case c;
    cv::Mat truth = c.truth.clone();
    truth.setTo(0, truth == 2);  // nobody says where class 2 is
    RefinementScorer s(3, 255);
    s.add(kBoxesMethod, truth, c.boxes);
    s.add("m", truth, c.truth);
    const std::vector<ClassChoice> choices = chooseMethods(s, {1, 2}, {"m"});
    EXPECT_EQ(choices[0].method, "m");
    EXPECT_EQ(choices[1].method, kBoxesMethod);
    EXPECT_NE(choices[1].why.find("no trusted mask"), std::string::npos);
}

TEST(RefinementScorer, NearTiesGoToTheMethodThatKeepsMostOfTheBoxes) {
    // Truth: a 10x10 square in a 20x20 box (class 1). "tight" labels 9x10 of it (IoU 0.90), "loose" the
    // square plus a 1-px ring's worth around it (IoU 0.8929...) and "big" 12x12 (IoU 100/144): "tight" is
    // the best but "loose", within 0.02 of it, keeps more of the box fill.
    cv::Mat truth = cv::Mat::zeros(40, 40, CV_8UC1), boxes = truth.clone();
    truth(cv::Rect(10, 10, 10, 10)).setTo(1);
    boxes(cv::Rect(5, 5, 20, 20)).setTo(1);
    cv::Mat tight = boxes.clone(), loose = boxes.clone(), big = boxes.clone();
    tight.setTo(0), loose.setTo(0), big.setTo(0);
    tight(cv::Rect(10, 10, 9, 10)).setTo(1);
    loose(cv::Rect(10, 10, 10, 10)).setTo(1);
    loose(cv::Rect(20, 10, 1, 10)).setTo(1);
    loose(cv::Rect(10, 20, 2, 1)).setTo(1);
    big(cv::Rect(9, 9, 12, 12)).setTo(1);
    RefinementScorer s(2, 255);
    s.add(kBoxesMethod, truth, boxes);
    s.add("tight", truth, tight);
    s.add("loose", truth, loose);
    s.add("big", truth, big);
    ASSERT_NEAR(s.iou("tight", 1), 0.90, 1e-9);
    ASSERT_NEAR(s.iou("loose", 1), 100.0 / 112.0, 1e-9);
    EXPECT_EQ(s.labelled("loose", 1), 112);
    std::vector<ClassChoice> choices = chooseMethods(s, {1}, {"tight", "loose", "big"});
    EXPECT_EQ(choices[0].method, "loose") << choices[0].why;
    EXPECT_NE(choices[0].why.find("within 0.020 of the best"), std::string::npos) << choices[0].why;
    choices = chooseMethods(s, {1}, {"tight", "loose", "big"}, 0.0);
    EXPECT_EQ(choices[0].method, "tight");  // no margin: the best alone
    // A method a hair above the boxes does not replace them.
    RefinementScorer h(2, 255);
    cv::Mat hair = boxes.clone();
    hair(cv::Rect(5, 5, 20, 1)).setTo(0);  // IoU 100/380 against the boxes' 100/400
    h.add(kBoxesMethod, truth, boxes);
    h.add("hair", truth, hair);
    choices = chooseMethods(h, {1}, {"hair"});
    EXPECT_EQ(choices[0].method, kBoxesMethod) << choices[0].why;
    EXPECT_NE(choices[0].why.find("by more than 0.020"), std::string::npos) << choices[0].why;
}

TEST(RefinementScorer, OneMethodForEveryClassTheBoxesWhereItIsBelowThem) {
    // Truth: class 1 and class 2 each a 10x10 square; the boxes twice as wide (IoU 0.5 each).
    cv::Mat truth = cv::Mat::zeros(20, 100, CV_8UC1), boxes = truth.clone();
    truth(cv::Rect(0, 0, 10, 10)).setTo(1);
    truth(cv::Rect(50, 0, 10, 10)).setTo(2);
    boxes(cv::Rect(0, 0, 20, 10)).setTo(1);
    boxes(cv::Rect(50, 0, 20, 10)).setTo(2);
    const auto labels = [&](cv::Rect one, cv::Rect two) {
        cv::Mat m = cv::Mat::zeros(truth.size(), CV_8UC1);
        m(one).setTo(1);
        m(two).setTo(2);
        return m;
    };
    RefinementScorer s(3, 255);
    s.add(kBoxesMethod, truth, boxes);
    s.add("a", truth, labels({0, 0, 10, 10}, {50, 0, 12, 10}));  // 1.0 and 0.833: the best mean
    s.add("b", truth, labels({0, 0, 15, 10}, {50, 0, 11, 10}));  // 0.667 and 0.909: class 2's best alone
    s.add("d", truth, labels({0, 0, 10, 10}, {50, 0, 10, 3}));   // 1.0 and 0.3: below the boxes on class 2
    std::vector<ClassChoice> choices = chooseMethods(s, {1, 2}, {"a", "b", "d"});
    ASSERT_EQ(choices.size(), 2U);
    // Each class's best would be a, then b; one method for both: a (its mean 0.917 against b's 0.788 and
    // d's 0.75, d counted with the boxes on class 2).
    EXPECT_EQ(choices[0].method, "a") << choices[0].why;
    EXPECT_EQ(choices[1].method, "a") << choices[1].why;
    EXPECT_NE(choices[1].why.find("the best mean over the classes"), std::string::npos) << choices[1].why;
    // The method chosen for every class never replaces the boxes where it scores below them.
    choices = chooseMethods(s, {1, 2}, {"d"});
    EXPECT_EQ(choices[0].method, "d") << choices[0].why;
    EXPECT_EQ(choices[1].method, kBoxesMethod) << choices[1].why;
    EXPECT_NE(choices[1].why.find("scores below the boxes here"), std::string::npos) << choices[1].why;
}

TEST(BoxCheck, NamesTheFileAndSortsErrorsFromNotes) {
    const std::vector<DetectionBox> boxes{{1, cv::Rect(2, 2, 5, 5)},       // fine
                                          {9, cv::Rect(2, 2, 5, 5)},       // class not in the project
                                          {1, cv::Rect(10, 10, 0, 5)},     // zero width
                                          {2, cv::Rect(200, 200, 10, 10)}, // outside
                                          {2, cv::Rect(0, 0, 64, 64)}};    // the whole image
    const BoxCheck check = checkBoxes("boxes/a.txt", boxes, cv::Size(64, 64), 3, 4);
    ASSERT_EQ(check.errors.size(), 1U);
    EXPECT_NE(check.errors[0].find("boxes/a.txt: box 2 has class 9"), std::string::npos);
    ASSERT_EQ(check.usable.size(), 1U);
    EXPECT_EQ(check.usable[0].rect, cv::Rect(2, 2, 5, 5));
    ASSERT_EQ(check.notes.size(), 4U);  // zero width, outside, whole image, more than 4 boxes
    EXPECT_NE(check.notes[0].find("box 3 has no area"), std::string::npos);
    EXPECT_NE(check.notes[1].find("box 4 has no area"), std::string::npos);
    EXPECT_NE(check.notes[2].find("covers the whole image"), std::string::npos);
    EXPECT_NE(check.notes[3].find("5 boxes in one image"), std::string::npos);
}

TEST(BoxCheck, HundredsOfBoxesAreRefined) {
    // 300 small dark dots, one box each: the classifier handles them all and finds the dots.
    cv::Mat img(120, 200, CV_8UC1);
    cv::RNG rng(3);
    rng.fill(img, cv::RNG::NORMAL, 140, 10);
    cv::Mat coarse = cv::Mat::zeros(img.size(), CV_8UC1), truth = coarse.clone();
    std::vector<DetectionBox> boxes;
    for (int i = 0; i < 300; ++i) {
        const cv::Point p(4 + (i % 25) * 8, 4 + (i / 25) * 10);
        cv::circle(img, p, 1, cv::Scalar(40), -1);
        cv::circle(truth, p, 1, cv::Scalar(1), -1);
        const cv::Rect r(p.x - 3, p.y - 3, 7, 7);
        boxes.push_back({1, r});
        coarse(r).setTo(1);
    }
    const BoxCheck check = checkBoxes("boxes/dots.txt", boxes, img.size(), 2);
    EXPECT_TRUE(check.errors.empty());
    EXPECT_EQ(check.usable.size(), 300U);
    BoxClassifierOptions o;
    o.backgroundSamples = o.boxSamples = 3000;
    o.forest.threads = 1;
    const std::vector<RefinementProposal> p = classifierProposals({img}, {CoarseStart{coarse, check.usable}}, o);
    ASSERT_EQ(p.size(), 1U);
    // Every box keeps an object (the tightness prior), and nothing outside the boxes changes.
    for (const DetectionBox& b : check.usable)
        EXPECT_GT(cv::countNonZero(p[0].candidate(b.rect) == 1), 0);
    EXPECT_EQ(cv::countNonZero(p[0].candidate & (coarse == 0)), 0);
    EXPECT_LT(cv::countNonZero(p[0].candidate == 1), cv::countNonZero(coarse == 1));
}

TEST(MaskFolder, IndexesByStemAndRefusesAFile) {
    test::TempDir dir;
    EXPECT_THROW(masksByStem(dir / "missing"), FileError);
    EXPECT_TRUE(masksByStem(dir.path().string()).empty());
}
