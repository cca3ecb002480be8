#include "review/contrastrefinement.h"
#include "review/refinementscore.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

using namespace mf;

namespace {

double iou(const cv::Mat& a, const cv::Mat& b) {
    const double inter = cv::countNonZero(a & b), uni = cv::countNonZero(a | b);
    return uni > 0 ? inter / uni : 1.0;
}

/** A tile-like surface: vertical striations plus noise, brightness `level`, and a left-to-right shading. */
cv::Mat surface(cv::Size size, double level, double shading, unsigned seed) {
    cv::Mat img(size, CV_32F);
    cv::RNG rng(seed);
    std::vector<float> stripe(static_cast<std::size_t>(size.width));
    for (float& s : stripe)
        s = static_cast<float>(rng.gaussian(8.0));
    for (int y = 0; y < size.height; ++y)
        for (int x = 0; x < size.width; ++x)
            img.at<float>(y, x) = static_cast<float>(level + shading * x / size.width) + stripe[static_cast<std::size_t>(x)] +
                                  static_cast<float>(rng.gaussian(4.0));
    return img;
}

cv::Mat to8u(const cv::Mat& f) {
    cv::Mat out;
    f.convertTo(out, CV_8U);
    return out;
}

} // namespace

TEST(ContrastRefinement, FindsAThinDarkCrackOnAShadedStripedSurface) {
    // A 3-px dark diagonal crack in a padded box; the surface is striped and shaded across the image.
    cv::Mat img = surface({200, 160}, 120, 60, 1);
    cv::Mat truth = cv::Mat::zeros(img.size(), CV_8UC1);
    cv::line(truth, {60, 40}, {130, 110}, cv::Scalar(1), 3);
    img.setTo(70, truth);
    const cv::Rect box(56, 36, 79, 79);
    CoarseStart start{cv::Mat::zeros(img.size(), CV_8UC1), {{1, box}}};
    start.coarse(box).setTo(1);
    const RefinementProposal p = contrastProposal(to8u(img), start);
    const double found = iou(p.candidate == 1, truth == 1), boxes = iou(start.coarse == 1, truth == 1);
    EXPECT_GT(found, 0.6) << "the crack, not the box (the box fill scores " << boxes << ")";
    EXPECT_EQ(p.emptyBoxes, 0);
    EXPECT_EQ(cv::countNonZero((p.candidate != 0) & (start.coarse == 0)), 0) << "nothing outside the fill";
}

TEST(ContrastRefinement, FindsABrightBlobToo) {
    cv::Mat img = surface({120, 120}, 100, 0, 2);
    cv::Mat truth = cv::Mat::zeros(img.size(), CV_8UC1);
    cv::circle(truth, {60, 60}, 12, cv::Scalar(1), cv::FILLED);
    img.setTo(170, truth);
    const cv::Rect box(45, 45, 31, 31);
    CoarseStart start{cv::Mat::zeros(img.size(), CV_8UC1), {{1, box}}};
    start.coarse(box).setTo(1);
    const RefinementProposal p = contrastProposal(to8u(img), start);
    EXPECT_GT(iou(p.candidate == 1, truth == 1), 0.8);
}

TEST(ContrastRefinement, TextureFindsASmoothPatchOfTheSameBrightness) {
    // A patch without striations, as bright on average as the striped surface around it: brightness says
    // little, the texture's contrast says where it is.
    cv::Mat img = surface({160, 160}, 120, 0, 3);
    cv::Mat truth = cv::Mat::zeros(img.size(), CV_8UC1);
    cv::rectangle(truth, cv::Rect(50, 50, 40, 50), cv::Scalar(1), cv::FILLED);
    cv::Mat smooth(img.size(), CV_32F);
    cv::RNG rng(9);
    rng.fill(smooth, cv::RNG::NORMAL, 120, 1);
    smooth.copyTo(img, truth);
    const cv::Rect box(40, 40, 60, 70);
    CoarseStart start{cv::Mat::zeros(img.size(), CV_8UC1), {{1, box}}};
    start.coarse(box).setTo(1);
    ContrastOptions o;
    o.brightness = false;
    o.textureSigma = 3;
    const RefinementProposal p = contrastProposal(to8u(img), start, o);
    EXPECT_GT(iou(p.candidate == 1, truth == 1), 0.7);
    EXPECT_GT(iou(p.candidate == 1, truth == 1), iou(start.coarse == 1, truth == 1));
}

TEST(ContrastRefinement, NothingDistinctKeepsTheFillAndOverlappingBoxesKeepEachOthersObject) {
    cv::Mat img = surface({160, 100}, 120, 0, 4);
    cv::Mat truth = cv::Mat::zeros(img.size(), CV_8UC1);
    cv::circle(truth, {40, 50}, 8, cv::Scalar(1), cv::FILLED);
    img.setTo(50, truth);
    // Box A holds the blob; box B overlaps A's right half and holds nothing but surface; box C is plain surface.
    const cv::Rect a(28, 38, 25, 25), b(40, 30, 40, 40), c(110, 20, 30, 30);
    CoarseStart start{cv::Mat::zeros(img.size(), CV_8UC1), {{1, a}, {1, b}, {2, c}}};
    start.coarse(a).setTo(1);
    start.coarse(b).setTo(1);
    start.coarse(c).setTo(2);
    ContrastOptions o;
    o.minZ = 4;  // the plain surface never passes
    const RefinementProposal p = contrastProposal(to8u(img), start, o);
    EXPECT_GT(iou(p.candidate == 1, truth == 1), 0.7) << "box B must not erase the blob box A found";
    EXPECT_EQ(cv::countNonZero(p.candidate(c) == 2), c.area()) << "a box where nothing stands out keeps its fill";
    EXPECT_GE(p.emptyBoxes, 1);
    // ...also where another box of its class that found something overlaps it.
    CoarseStart overlap{cv::Mat::zeros(img.size(), CV_8UC1), {{1, a}, {1, cv::Rect(50, 28, 20, 20)}}};
    overlap.coarse(a).setTo(1);
    overlap.coarse(cv::Rect(50, 28, 20, 20)).setTo(1);
    const RefinementProposal q = contrastProposal(to8u(img), overlap, o);
    EXPECT_EQ(cv::countNonZero(q.candidate(cv::Rect(50, 28, 20, 20)) == 1), 400) << "the empty box's fill, overlap included";
}

TEST(VoteLabels, MajorityInsideTheFillsAndAFillNobodyKeepsStays) {
    cv::Mat coarse = cv::Mat::zeros(10, 10, CV_8UC1);
    coarse(cv::Rect(0, 0, 4, 4)).setTo(1);
    coarse(cv::Rect(6, 6, 4, 4)).setTo(2);
    cv::Mat a = coarse.clone(), b = coarse.clone(), c = coarse.clone();
    a(cv::Rect(0, 0, 2, 4)).setTo(0);  // a drops the left half of class 1
    b(cv::Rect(0, 0, 4, 2)).setTo(0);  // b the top half
    a(cv::Rect(6, 6, 4, 4)).setTo(0);  // a and b drop class 2 entirely, c keeps it
    b(cv::Rect(6, 6, 4, 4)).setTo(0);
    const cv::Mat two = voteLabels(coarse, {a, b, c}, 2);
    // Class 1: the top-left 2x2 quarter has one vote (c), the rest at least two.
    EXPECT_EQ(cv::countNonZero(two == 1), 12);
    EXPECT_EQ(two.at<uchar>(0, 0), 0);
    EXPECT_EQ(two.at<uchar>(3, 3), 1);
    // Class 2: no pixel has two votes, so its box fill is kept.
    EXPECT_EQ(cv::countNonZero(two == 2), 16);
    const cv::Mat one = voteLabels(coarse, {a, b, c}, 1), three = voteLabels(coarse, {a, b, c}, 3);
    EXPECT_EQ(cv::countNonZero(one == 1), 16);
    EXPECT_EQ(cv::countNonZero(three == 1), 4);  // the bottom-right quarter: all three keep it
    EXPECT_THROW(voteLabels(coarse, {cv::Mat::zeros(5, 5, CV_8UC1)}, 1), std::invalid_argument);
}

TEST(ChoosingShare, EveryClassChoosesAndTheRestIsHeldOut) {
    std::vector<std::string> names;
    std::vector<int> strata;
    for (int i = 0; i < 50; ++i)
        names.push_back("a" + std::to_string(100 + i)), strata.push_back(1);
    for (int i = 0; i < 3; ++i)
        names.push_back("b" + std::to_string(i)), strata.push_back(2);
    const std::vector<bool> c = choosingShare(names, strata, 0.1);
    int chosen1 = 0, chosen2 = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
        (strata[i] == 1 ? chosen1 : chosen2) += c[i] ? 1 : 0;
    EXPECT_EQ(chosen1, 5);
    EXPECT_EQ(chosen2, 1) << "a class of three images still chooses with one";
    EXPECT_TRUE(c[0]);
    const std::vector<bool> all = choosingShare(names, strata, 1.0);
    EXPECT_EQ(std::count(all.begin(), all.end(), true), 53);
    EXPECT_THROW(choosingShare(names, {1}, 0.1), std::invalid_argument);
}

// With fastSurface boxContrast interpolates a wide box's surface on an averaged-down image (a click's window
// of 250 px blurred at σ 125 cost 50 ms at full resolution): the contrast must stay what the exact normalised
// convolution gives, to a thirtieth of a noise unit (0.009 measured), for boxes from small (the exact path) to wide.
TEST(ContrastRefinement, AWideBoxsSurfaceIsTheExactInterpolationWithinAThirtiethOfANoiseUnit) {
    const cv::Mat grey = surface({420, 330}, 120.0, 40.0, 11);
    cv::Mat smooth;
    cv::GaussianBlur(grey, smooth, cv::Size(0, 0), 1.0, 1.0, cv::BORDER_REFLECT);
    for (const cv::Rect box : {cv::Rect(40, 50, 30, 20), cv::Rect(60, 40, 97, 61), cv::Rect(30, 20, 251, 203),
                               cv::Rect(150, 120, 262, 199)}) {
        cv::Mat outside(grey.size(), CV_8UC1, cv::Scalar(255));
        cv::ellipse(outside, (box.tl() + box.br()) / 2, box.size() / 3, 20.0, 0.0, 360.0, cv::Scalar(0), cv::FILLED);
        ContrastOptions fast;
        fast.fastSurface = true;
        const cv::Mat z = boxContrast(smooth, outside, box, false, fast);
        // The exact path is the reference's own computation.
        const cv::Mat zExact = boxContrast(smooth, outside, box, false);
        // The reference, as the function's contract says: the context (ContrastOptions' defaults), the
        // normalised convolution by cv::GaussianBlur at full resolution, the robust spread of the residuals.
        const ContrastOptions o;
        const int m = std::max(o.minContext, static_cast<int>(std::lround(o.contextScale * std::max(box.width, box.height))));
        const cv::Rect b = box & cv::Rect({0, 0}, grey.size());
        const cv::Rect ctx = cv::Rect(b.x - m, b.y - m, b.width + 2 * m, b.height + 2 * m) & cv::Rect({0, 0}, grey.size());
        cv::Mat weight, num, den;
        cv::Mat(outside(ctx) != 0).convertTo(weight, CV_32F, 1.0 / 255.0);
        const cv::Mat weighted = smooth(ctx).mul(weight);
        const double sigma = std::max(2.0, 0.5 * std::max(b.width, b.height));
        cv::GaussianBlur(weighted, num, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
        cv::GaussianBlur(weight, den, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
        const cv::Mat diff = num / den - smooth(ctx);
        std::vector<float> dev;
        for (int y = 0; y < ctx.height; ++y)
            for (int x = 0; x < ctx.width; ++x)
                if (weight.at<float>(y, x) > 0)
                    dev.push_back(diff.at<float>(y, x));
        auto median = [](std::vector<float> v) {
            std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>((v.size() - 1) / 2), v.end());
            return v[(v.size() - 1) / 2];
        };
        const float med = median(dev);
        for (float& v : dev)
            v = std::abs(v - med);
        const double spread = std::max(1.0, 1.4826 * median(dev));
        const cv::Mat exact = diff(b - ctx.tl()) / spread;
        ASSERT_EQ(z.size(), exact.size());
        double worst = 0;
        cv::minMaxLoc(cv::abs(z - exact), nullptr, &worst);
        EXPECT_LT(worst, 1.0 / 30) << "box " << b << ", sigma " << sigma << ", spread " << spread;
        double exactWorst = 0;
        cv::minMaxLoc(cv::abs(zExact - exact), nullptr, &exactWorst);
        EXPECT_LT(exactWorst, 1e-4) << "box " << b;
    }
}
