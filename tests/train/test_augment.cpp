#include "train/augment.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>
#include <set>

using namespace mf;

namespace {

constexpr int kFill = 255;  // mask value for pixels from outside the image (the loader's ignore index)

/** A dark 72×72 image (the augmenters' size, so the resize is exact) with a bright rectangle; mask 1 on the rectangle, 0 elsewhere. */
void shape(cv::Mat& rgb, cv::Mat& mask) {
    rgb = cv::Mat(72, 72, CV_8UC3, cv::Scalar(20, 25, 30));
    mask = cv::Mat(72, 72, CV_8UC1, cv::Scalar(0));
    cv::Rect box(22, 18, 30, 28);
    rgb(box).setTo(cv::Scalar(230, 200, 180));
    mask(box).setTo(1);
}

/** IoU of (grey > 110) vs (mask == 1), `margin` pixels away from the edges. */
double brightMaskIoU(const cv::Mat& rgb, const cv::Mat& mask, int margin = 4) {
    cv::Mat grey;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    int inter = 0, uni = 0;
    for (int y = margin; y < rgb.rows - margin; ++y)
        for (int x = margin; x < rgb.cols - margin; ++x) {
            bool a = grey.at<uchar>(y, x) > 110, b = mask.at<uchar>(y, x) == 1;
            inter += a && b;
            uni += a || b;
        }
    return uni ? double(inter) / uni : 1.0;
}

std::set<int> values(const cv::Mat& mask) {
    std::set<int> out;
    for (int y = 0; y < mask.rows; ++y)
        for (int x = 0; x < mask.cols; ++x)
            out.insert(mask.at<uchar>(y, x));
    return out;
}

AugmentConfig none() {
    AugmentConfig c;
    c.hflip = 0;
    return c;
}

bool same(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

} // namespace

TEST(Augment, ResizesToSize) {
    cv::Mat rgb, mask;
    shape(rgb, mask);
    std::mt19937_64 rng(1);
    Augmenter(none(), 64, kFill).apply(rgb, mask, rng);
    EXPECT_EQ(rgb.size(), cv::Size(64, 64));
    EXPECT_EQ(mask.size(), cv::Size(64, 64));
    EXPECT_EQ(rgb.type(), CV_8UC3);
    EXPECT_EQ(mask.type(), CV_8UC1);
    EXPECT_GE(brightMaskIoU(rgb, mask), 0.9);
    EXPECT_EQ(values(mask), (std::set<int>{0, 1}));
}

TEST(Augment, FlipsMoveExactly) {
    cv::Mat rgb, mask, original, originalMask;
    shape(original, originalMask);
    for (int axis : {1, 0}) {
        AugmentConfig c = none();
        (axis == 1 ? c.hflip : c.vflip) = 1.0;
        rgb = original.clone();
        mask = originalMask.clone();
        // A non-square input: flip first would differ from resize first, so flip at the input size.
        cv::resize(original, rgb, {80, 80}, 0, 0, cv::INTER_NEAREST);
        cv::resize(originalMask, mask, {80, 80}, 0, 0, cv::INTER_NEAREST);
        cv::Mat expectImage, expectMask;
        cv::flip(rgb, expectImage, axis);
        cv::flip(mask, expectMask, axis);
        std::mt19937_64 rng(5);
        Augmenter(c, 80, kFill).apply(rgb, mask, rng);
        EXPECT_TRUE(same(rgb, expectImage)) << "axis " << axis;
        EXPECT_TRUE(same(mask, expectMask)) << "axis " << axis;
    }
}

TEST(Augment, GeometricStepsKeepMaskOnShape) {
    struct Case {
        const char* name;
        void (*enable)(AugmentConfig&);
    };
    const Case cases[] = {
        {"randomCrop", [](AugmentConfig& c) { c.randomCrop = 1; }},
        {"shiftScaleRotate", [](AugmentConfig& c) { c.shiftScaleRotate = 1, c.rotateLimit = 30, c.scaleLimit = 0.2; }},
        {"gridDistortion", [](AugmentConfig& c) { c.gridDistortion = 1; }},
        {"opticalDistortion", [](AugmentConfig& c) { c.opticalDistortion = 1; }},
    };
    for (const Case& k : cases)
        for (std::uint64_t seed = 1; seed <= 8; ++seed) {
            AugmentConfig c = none();
            k.enable(c);
            cv::Mat rgb, mask, before;
            shape(rgb, mask);
            before = rgb.clone();
            std::mt19937_64 rng(seed);
            Augmenter(c, 72, kFill).apply(rgb, mask, rng);
            EXPECT_GE(brightMaskIoU(rgb, mask), 0.9) << k.name << " seed " << seed;
            for (int v : values(mask))
                EXPECT_TRUE(v == 0 || v == 1 || v == kFill) << k.name << " made mask value " << v;
        }
}

TEST(Augment, GeometricStepsChangeSomething) {
    AugmentConfig c = none();
    c.shiftScaleRotate = c.gridDistortion = c.opticalDistortion = 1;
    cv::Mat rgb, mask, plainRgb, plainMask;
    shape(rgb, mask);
    shape(plainRgb, plainMask);
    std::mt19937_64 rng(9);
    Augmenter(c, 72, kFill).apply(rgb, mask, rng);
    Augmenter::resize(plainRgb, plainMask, 72);
    EXPECT_FALSE(same(mask, plainMask));
}

TEST(Augment, PhotometricStepsLeaveMaskAlone) {
    AugmentConfig c = none();
    c.gaussianBlur = c.brightnessContrast = c.jpeg = 1;
    c.jpegQualityLow = c.jpegQualityHigh = 30;
    cv::Mat rgb, mask, plainRgb, plainMask;
    shape(rgb, mask);
    shape(plainRgb, plainMask);
    std::mt19937_64 rng(2);
    Augmenter(c, 64, kFill).apply(rgb, mask, rng);
    Augmenter::resize(plainRgb, plainMask, 64);
    EXPECT_TRUE(same(mask, plainMask));
    EXPECT_FALSE(same(rgb, plainRgb));
    EXPECT_GE(brightMaskIoU(rgb, mask), 0.8);  // blur softens the edge by a pixel or two
}

TEST(Augment, SameSeedSameOutputAndInputUntouched) {
    AugmentConfig c;
    c.hflip = c.vflip = 0.5;
    c.shiftScaleRotate = c.gaussianBlur = c.brightnessContrast = c.jpeg = 0.5;
    c.gridDistortion = c.opticalDistortion = c.randomCrop = 0.5;
    cv::Mat src, srcMask;
    shape(src, srcMask);
    const cv::Mat keep = src.clone(), keepMask = srcMask.clone();
    Augmenter aug(c, 48, kFill);
    int differing = 0;
    for (std::uint64_t seed = 0; seed < 6; ++seed) {
        cv::Mat a = src, am = srcMask, b = src, bm = srcMask, d = src, dm = srcMask;
        std::mt19937_64 r1(seed), r2(seed), r3(seed + 100);
        aug.apply(a, am, r1);
        aug.apply(b, bm, r2);
        aug.apply(d, dm, r3);
        EXPECT_TRUE(same(a, b) && same(am, bm)) << "seed " << seed;
        differing += !same(a, d);
    }
    EXPECT_GE(differing, 4);
    EXPECT_TRUE(same(src, keep) && same(srcMask, keepMask)) << "apply wrote into its shared input";
}

TEST(Augment, RejectsWrongTypes) {
    cv::Mat rgb(10, 10, CV_8UC1), mask(10, 10, CV_8UC1);
    std::mt19937_64 rng(1);
    EXPECT_THROW(Augmenter(none(), 8).apply(rgb, mask, rng), std::invalid_argument);
}

TEST(Augment, MosaicTakesEachQuadrantFromItsImage) {
    std::array<std::pair<cv::Mat, cv::Mat>, 4> in;
    for (int k = 0; k < 4; ++k) {
        // Image k is uniformly grey 50·(k+1) with mask k+1; sizes differ to exercise the resize.
        in[k].first = cv::Mat(40 + 10 * k, 50, CV_8UC3, cv::Scalar::all(50 * (k + 1)));
        in[k].second = cv::Mat(40 + 10 * k, 50, CV_8UC1, cv::Scalar(k + 1));
    }
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
        cv::Mat image, mask;
        std::mt19937_64 rng(seed);
        mosaic(in, image, mask, 64, rng);
        ASSERT_EQ(image.size(), cv::Size(64, 64));
        ASSERT_EQ(mask.size(), cv::Size(64, 64));
        EXPECT_EQ(mask.at<uchar>(0, 0), 1);
        EXPECT_EQ(mask.at<uchar>(0, 63), 2);
        EXPECT_EQ(mask.at<uchar>(63, 0), 3);
        EXPECT_EQ(mask.at<uchar>(63, 63), 4);
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x)
                ASSERT_EQ(image.at<cv::Vec3b>(y, x)[0], 50 * mask.at<uchar>(y, x));
        cv::Mat again, againMask;
        std::mt19937_64 rng2(seed);
        mosaic(in, again, againMask, 64, rng2);
        EXPECT_TRUE(same(image, again) && same(mask, againMask));
    }
}
