// The shared refinement of coarse images (GUI batch refiner, model proposals, `maskforge-cli refine`):
// which images it touches, and that a refined box never claims pixels outside its class's coarse fill.
#include "../testutil.h"
#include "io/imageio.h"
#include "review/refinement.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

using namespace mf;

namespace {

// Two overlapping boxes of one class forming an L, as in NEU-DET's VOC files (27 of its 120 images).
// VOC imports keep no box file, so the refinement recovers one box from the fill: their bounding
// rectangle, which also covers the corner neither box covered.
const cv::Rect kBar(20, 20, 60, 16), kPost(20, 20, 16, 60);

CoarseStart lShapedStart() {
    CoarseStart s;
    s.coarse = cv::Mat::zeros(100, 100, CV_8UC1);
    s.coarse(kBar).setTo(1);
    s.coarse(kPost).setTo(1);
    s.boxes = boxesFromMask(s.coarse);
    return s;
}

cv::Mat outsideFill(const CoarseStart& s) { return s.coarse == 0; }

} // namespace

TEST(Refinement, RecoveredBoxOfMergedBoxesCoversMoreThanTheBoxes) {
    const CoarseStart s = lShapedStart();
    ASSERT_EQ(s.boxes.size(), 1u);
    EXPECT_EQ(s.boxes[0].rect, cv::Rect(20, 20, 60, 60));
}

TEST(Refinement, GrabCutNeverPaintsOutsideTheCoarseFill) {
    const CoarseStart s = lShapedStart();
    // Dark steel with a bright defect that fills the L and also the corner outside both boxes.
    cv::Mat image(100, 100, CV_8UC3, cv::Scalar(40, 40, 40));
    cv::randn(image, cv::Scalar(40, 40, 40), cv::Scalar(6, 6, 6));
    image(cv::Rect(22, 22, 56, 56)).setTo(cv::Scalar(200, 200, 200));
    const RefinementProposal p = grabCutProposal(image, s);
    EXPECT_GT(cv::countNonZero(p.candidate == 1), 0);
    EXPECT_EQ(cv::countNonZero((p.candidate == 1) & outsideFill(s)), 0) << "GrabCut grew the class beyond the boxes";
    EXPECT_EQ(p.changedPixels, cv::countNonZero(p.candidate != s.coarse));
}

TEST(Refinement, ModelNeverPaintsOutsideTheCoarseFill) {
    const CoarseStart s = lShapedStart();
    const cv::Mat prediction(100, 100, CV_8UC1, cv::Scalar(1));  // the model sees the class everywhere
    const RefinementProposal p = modelProposal(prediction, s);
    EXPECT_EQ(cv::countNonZero((p.candidate == 1) & outsideFill(s)), 0) << "the model grew the class beyond the boxes";
    EXPECT_EQ(cv::countNonZero(p.candidate == 1), cv::countNonZero(s.coarse == 1));
    EXPECT_EQ(p.emptyBoxes, 0);
}

TEST(Refinement, ModelFindingNothingKeepsTheCoarseFill) {
    const CoarseStart s = lShapedStart();
    cv::Mat prediction = cv::Mat::zeros(100, 100, CV_8UC1);
    prediction(cv::Rect(60, 60, 30, 30)).setTo(1);  // only in the corner outside both boxes
    const RefinementProposal p = modelProposal(prediction, s);
    EXPECT_EQ(p.emptyBoxes, 1);
    EXPECT_EQ(cv::countNonZero(p.candidate != s.coarse), 0);
}

TEST(Refinement, OnlyCoarseImagesAreRefined) {
    ImageEntry e;
    e.mask = "masks/a.png";
    e.coarse = "coarse/a.png";
    for (ImageStatus st : {ImageStatus::Unlabelled, ImageStatus::Refined, ImageStatus::Reviewed}) {
        e.status = st;
        EXPECT_EQ(refinementSource(e), "") << toString(st);
    }
    e.status = ImageStatus::Coarse;
    EXPECT_EQ(refinementSource(e), "coarse/a.png");
    e.coarse.clear();
    EXPECT_EQ(refinementSource(e), "masks/a.png");
}

TEST(Refinement, ReadCoarseStartNamesAMissingFile) {
    mf::test::TempDir dir;
    Project project(dir.path().string());
    ImageEntry e;
    e.image = "images/a.png";
    e.coarse = "coarse/a.png";
    e.status = ImageStatus::Coarse;
    try {
        readCoarseStart(project, e);
        FAIL() << "no error";
    } catch (const FileError& err) {
        EXPECT_NE(std::string(err.what()).find("coarse/a.png"), std::string::npos) << err.what();
    }
    e.status = ImageStatus::Reviewed;
    EXPECT_THROW(readCoarseStart(project, e), FileError);
}

// NEU-DET's textured grey steel: GrabCut often finds no object at all in a box (patches_2: all three
// boxes, 198 of 231 boxes of the subset). A box says an object is there; an empty cut must not erase
// it from the training masks: the box keeps its coarse fill and is counted, as the model refinement does.
TEST(Refinement, GrabCutFindingNothingKeepsTheCoarseFill) {
    CoarseStart s;
    s.coarse = cv::Mat::zeros(120, 120, CV_8UC1);
    const cv::Rect box(30, 30, 60, 60);
    s.coarse(box).setTo(2);
    s.boxes = boxesFromMask(s.coarse);
    cv::Mat image(120, 120, CV_8UC3);
    cv::randu(image, cv::Scalar(90, 90, 90), cv::Scalar(170, 170, 170));  // the same texture in and around the box
    const RefinementProposal p = grabCutProposal(image, s);
    if (cv::countNonZero(p.candidate(box) == 2) > 0 && p.emptyBoxes == 0)
        GTEST_SKIP() << "GrabCut found an object in pure noise on this build; the case is not exercised";
    EXPECT_EQ(p.emptyBoxes, 1);
    EXPECT_EQ(cv::countNonZero(p.candidate != s.coarse), 0) << "an empty cut erased the box";
}
