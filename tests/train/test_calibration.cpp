// Per-class calibration (infer/calibration.h, train/calibraterun.h): fitting offsets on evidence, the
// two-fold check that keeps them only where they hold, applying them, and storing them in a checkpoint.
#include "infer/calibration.h"
#include "infer/predictor.h"
#include "models/checkpoint.h"
#include "models/modelfactory.h"
#include "train/calibraterun.h"
#include "tinycheckpoint.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>

using namespace mf;
namespace fs = std::filesystem;

namespace {

/** A 3-class prediction of a 20×20 image: every pixel gets `p` (probabilities of classes 0, 1, 2). */
Prediction uniformPrediction(const std::array<float, 3>& p, int rows = 20, int cols = 20) {
    Prediction out;
    out.labels = cv::Mat::zeros(rows, cols, CV_8UC1);
    for (float v : p)
        out.probabilities.push_back(cv::Mat(rows, cols, CV_32FC1, cv::Scalar(v)));
    return out;
}

/** An image's worth of evidence: the left `objectCols` columns are truly `cls` and predicted with
 *  `onObject`, the rest truly background and predicted with `onBackground`. */
void addImage(CalibrationSamples& s, int cls, int objectCols, const std::array<float, 3>& onObject,
              const std::array<float, 3>& onBackground) {
    Prediction p = uniformPrediction(onBackground);
    cv::Mat truth = cv::Mat::zeros(20, 20, CV_8UC1);
    for (int c = 0; c < 3; ++c)
        p.probabilities[static_cast<std::size_t>(c)](cv::Rect(0, 0, objectCols, 20)).setTo(onObject[static_cast<std::size_t>(c)]);
    truth(cv::Rect(0, 0, objectCols, 20)).setTo(cls);
    s.add(p, truth);
}

} // namespace

TEST(Calibration, AnUnderPredictedClassGetsAPositiveOffsetThatHoldsOnHeldOutImages) {
    // Class 2 is always there and always under-predicted (0.4 against background's 0.55); class 1 is
    // predicted right. Every image says the same, so the two-fold check agrees and the offset is kept.
    CalibrationSamples s(3);
    for (int i = 0; i < 5; ++i) {  // two of each in turn, so that both halves (alternate images) hold both
        for (int k = 0; k < 2; ++k)
            addImage(s, 2, 6, {0.55f, 0.05f, 0.40f}, {0.90f, 0.05f, 0.05f});
        for (int k = 0; k < 2; ++k)
            addImage(s, 1, 4, {0.10f, 0.85f, 0.05f}, {0.90f, 0.05f, 0.05f});
    }
    const CalibrationFit fit = fitClassBias(s, "test evidence");
    ASSERT_EQ(fit.bias.size(), 3u);
    EXPECT_TRUE(fit.applied) << fit.note;
    EXPECT_GE(fit.bias[2], 0.5) << fit.note;      // log(0.55 / 0.40) = 0.32: +0.5 is the least offset that flips it
    EXPECT_LE(fit.bias[2], 1.0 + 1e-9) << fit.note;
    EXPECT_EQ(fit.bias[0], 0.0);
    EXPECT_LT(fit.before, 0.75);                  // class 2 IoU 0 before, class 1 IoU 1
    EXPECT_NEAR(fit.after, 1.0, 1e-9) << fit.note;
    EXPECT_GT(fit.heldOutGain, 0.0);
    EXPECT_NE(fit.note.find("applied"), std::string::npos) << fit.note;
    EXPECT_NE(fit.note.find("test evidence"), std::string::npos) << fit.note;
}

TEST(Calibration, OffsetsThatDoNotHoldOnTheOtherHalfAreNotApplied) {
    // Even images: class 1 under-predicted on its object (an offset up would win). Odd images: class 1
    // predicted right on its object, but its background is a near miss (0.45 against 0.55) that the
    // same offset would paint as class 1. Fitted on the evens, the offset ruins the odds; fitted on the
    // odds, it is 0: the held-out gain is negative, so nothing is applied, whatever the fit on all says.
    CalibrationSamples s(3);
    for (int i = 0; i < 6; ++i) {
        addImage(s, 1, 10, {0.55f, 0.45f, 0.0f}, {0.95f, 0.05f, 0.0f});  // even index
        addImage(s, 1, 2, {0.10f, 0.90f, 0.0f}, {0.55f, 0.45f, 0.0f});   // odd index
    }
    const CalibrationFit fit = fitClassBias(s, "contradicting evidence");
    EXPECT_LT(fit.heldOutGain, 0.0) << fit.note;
    EXPECT_FALSE(fit.applied) << fit.note;
    for (double b : fit.bias)
        EXPECT_EQ(b, 0.0) << fit.note;
    EXPECT_NE(fit.note.find("not applied"), std::string::npos) << fit.note;
}

TEST(Calibration, TooLittleEvidenceFitsNothing) {
    CalibrationSamples s(3);
    addImage(s, 2, 6, {0.55f, 0.05f, 0.40f}, {0.90f, 0.05f, 0.05f});
    const CalibrationFit fit = fitClassBias(s, "one image");
    EXPECT_FALSE(fit.applied);
    EXPECT_NE(fit.note.find("too little evidence"), std::string::npos) << fit.note;
}

TEST(Calibration, IgnoredPixelsAndSizeMismatchesAreHandled) {
    CalibrationSamples s(3, 255);
    Prediction p = uniformPrediction({0.2f, 0.3f, 0.5f});
    cv::Mat truth(20, 20, CV_8UC1, cv::Scalar(255));
    truth(cv::Rect(0, 0, 5, 20)).setTo(2);
    s.add(p, truth);
    EXPECT_EQ(s.pixels(), 100u);  // the ignore index counts nowhere
    EXPECT_THROW(s.add(p, cv::Mat::zeros(10, 10, CV_8UC1)), std::invalid_argument);
    Prediction two = uniformPrediction({0.5f, 0.5f, 0.0f});
    two.probabilities.pop_back();
    EXPECT_THROW(s.add(two, cv::Mat::zeros(20, 20, CV_8UC1)), std::invalid_argument);
}

TEST(Calibration, ApplyingOffsetsRenormalisesAndRelabels) {
    Prediction p = uniformPrediction({0.5f, 0.3f, 0.2f});
    p.probabilities[2].at<float>(0, 0) = 0.45f, p.probabilities[0].at<float>(0, 0) = 0.25f;
    applyClassBias(p, {0.0, 0.0, 1.0});  // 0.2·e = 0.54 > 0.5: class 2 wins everywhere
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 20; ++x) {
            ASSERT_EQ(p.labels.at<std::uint8_t>(y, x), 2);
            const float sum = p.probabilities[0].at<float>(y, x) + p.probabilities[1].at<float>(y, x) +
                              p.probabilities[2].at<float>(y, x);
            ASSERT_NEAR(sum, 1.0f, 1e-5f);
        }
    Prediction q = uniformPrediction({0.5f, 0.3f, 0.2f});
    q.labels.setTo(7);  // left as it is: no offsets, nothing to do
    applyClassBias(q, {});
    EXPECT_EQ(q.labels.at<std::uint8_t>(3, 3), 7);
    EXPECT_THROW(applyClassBias(q, {0.0, 1.0}), std::invalid_argument);
}

TEST(Calibration, ACheckpointKeepsItsOffsetsAndThePredictorAppliesThem) {
    const std::string path = mf::test::makeCheckpoint("calibrated.pt");
    cv::Mat img(40, 40, CV_8UC3);
    cv::randu(img, 0, 255);
    PredictOptions o;
    o.tile = 64;
    o.flipTta = 0;
    o.precision = "fp32";
    const Prediction before = Predictor::open(path, "cpu", "fp32")->predict(img, o);

    CalibrationFit fit;
    fit.applied = true;
    fit.bias = {0.0, 0.0, 30.0};  // class 2 everywhere
    fit.note = "written by the test";
    writeCheckpointCalibration(path, fit);
    const CheckpointMeta stored = readCheckpointMeta(path);
    EXPECT_EQ(stored.classBias, fit.bias);
    EXPECT_EQ(stored.calibrationNote, "written by the test");
    EXPECT_EQ(stored.epoch, 3);  // the rest of the description as it was

    auto predictor = Predictor::open(path, "cpu", "fp32");
    const Prediction calibrated = predictor->predict(img, o);
    EXPECT_EQ(cv::countNonZero(calibrated.labels != 2), 0);
    PredictOptions raw = o;
    raw.calibrated = false;
    const Prediction uncalibrated = predictor->predict(img, raw);
    EXPECT_EQ(cv::countNonZero(uncalibrated.labels != before.labels), 0);  // the weights are as they were
    EXPECT_LE(cv::norm(uncalibrated.probabilities[1], before.probabilities[1], cv::NORM_INF), 1e-6);

    CalibrationFit rejected = fit;
    rejected.applied = false;  // a fit that did not hold leaves no offsets
    writeCheckpointCalibration(path, rejected);
    EXPECT_TRUE(readCheckpointMeta(path).classBias.empty());
    std::filesystem::remove(path);
}
