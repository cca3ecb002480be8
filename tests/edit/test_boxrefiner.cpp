#include "edit/boximport.h"
#include "edit/boxrefiner.h"

#include "io/imageio.h"
#include "sample/samplegenerator.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace mf;

namespace {
double iou(const cv::Mat& a, const cv::Mat& b) {
    const double inter = cv::countNonZero(a & b), uni = cv::countNonZero(a | b);
    return uni > 0 ? inter / uni : 1.0;
}
} // namespace

TEST(BoxRefiner, SeparatesADiscFromItsBox) {
    cv::Mat image(80, 80, CV_8UC3, cv::Scalar(120, 120, 120));
    cv::randn(image, cv::Scalar(120, 120, 120), cv::Scalar(8, 8, 8));
    cv::Mat truth = cv::Mat::zeros(80, 80, CV_8UC1);
    cv::circle(truth, {40, 40}, 15, 255, cv::FILLED);
    image.setTo(cv::Scalar(200, 60, 40), truth);
    RefineResult r = refineBox(image, {}, {24, 24, 33, 33}, 2);
    cv::Mat mask = cv::Mat::zeros(80, 80, CV_8UC1);
    mask(cv::Rect(24, 24, 33, 33)).setTo(2);
    applyRefinement(mask, r);
    EXPECT_GT(iou(mask == 2, truth), 0.9);
}

TEST(BoxRefiner, StrokesAreHonoured) {
    cv::Mat image(60, 60, CV_8UC3, cv::Scalar(100, 100, 100));
    image(cv::Rect(20, 20, 20, 20)).setTo(cv::Scalar(220, 220, 220));
    cv::Mat seeds = cv::Mat::zeros(60, 60, CV_8UC1);
    seeds(cv::Rect(22, 22, 4, 4)).setTo(2);  // "not this corner", though it looks like the object
    RefineResult r = refineBox(image, seeds, {15, 15, 30, 30}, 1);
    EXPECT_EQ(r.foreground.at<uchar>(23 - 15, 23 - 15), 0);
    EXPECT_EQ(r.foreground.at<uchar>(30 - 15, 30 - 15), 255);
}

TEST(BoxRefiner, StrokeSeedsComeFromDifferencesToTheCoarseMask) {
    cv::Mat coarse = cv::Mat::zeros(10, 10, CV_8UC1);
    coarse(cv::Rect(2, 2, 6, 6)).setTo(3);
    cv::Mat mask = coarse.clone();
    mask.at<uchar>(3, 3) = 0;
    mask.at<uchar>(0, 0) = 3;
    cv::Mat s = strokeSeeds(mask, coarse, 3);
    EXPECT_EQ(s.at<uchar>(3, 3), 2);
    EXPECT_EQ(s.at<uchar>(0, 0), 1);
    EXPECT_EQ(cv::countNonZero(s), 2);
}

// The point of the tool: on the sample project, GrabCut from the boxes must beat the box fill.
TEST(BoxRefiner, RaisesIoUOfCoarseMasksOnTheSample) {
    const fs::path d = fs::temp_directory_path() / ("mf_refine_" + std::to_string(::getpid()));
    fs::remove_all(d);
    makeSampleProject({d.string(), 7, 24, 192});
    const Project p = Project::load(d.string());
    double coarseSum = 0, refinedSum = 0;
    int defects = 0;
    for (const ImageEntry& e : p.images()) {
        const cv::Mat image = readImageRgb(p.absolute(e.image)), truth = readMask(p.absolute(e.mask), MaskEncoding::Index);
        const cv::Mat coarse = readMask(p.absolute(e.coarse), MaskEncoding::Index);
        cv::Mat refined = coarse.clone();
        for (const DetectionBox& b : readYoloBoxes(p.absolute(e.boxes), image.size(), 1))
            applyRefinement(refined, refineBox(image, {}, b.rect, b.classId));
        for (int c = 1; c < p.classCount(); ++c) {
            if (cv::countNonZero(truth == c) == 0)
                continue;
            coarseSum += iou(coarse == c, truth == c);
            refinedSum += iou(refined == c, truth == c);
            ++defects;
        }
    }
    fs::remove_all(d);
    ASSERT_GT(defects, 20);
    const double coarseIoU = coarseSum / defects, refinedIoU = refinedSum / defects;
    RecordProperty("coarse_iou", std::to_string(coarseIoU));
    RecordProperty("refined_iou", std::to_string(refinedIoU));
    std::printf("mean IoU over %d defects: coarse %.3f, refined %.3f\n", defects, coarseIoU, refinedIoU);
    EXPECT_GT(refinedIoU, coarseIoU + 0.10);
}
