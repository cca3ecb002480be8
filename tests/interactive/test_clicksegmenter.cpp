#include "interactive/clickbench.h"
#include "interactive/clicksegmenter.h"
#include "interactive/segmenters.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace {

/** A bright disk on dark noise, and its truth (0/1). */
cv::Mat diskOnNoise(cv::Mat& truth, unsigned seed = 1) {
    cv::RNG rng(seed);
    cv::Mat image(120, 160, CV_8UC3);
    rng.fill(image, cv::RNG::NORMAL, cv::Scalar::all(70), cv::Scalar::all(25));
    truth = cv::Mat::zeros(image.size(), CV_8UC1);
    cv::circle(truth, {95, 55}, 28, cv::Scalar(1), cv::FILLED);
    cv::Mat object(image.size(), CV_8UC3);
    rng.fill(object, cv::RNG::NORMAL, cv::Scalar(200, 120, 60), cv::Scalar::all(25));
    object.copyTo(image, truth);
    return image;
}

/** Runs the simulated user on one object; returns the IoU after each click. */
std::vector<double> simulate(const std::string& method, const cv::Mat& image, const cv::Mat& truth, int clicks) {
    mf::ClickSample sample{"synthetic", image, {{"disk", truth}}};
    return mf::runClickBench({sample}, method, clicks).objects.at(0).ious;
}

} // namespace

TEST(ClickSegmenter, ADiskOnNoiseIsReachedInFewClicks) {
    cv::Mat truth;
    const cv::Mat image = diskOnNoise(truth);
    for (const std::string& method : mf::clickSegmenterNames()) {
        const std::vector<double> ious = simulate(method, image, truth, 5);
        EXPECT_LE(mf::clicksToReach(ious, 0.90, 5), 3) << method << ": IoU after 1 click " << ious[0];
    }
}

TEST(ClickSegmenter, ANegativeClickRemovesARegion) {
    // Two squares side by side, the right one a little redder: a click on the left one takes both, a
    // negative click on the right one takes it away again.
    cv::RNG rng(3);
    cv::Mat image(100, 160, CV_8UC3);
    rng.fill(image, cv::RNG::NORMAL, cv::Scalar::all(60), cv::Scalar::all(15));
    cv::Mat squares(image.size(), CV_8UC3);
    rng.fill(squares, cv::RNG::NORMAL, cv::Scalar(40, 200, 80), cv::Scalar::all(15));
    cv::Mat left = cv::Mat::zeros(image.size(), CV_8UC1), right = left.clone();
    left(cv::Rect(20, 20, 60, 60)).setTo(255);
    right(cv::Rect(80, 20, 60, 60)).setTo(255);
    squares.copyTo(image, left);
    cv::Mat redder = squares + cv::Scalar(40, 0, 0);
    redder.copyTo(image, right);
    auto seg = mf::makeClickSegmenter("geocut");
    seg->setImage(image);
    mf::ClickQuery q;
    q.clicks.push_back({{50, 50}, true});
    const cv::Mat first = seg->segment(q);
    ASSERT_GT(cv::countNonZero(first & left), 3500);
    ASSERT_GT(cv::countNonZero(first & right), 3000) << "the right square should first join the object";
    q.clicks.push_back({{110, 50}, false});
    const cv::Mat second = seg->segment(q);
    EXPECT_GT(cv::countNonZero(second & left), 3500);
    EXPECT_LT(cv::countNonZero(second & right), 100);
}

TEST(ClickSegmenter, StartsFromABox) {
    cv::Mat truth;
    const cv::Mat image = diskOnNoise(truth);
    auto seg = mf::makeClickSegmenter("geocut");
    seg->setImage(image);
    mf::ClickQuery q;
    q.box = cv::Rect(60, 20, 70, 70);
    const cv::Mat mask = seg->segment(q);
    EXPECT_GE(mf::clickIoU(mask, truth), 0.85);
    EXPECT_EQ(cv::countNonZero(mask(cv::Rect(0, 0, 60, 120))), 0) << "nothing outside the box";
}

TEST(ClickSegmenter, APriorBecomesTheDataTerm) {
    // Object and background drawn from one colour distribution: only the prior tells them apart.
    cv::RNG rng(5);
    cv::Mat image(120, 160, CV_8UC3);
    rng.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(256));
    cv::Mat truth = cv::Mat::zeros(image.size(), CV_8UC1);
    cv::circle(truth, {80, 60}, 30, cv::Scalar(1), cv::FILLED);
    cv::Mat prior(image.size(), CV_32FC1, cv::Scalar(0.2f));
    prior.setTo(0.8f, truth);
    auto seg = mf::makeClickSegmenter("geocut");
    seg->setImage(image);
    mf::ClickQuery q;
    q.clicks.push_back({{80, 60}, true});
    const double without = mf::clickIoU(seg->segment(q), truth);
    q.prior = &prior;
    const double with = mf::clickIoU(seg->segment(q), truth);
    EXPECT_GE(with, 0.85);
    EXPECT_GT(with, without + 0.2);
}

TEST(ClickSegmenter, ClicksOutsideTheImageAreIgnored) {
    cv::Mat truth;
    const cv::Mat image = diskOnNoise(truth);
    for (const std::string& method : mf::clickSegmenterNames()) {
        auto seg = mf::makeClickSegmenter(method);
        seg->setImage(image);
        mf::ClickQuery q;
        q.clicks = {{{-5, 10}, true}, {{500, 50}, false}};
        const cv::Mat none = seg->segment(q);
        EXPECT_EQ(none.size(), image.size()) << method;
        EXPECT_EQ(cv::countNonZero(none), 0) << method;
        q.clicks.push_back({{95, 55}, true});
        const cv::Mat withOutside = seg->segment(q);
        q.clicks = {{{95, 55}, true}};
        EXPECT_EQ(cv::countNonZero(withOutside != seg->segment(q)), 0) << method;
    }
}

TEST(ClickSegmenter, BadInputIsRefused) {
    EXPECT_THROW(mf::makeClickSegmenter("sam"), std::invalid_argument);
    cv::Mat truth;
    auto seg = mf::makeClickSegmenter("geocut");
    seg->setImage(diskOnNoise(truth));
    mf::ClickQuery q;
    q.clicks.push_back({{95, 55}, true});
    const cv::Mat small(10, 10, CV_32FC1, cv::Scalar(0.5f));
    q.prior = &small;
    EXPECT_THROW(seg->segment(q), std::invalid_argument);
    const cv::Mat bytes(truth.size(), CV_8UC1, cv::Scalar(1));
    q.prior = &bytes;
    EXPECT_THROW(seg->segment(q), std::invalid_argument);
}

TEST(ClickSegmenter, GreyImagesWork) {
    cv::Mat truth;
    cv::Mat grey;
    cv::cvtColor(diskOnNoise(truth, 9), grey, cv::COLOR_RGB2GRAY);
    const std::vector<double> ious = simulate("geocut", grey, truth, 5);
    EXPECT_LE(mf::clicksToReach(ious, 0.85, 5), 3);
}

TEST(ClickBench, SummaryAndPlot) {
    mf::MethodRun run;
    run.method = "m";
    run.images = 1;
    run.objects = {{"a", {0.5, 0.86, 0.95}, 3, 0.3, 0.3, 0.2, 0.15}, {"b", {0.2, 0.3, 0.4}, 3, 0.3, 0.3, 0.12, 0.18}};
    const mf::ClickSummary s = mf::summarize(run, 3);
    EXPECT_DOUBLE_EQ(s.slowestClickSeconds, 0.2);  // the slowest click by either clock, over all objects
    EXPECT_DOUBLE_EQ(s.slowestClickCpuSeconds, 0.18);
    EXPECT_DOUBLE_EQ(s.noc85, (2 + 3) / 2.0);
    EXPECT_DOUBLE_EQ(s.noc90, (3 + 3) / 2.0);
    EXPECT_EQ(s.failed85, 1);
    EXPECT_EQ(s.failed90, 1);
    EXPECT_DOUBLE_EQ(s.meanIou[1], (0.86 + 0.3) / 2);
    EXPECT_NEAR(s.secondsPerClick, 0.1, 1e-12);
    const cv::Mat plot = mf::clickBenchPlot({s}, "t");
    EXPECT_EQ(plot.type(), CV_8UC3);
    EXPECT_GT(cv::countNonZero(plot.reshape(1) != 255), 1000);
    const std::string json = mf::clickBenchJson("d", 3, {run});
    EXPECT_NE(json.find("\"noc90\": 3.0"), std::string::npos);
    EXPECT_NE(json.find("\"slowest_click_cpu_seconds\": 0.18"), std::string::npos);
}

TEST(ClickSegmenter, ThePriorsWeightFadesWithTheClicks) {
    // Uniform noise everywhere, a prior that calls a disk object: after n clicks a fading prior of weight
    // w cuts exactly as a constant prior of weight w / (1 + fade (n - 1)).
    cv::RNG rng(7);
    cv::Mat image(120, 160, CV_8UC3);
    rng.fill(image, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(256));
    cv::Mat prior(image.size(), CV_32FC1, cv::Scalar(0.3f));
    cv::circle(prior, {80, 60}, 35, cv::Scalar(0.7f), cv::FILLED);
    auto segment = [&](float weight, float fade, const std::vector<mf::Click>& clicks) {
        mf::GeoCutOptions o;
        o.priorWeight = weight;
        o.priorFade = fade;
        o.local = false;  // each click cuts the whole image with the weight after n clicks
        auto seg = mf::makeGeoCut(o);
        seg->setImage(image);
        mf::ClickQuery q;
        q.clicks = clicks;
        q.prior = &prior;
        return seg->segment(q);
    };
    const std::vector<mf::Click> one = {{{80, 60}, true}};
    const std::vector<mf::Click> three = {{{80, 60}, true}, {{110, 60}, false}, {{50, 60}, false}};
    EXPECT_EQ(cv::countNonZero(segment(2.f, 1.f, one) != segment(2.f, 0.f, one)), 0);
    const cv::Mat faded = segment(2.f, 1.f, three);
    EXPECT_EQ(cv::countNonZero(faded != segment(2.f / 3.f, 0.f, three)), 0);
    EXPECT_GT(cv::countNonZero(faded != segment(2.f, 0.f, three)), 0) << "the fade changes the cut";
}

namespace {

/** A magnetic-tile-like grey surface: striations, noise and a shading ramp, with a small dark defect of
 *  `kind` (0: a blob of radius 5, 1: a 3-px crack) drawn into it; `truth` gets the defect (0/1). */
cv::Mat defectOnTexture(cv::Mat& truth, int kind, unsigned seed) {
    cv::RNG rng(seed);
    cv::Mat f(240, 300, CV_32FC1);
    rng.fill(f, cv::RNG::NORMAL, cv::Scalar(0), cv::Scalar(9));
    for (int y = 0; y < f.rows; ++y)
        for (int x = 0; x < f.cols; ++x)
            f.at<float>(y, x) += 110.f + 0.15f * x + 12.f * std::sin(0.9f * (x + 0.3f * y));
    truth = cv::Mat::zeros(f.size(), CV_8UC1);
    if (kind == 0)
        cv::circle(truth, {170, 110}, 5, cv::Scalar(1), cv::FILLED);
    else
        cv::line(truth, {120, 60}, {190, 150}, cv::Scalar(1), 3);
    cv::Mat grey;
    for (int y = 0; y < f.rows; ++y)
        for (int x = 0; x < f.cols; ++x)
            if (truth.at<uchar>(y, x))
                f.at<float>(y, x) -= 40.f;
    f.convertTo(grey, CV_8UC1);
    return grey;
}

} // namespace

// Issue 19: on magnetic-tile a corrective click turned a good mask (IoU 0.97) into a leak over the
// texture (IoU 0.01). The simulated user's clicks on a small dark defect on a striated grey surface:
// the mask must get there, and once good no later click may wreck it.
TEST(ClickSegmenter, ASmallDefectOnTextureIsFoundAndStaysFound) {
    for (int kind = 0; kind < 2; ++kind)
        for (unsigned seed = 1; seed <= 3; ++seed) {
            cv::Mat truth;
            const cv::Mat image = defectOnTexture(truth, kind, seed);
            const std::vector<double> ious = simulate("geocut", image, truth, 10);
            std::string seq;
            for (double v : ious)
                seq += std::to_string(v).substr(0, 4) + " ";
            EXPECT_LE(mf::clicksToReach(ious, 0.85, 10), 4) << "kind " << kind << " seed " << seed << ": " << seq;
            double best = 0;
            for (double v : ious) {
                EXPECT_GE(v, best - 0.2) << "a click wrecked a good mask, kind " << kind << " seed " << seed << ": " << seq;
                best = std::max(best, v);
            }
        }
}

// Local refinement caches each click's step; the answer must still depend on the clicks alone: a fresh
// segmenter given all the clicks at once, one that got them one by one, and one that took the last back
// (Backspace) and clicked again agree.
TEST(ClickSegmenter, TheAnswerDependsOnTheClicksAlone) {
    cv::Mat truth;
    const cv::Mat image = defectOnTexture(truth, 1, 5);
    const std::vector<mf::Click> clicks = {{{150, 100}, true}, {{125, 67}, true}, {{185, 143}, true}, {{160, 100}, false}};
    auto stepwise = mf::makeClickSegmenter("geocut");
    stepwise->setImage(image);
    mf::ClickQuery q;
    cv::Mat third;
    for (const mf::Click& c : clicks) {
        q.clicks.push_back(c);
        const cv::Mat m = stepwise->segment(q);
        if (q.clicks.size() == 3)
            third = m;
    }
    const cv::Mat last = stepwise->segment(q);
    auto fresh = mf::makeClickSegmenter("geocut");
    fresh->setImage(image);
    EXPECT_EQ(cv::countNonZero(fresh->segment(q) != last), 0);
    q.clicks.pop_back();
    EXPECT_EQ(cv::countNonZero(stepwise->segment(q) != third), 0) << "Backspace gives the mask before the click back";
    q.clicks.push_back(clicks.back());
    EXPECT_EQ(cv::countNonZero(stepwise->segment(q) != last), 0);
    // A new image forgets the steps.
    stepwise->setImage(255 - image);
    fresh->setImage(255 - image);
    EXPECT_EQ(cv::countNonZero(stepwise->segment(q) != fresh->segment(q)), 0);
}

TEST(ClickSegmenter, TinyImagesAndWindowsNeverFailTheCut) {
    // A window of one pixel, or one whose pixels are all seeds, leaves the graph without an edge, which
    // OpenCV's max-flow refuses (found with a model prior on magnetic-tile: "!edges.empty()").
    for (const cv::Size size : {cv::Size(1, 1), cv::Size(2, 1), cv::Size(1, 3), cv::Size(2, 2), cv::Size(3, 3)})
        for (const int type : {CV_8UC1, CV_8UC3}) {
            cv::Mat image(size, type);
            cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
            cv::Mat prior(size, CV_32FC1, cv::Scalar(0.9f));
            for (const bool withPrior : {false, true}) {
                auto seg = mf::makeClickSegmenter("geocut");
                seg->setImage(image);
                mf::ClickQuery q;
                if (withPrior)
                    q.prior = &prior;
                q.clicks.push_back({{0, 0}, true});
                cv::Mat mask;
                ASSERT_NO_THROW(mask = seg->segment(q)) << size << " type " << type << " prior " << withPrior;
                EXPECT_EQ(mask.at<uchar>(0, 0), 255);
                q.clicks.push_back({{size.width - 1, size.height - 1}, size.area() == 1});
                ASSERT_NO_THROW(mask = seg->segment(q)) << size << " type " << type << " prior " << withPrior;
                q.clicks.push_back({{size.width / 2, size.height / 2}, false});
                ASSERT_NO_THROW(seg->segment(q)) << size << " type " << type << " prior " << withPrior;
            }
        }
}
