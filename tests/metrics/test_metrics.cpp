#include "metrics/metrics.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace mf;

namespace {

cv::Mat mask2x2(int a, int b, int c, int d) { return (cv::Mat_<uchar>(2, 2) << a, b, c, d); }

/** Two images, three classes, worked out by hand:
 *  A truth [0 1; 1 2], pred [0 1; 2 2]: c0 tp1; c1 tp1 fn1; c2 tp1 fp1.
 *  B truth [0 0; 0 0], pred [0 0; 0 1]: c0 tp3 fn1; c1 fp1; c2 absent (0/0). */
MetricsAccumulator handWorked() {
    MetricsAccumulator acc(3);
    acc.add(mask2x2(0, 1, 1, 2), mask2x2(0, 1, 2, 2), "A");
    acc.add(mask2x2(0, 0, 0, 0), mask2x2(0, 0, 0, 1), "B");
    return acc;
}

} // namespace

TEST(Metrics, PerImageCounts) {
    auto acc = handWorked();
    const auto& a = acc.perImage()[0];
    EXPECT_EQ(a[1].tp, 1);
    EXPECT_EQ(a[1].fn, 1);
    EXPECT_EQ(a[1].fp, 0);
    EXPECT_EQ(a[1].tn, 2);
    EXPECT_EQ(a[2].fp, 1);
    const auto& b = acc.perImage()[1];
    EXPECT_EQ(b[0].tp, 3);
    EXPECT_EQ(b[0].fn, 1);
    EXPECT_EQ(b[2].tp + b[2].fp + b[2].fn, 0);
    EXPECT_EQ(b[2].tn, 4);
}

TEST(Metrics, ConfusionMatrixRowsAreTruth) {
    auto acc = handWorked();
    const std::int64_t expected[3][3] = {{4, 1, 0}, {0, 1, 1}, {0, 0, 1}};
    for (int t = 0; t < 3; ++t)
        for (int p = 0; p < 3; ++p)
            EXPECT_EQ(acc.confusionAt(t, p), expected[t][p]) << t << "," << p;
}

TEST(Metrics, ReductionsAllClasses) {
    auto acc = handWorked();
    // micro: (1+1+1+3+0+0) / (1+2+2+4+1+0) = 6/10
    EXPECT_NEAR(reduceIoU(acc, Reduction::Micro), 0.6, 1e-12);
    // macro: c0 4/5, c1 1/3, c2 1/2
    EXPECT_NEAR(reduceIoU(acc, Reduction::Macro), (0.8 + 1.0 / 3 + 0.5) / 3, 1e-12);
    // micro-imagewise: A 3/5, B 3/5
    EXPECT_NEAR(reduceIoU(acc, Reduction::MicroImagewise), 0.6, 1e-12);
    // macro-imagewise: A (1+.5+.5)/3, B (.75+0+1)/3 (0/0 scores 1)
    EXPECT_NEAR(reduceIoU(acc, Reduction::MacroImagewise), (2.0 / 3 + 1.75 / 3) / 2, 1e-12);
}

TEST(Metrics, ReductionsWithoutBackground) {
    auto acc = handWorked();
    EXPECT_NEAR(reduceIoU(acc, Reduction::Micro, 1), 2.0 / 5, 1e-12);
    EXPECT_NEAR(reduceIoU(acc, Reduction::Macro, 1), (1.0 / 3 + 0.5) / 2, 1e-12);
    EXPECT_NEAR(reduceIoU(acc, Reduction::MicroImagewise, 1), (2.0 / 4 + 0.0 / 1) / 2, 1e-12);
    EXPECT_NEAR(reduceIoU(acc, Reduction::MacroImagewise, 1), 0.5, 1e-12);
}

TEST(Metrics, DiceMacro) {
    auto acc = handWorked();
    // c0 8/9, c1 2/4, c2 2/3
    EXPECT_NEAR(reduceDice(acc, Reduction::Macro), (8.0 / 9 + 0.5 + 2.0 / 3) / 3, 1e-12);
}

TEST(Metrics, ReportFigures) {
    auto r = makeReport(handWorked());
    EXPECT_NEAR(r.pixelAccuracy, 6.0 / 8, 1e-12);
    EXPECT_NEAR(r.iou[0], 0.8, 1e-12);
    EXPECT_NEAR(r.iou[1], 1.0 / 3, 1e-12);
    EXPECT_NEAR(r.dice[2], 2.0 / 3, 1e-12);
    EXPECT_NEAR(r.mIoUNoBackground, (1.0 / 3 + 0.5) / 2, 1e-12);
    EXPECT_NEAR(r.microImagewiseIoU, 0.6, 1e-12);
    ASSERT_EQ(r.imageIoU.size(), 2u);
    EXPECT_NEAR(r.imageIoU[0], 0.5, 1e-12);  // foreground classes of A: 2/4
}

TEST(Metrics, IgnoreIndexCountsNowhere) {
    MetricsAccumulator acc(2, 255);
    acc.add((cv::Mat_<uchar>(1, 2) << 255, 1), (cv::Mat_<uchar>(1, 2) << 1, 1));
    const auto& c = acc.perImage()[0];
    EXPECT_EQ(c[1].tp, 1);
    EXPECT_EQ(c[1].fp, 0);
    EXPECT_EQ(c[0].tn, 1);
    EXPECT_EQ(acc.confusionAt(0, 1), 0);
    EXPECT_NEAR(reduceIoU(acc, Reduction::Micro, 1), 1.0, 1e-12);
}

TEST(Metrics, ZeroDivisionScoresOne) {
    MetricsAccumulator acc(3);
    acc.add(mask2x2(0, 0, 0, 0), mask2x2(0, 0, 0, 0));
    auto r = makeReport(acc);
    EXPECT_EQ(r.iou[1], 1.0);
    EXPECT_EQ(r.iou[2], 1.0);
    EXPECT_EQ(r.mIoUNoBackground, 1.0);
    EXPECT_EQ(reduceIoU(acc, Reduction::Micro, 1), 1.0);
}

TEST(Metrics, AbsentClassPredictedScoresZero) {
    MetricsAccumulator acc(2);
    acc.add(mask2x2(0, 0, 0, 0), mask2x2(1, 0, 0, 0));
    EXPECT_EQ(makeReport(acc).iou[1], 0.0);
}

TEST(Metrics, RejectsBadInput) {
    MetricsAccumulator acc(2);
    EXPECT_THROW(acc.add(mask2x2(0, 0, 0, 3), mask2x2(0, 0, 0, 0)), std::invalid_argument);
    EXPECT_THROW(acc.add(mask2x2(0, 0, 0, 0), cv::Mat::zeros(3, 3, CV_8U)), std::invalid_argument);
}

TEST(Metrics, JsonHasEveryFigure) {
    auto j = nlohmann::json::parse(reportToJson(makeReport(handWorked()), {"bg", "a", "b"}));
    for (const char* key : {"miou", "miou_no_background", "iou_micro", "iou_micro_imagewise", "iou_macro_imagewise",
                            "mean_dice", "pixel_accuracy", "per_class", "confusion", "per_image"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["per_class"][1]["name"], "a");
    EXPECT_EQ(j["confusion"][0][1], 1);
    EXPECT_NEAR(j["iou_micro"].get<double>(), 0.6, 1e-12);
}
