#include "viz/overlay.h"

#include <gtest/gtest.h>

using namespace mf;

namespace {

cv::Mat mask(std::initializer_list<std::uint8_t> values, int cols) {
    cv::Mat m(static_cast<int>(values.size()) / cols, cols, CV_8UC1);
    std::copy(values.begin(), values.end(), m.ptr<std::uint8_t>(0));
    return m;
}

ErrorCode at(const cv::Mat& codes, int x, int y) { return static_cast<ErrorCode>(codes.at<std::uint8_t>(y, x)); }

} // namespace

TEST(ErrorMap, AllClassesByHand) {
    // truth / prediction per pixel: TN, TP, FP, FN, wrong class, ignored
    const cv::Mat truth = mask({0, 1, 0, 2, 1, 255}, 6);
    const cv::Mat pred = mask({0, 1, 3, 0, 2, 1}, 6);
    const cv::Mat codes = errorCodes(truth, pred);
    EXPECT_EQ(at(codes, 0, 0), ErrorCode::None);
    EXPECT_EQ(at(codes, 1, 0), ErrorCode::TruePositive);
    EXPECT_EQ(at(codes, 2, 0), ErrorCode::FalsePositive);
    EXPECT_EQ(at(codes, 3, 0), ErrorCode::FalseNegative);
    EXPECT_EQ(at(codes, 4, 0), ErrorCode::WrongClass);
    EXPECT_EQ(at(codes, 5, 0), ErrorCode::None);
}

TEST(ErrorMap, OneClassTreatsOtherClassesAsNegatives) {
    const cv::Mat truth = mask({1, 1, 2, 0, 2}, 5);
    const cv::Mat pred = mask({1, 2, 1, 1, 2}, 5);
    const cv::Mat codes = errorCodes(truth, pred, 1);
    EXPECT_EQ(at(codes, 0, 0), ErrorCode::TruePositive);
    EXPECT_EQ(at(codes, 1, 0), ErrorCode::FalseNegative);
    EXPECT_EQ(at(codes, 2, 0), ErrorCode::FalsePositive);
    EXPECT_EQ(at(codes, 3, 0), ErrorCode::FalsePositive);
    EXPECT_EQ(at(codes, 4, 0), ErrorCode::None);  // class 2 everywhere: not this map's business
}

TEST(ErrorMap, ColoursAreDistinctAndTransparentForNone) {
    const cv::Mat truth = mask({0, 1, 0, 1}, 4);
    const cv::Mat pred = mask({0, 1, 1, 0}, 4);
    const cv::Mat rgba = colorizeErrors(errorCodes(truth, pred));
    ASSERT_EQ(rgba.type(), CV_8UC4);
    EXPECT_EQ(rgba.at<cv::Vec4b>(0, 0)[3], 0);
    const auto tp = rgba.at<cv::Vec4b>(0, 1), fp = rgba.at<cv::Vec4b>(0, 2), fn = rgba.at<cv::Vec4b>(0, 3);
    EXPECT_EQ(tp, cv::Vec4b(0, 200, 70, 255));   // green
    EXPECT_EQ(fp, cv::Vec4b(235, 40, 40, 255));  // red
    EXPECT_EQ(fn, cv::Vec4b(30, 110, 255, 255)); // blue
    EXPECT_NE(tp, fp);
    EXPECT_NE(fp, fn);
}

TEST(ErrorMap, RejectsMismatchedMasks) {
    EXPECT_THROW(errorCodes(cv::Mat(4, 4, CV_8UC1), cv::Mat(4, 5, CV_8UC1)), std::invalid_argument);
    EXPECT_THROW(errorCodes(cv::Mat(4, 4, CV_8UC1), cv::Mat(4, 4, CV_32FC1)), std::invalid_argument);
}

TEST(Labels, PaletteColoursAndTransparentBackground) {
    const cv::Mat rgba = colorizeLabels(mask({0, 1, 2, 9}, 4), {{0, 0, 0}, {10, 20, 30}, {40, 50, 60}});
    EXPECT_EQ(rgba.at<cv::Vec4b>(0, 0)[3], 0);
    EXPECT_EQ(rgba.at<cv::Vec4b>(0, 1), cv::Vec4b(10, 20, 30, 255));
    EXPECT_EQ(rgba.at<cv::Vec4b>(0, 2), cv::Vec4b(40, 50, 60, 255));
    EXPECT_EQ(rgba.at<cv::Vec4b>(0, 3), cv::Vec4b(0, 0, 0, 255));  // beyond the palette: opaque black
}

TEST(HeatMap, AlphaAndBrightnessRiseWithProbability) {
    cv::Mat p(1, 3, CV_32FC1);
    p.at<float>(0, 0) = 0.f, p.at<float>(0, 1) = 0.5f, p.at<float>(0, 2) = 1.f;
    const cv::Mat rgba = colorizeProbability(p);
    const auto lo = rgba.at<cv::Vec4b>(0, 0), mid = rgba.at<cv::Vec4b>(0, 1), hi = rgba.at<cv::Vec4b>(0, 2);
    EXPECT_LT(lo[3], mid[3]);
    EXPECT_LT(mid[3], hi[3]);
    EXPECT_EQ(hi[3], 255);
    EXPECT_LT(lo[0] + lo[1] + lo[2], hi[0] + hi[1] + hi[2]);  // viridis: dark purple to bright yellow
    EXPECT_GT(hi[0], 200);                                  // yellow: strong red and green
    EXPECT_GT(hi[1], 200);
}

TEST(Disagreement, MaskAndWhoIsRight) {
    const cv::Mat a = mask({1, 1, 2, 0, 3}, 5);
    const cv::Mat b = mask({1, 2, 1, 2, 3}, 5);
    const cv::Mat t = mask({1, 1, 1, 1, 0}, 5);
    const cv::Mat diff = disagreementMask(a, b);
    EXPECT_EQ(cv::countNonZero(diff), 3);
    const cv::Mat codes = disagreementCodes(a, b, t);
    EXPECT_EQ(codes.at<std::uint8_t>(0, 0), std::uint8_t(DisagreementCode::Agree));
    EXPECT_EQ(codes.at<std::uint8_t>(0, 1), std::uint8_t(DisagreementCode::OnlyARight));
    EXPECT_EQ(codes.at<std::uint8_t>(0, 2), std::uint8_t(DisagreementCode::OnlyBRight));
    EXPECT_EQ(codes.at<std::uint8_t>(0, 3), std::uint8_t(DisagreementCode::BothWrong));
    EXPECT_EQ(codes.at<std::uint8_t>(0, 4), std::uint8_t(DisagreementCode::Agree));  // agree, both wrong
    const cv::Mat noTruth = disagreementCodes(a, b);
    EXPECT_EQ(noTruth.at<std::uint8_t>(0, 1), std::uint8_t(DisagreementCode::Differ));
    const cv::Mat rgba = colorizeDisagreement(codes);
    EXPECT_EQ(rgba.at<cv::Vec4b>(0, 0)[3], 0);
    EXPECT_NE(rgba.at<cv::Vec4b>(0, 1), rgba.at<cv::Vec4b>(0, 2));
}

TEST(Overlay, TintBlendsLabelledPixelsWithTheirClassColour) {
    cv::Mat rgb(1, 3, CV_8UC3, cv::Scalar(100, 100, 100));
    const cv::Mat labels = mask({0, 1, 7}, 3);
    const cv::Mat out = tintLabels(rgb, labels, {{0, 0, 0}, {200, 0, 100}});
    EXPECT_EQ(out.at<cv::Vec3b>(0, 0), cv::Vec3b(100, 100, 100));  // background untouched
    EXPECT_EQ(out.at<cv::Vec3b>(0, 1), cv::Vec3b(150, 50, 100));   // half image, half class colour
    EXPECT_EQ(out.at<cv::Vec3b>(0, 2), cv::Vec3b(100, 100, 100));  // beyond the palette: untouched
    EXPECT_THROW(tintLabels(rgb, mask({0, 1}, 2), {}), std::invalid_argument);
    const std::vector<Rgb> palette = classPalette({{3, "x", {1, 2, 3}}});
    ASSERT_EQ(palette.size(), 256u);
    EXPECT_EQ(palette[3], (Rgb{1, 2, 3}));
    EXPECT_EQ(palette[4], defaultClassColor(4));
}
