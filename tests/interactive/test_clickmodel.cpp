// The click model (issue 19): the forest of core/classify taught by simulated clicks on labelled images,
// asked by geocut at every click. Synthetic images where plain geocut fails: each object touches a
// distractor just as dark, with the same two grey levels, told apart only by its texture (1-px against
// 4-px checks), which the labelled images teach.
#include "interactive/clickbench.h"
#include "interactive/clickmodel.h"
#include "interactive/clickprotocol.h"
#include "interactive/segmenters.h"
#include "io/cancelled.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <atomic>
#include <stdexcept>

namespace {

/** A light, slightly noisy tile with a dark object (1-px checks of 40 and 120) at `object` and a dark
 *  distractor (4-px checks of the same levels) at `distractor`, touching it. */
mf::ClickSample makeSample(cv::Rect object, cv::Rect distractor, unsigned seed) {
    cv::Mat grey(96, 96, CV_8UC1);
    cv::RNG rng(seed);
    cv::Mat truth = cv::Mat::zeros(grey.size(), CV_8UC1);
    for (int y = 0; y < grey.rows; ++y)
        for (int x = 0; x < grey.cols; ++x) {
            int v = 200 + rng.uniform(-6, 7);
            if (distractor.contains({x, y}))
                v = (((x / 4) + (y / 4)) & 1) ? 120 : 40;
            if (object.contains({x, y})) {
                v = ((x + y) & 1) ? 120 : 40;
                truth.at<uchar>(y, x) = 1;
            }
            grey.at<uchar>(y, x) = static_cast<uchar>(v);
        }
    mf::ClickSample s;
    s.imagePath = "synthetic-" + std::to_string(seed);
    cv::cvtColor(grey, s.image, cv::COLOR_GRAY2RGB);
    s.objects.push_back({s.imagePath + "#1", truth, 1});
    return s;
}

std::vector<mf::ClickSample> trainingSet() {
    std::vector<mf::ClickSample> out;
    for (int i = 0; i < 6; ++i) {
        const cv::Rect object(10 + 5 * i, 14 + 3 * i, 18 + 2 * i, 22 - i);
        out.push_back(makeSample(object, cv::Rect(object.br().x, object.y - 6, 26, 34), 10 + static_cast<unsigned>(i)));
    }
    return out;
}

std::vector<mf::ClickSample> testSet() {
    return {makeSample(cv::Rect(40, 30, 24, 20), cv::Rect(12, 24, 28, 36), 91),
            makeSample(cv::Rect(20, 50, 30, 18), cv::Rect(20, 20, 34, 30), 92)};
}

mf::ClickModelOptions quickOptions() {
    mf::ClickModelOptions o;
    o.forest.trees = 8;
    o.forest.maxDepth = 10;
    o.clicksPerObject = 3;
    return o;
}

double meanIouAfter(const mf::MethodRun& run, int clicks) {
    double sum = 0;
    for (const mf::ObjectRun& o : run.objects)
        sum += o.ious.at(static_cast<std::size_t>(clicks - 1));
    return sum / static_cast<double>(run.objects.size());
}

} // namespace

TEST(ClickModel, LearnsFromLabelledImagesWhereGeocutFails) {
    const auto model = std::make_shared<const mf::ClickModel>(mf::ClickModel::train(trainingSet(), quickOptions()));
    ASSERT_TRUE(model->trained());
    EXPECT_EQ(model->trainingObjects(), 6);
    EXPECT_GT(model->trainingSamples(), 6 * 2 * 50);
    mf::ClickPriorSource source;
    source.name = "clicks";
    source.stepPrior = [model](const cv::Mat& image) -> std::unique_ptr<mf::ClickStepPrior> {
        return std::make_unique<mf::ClickModelPrior>(model, image);
    };
    mf::ClickBenchOptions plain, learnt;
    plain.maxClicks = learnt.maxClicks = 5;
    learnt.prior = &source;
    const std::vector<mf::ClickSample> test = testSet();
    const mf::MethodRun geocut = mf::runClickBench(test, "geocut", plain);
    const mf::MethodRun withModel = mf::runClickBench(test, "geocut", learnt);
    EXPECT_EQ(withModel.method, "geocut+clicks");
    const double before = meanIouAfter(geocut, 3), after = meanIouAfter(withModel, 3);
    // Plain geocut takes the distractor too (the same grey levels, no edge between them); the model
    // has learnt that the coarse checks are background.
    EXPECT_LT(before, 0.8) << "the synthetic set no longer defeats plain geocut: the test shows nothing";
    EXPECT_GT(after, 0.85);
    EXPECT_GT(after, before + 0.15);
}

TEST(ClickModel, RefusesWithoutLabelledObjectsOrBackground) {
    EXPECT_THROW(mf::ClickModel::train({}, quickOptions()), std::invalid_argument);
    // Images whose truths hold no object pixel: nothing to learn.
    std::vector<mf::ClickSample> empty = trainingSet();
    for (mf::ClickSample& s : empty)
        s.objects.front().truth.setTo(0);
    EXPECT_THROW(mf::ClickModel::train(empty, quickOptions()), std::invalid_argument);
    // An untrained model cannot become a prior; the benchmark's own split is never learnt from.
    EXPECT_THROW(mf::ClickModelPrior(std::make_shared<const mf::ClickModel>(), testSet().front().image), std::invalid_argument);
    EXPECT_THROW(mf::ClickModel::trainOnSplit("/nonexistent", "test", "test", true), std::invalid_argument);
    EXPECT_THROW(mf::ClickModel().probability({}, {}, {}, cv::Rect(0, 0, 4, 4)), std::logic_error);
}

TEST(ClickModel, CancelStopsTrainingAndLeavesNoModel) {
    std::atomic<bool> cancel{true};
    mf::ClickModelOptions o = quickOptions();
    o.cancel = &cancel;
    EXPECT_THROW(mf::ClickModel::train(trainingSet(), o), mf::Cancelled);
}

TEST(ClickModel, ClicksOutsideTheImageAreIgnoredAndBadRegionsRefused) {
    const auto model = std::make_shared<const mf::ClickModel>(mf::ClickModel::train(trainingSet(), quickOptions()));
    const mf::ClickSample s = testSet().front();
    mf::ClickModelPrior prior(model, s.image);
    std::unique_ptr<mf::ClickSegmenter> geocut = mf::makeGeoCut();
    geocut->setImage(s.image);
    mf::ClickQuery q;
    q.stepPrior = &prior;
    q.clicks = {{cv::Point(50, 40), true}};
    const cv::Mat inside = geocut->segment(q);
    q.clicks.push_back({cv::Point(500, -3), false});
    const cv::Mat withOutside = geocut->segment(q);
    EXPECT_EQ(cv::countNonZero(inside != withOutside), 0);
    EXPECT_GT(cv::countNonZero(inside), 0);
    // The model's own answer: a region outside the image, or a previous mask of another size, is refused.
    EXPECT_THROW(prior.probability(cv::Mat(), q.clicks, cv::Rect(90, 90, 20, 20)), std::invalid_argument);
    EXPECT_THROW(prior.probability(cv::Mat::zeros(10, 10, CV_8UC1), q.clicks, cv::Rect(0, 0, 20, 20)), std::invalid_argument);
    const cv::Mat p = prior.probability(cv::Mat(), q.clicks, cv::Rect(30, 20, 40, 40));
    EXPECT_EQ(p.size(), cv::Size(40, 40));
    double lo = 0, hi = 0;
    cv::minMaxLoc(p, &lo, &hi);
    EXPECT_GE(lo, 0.0);
    EXPECT_LE(hi, 1.0);
}

namespace {

/** A step prior that says "object" inside a fixed rectangle, and counts how often it is asked. */
class RectPrior : public mf::ClickStepPrior {
public:
    explicit RectPrior(cv::Rect object) : m_object(object) {}
    cv::Mat probability(const cv::Mat& previous, const std::vector<mf::Click>& clicks, cv::Rect region) override {
        ++asked;
        lastClicks = clicks.size();
        sawPrevious = sawPrevious || (!previous.empty() && cv::countNonZero(previous) > 0);
        cv::Mat p(region.size(), CV_32FC1, cv::Scalar(0.02f));
        p((m_object & region) - region.tl()).setTo(0.98f);
        return p;
    }
    int asked = 0;
    std::size_t lastClicks = 0;
    bool sawPrevious = false;

private:
    cv::Rect m_object;
};

} // namespace

TEST(ClickModel, GeocutAsksTheStepPriorAtEveryClickWithTheMaskBefore) {
    // One flat grey level: only the prior tells the square from the rest.
    cv::Mat image(64, 64, CV_8UC3, cv::Scalar(120, 120, 120));
    const cv::Rect square(20, 18, 22, 20);
    RectPrior prior(square);
    std::unique_ptr<mf::ClickSegmenter> geocut = mf::makeGeoCut();
    geocut->setImage(image);
    mf::ClickQuery q;
    q.stepPrior = &prior;
    q.clicks = {{cv::Point(30, 28), true}};
    cv::Mat mask = geocut->segment(q);
    EXPECT_GE(prior.asked, 1);
    EXPECT_EQ(prior.lastClicks, 1u);
    q.clicks.push_back({cv::Point(5, 5), false});
    const int before = prior.asked;
    mask = geocut->segment(q);
    EXPECT_GT(prior.asked, before);  // the second click's step asks again, knowing the first mask
    EXPECT_EQ(prior.lastClicks, 2u);
    EXPECT_TRUE(prior.sawPrevious);
    cv::Mat truth = cv::Mat::zeros(image.size(), CV_8UC1);
    truth(square).setTo(1);
    EXPECT_GT(mf::clickIoU(mask, truth), 0.9);
}

TEST(ClickModel, ALargeRegionIsPredictedOnAGridAndResizedBack) {
    // A colour image's first click asks for the whole image: more pixels than predictPixels are predicted
    // on a grid of about that many and resized back (the step's time is the forest's walks). The answer
    // stays the model's: close to every pixel's, and it still tells the object from the distractor.
    mf::ClickModelOptions o = quickOptions();
    o.forest.threads = 1;  // the same forest twice
    o.predictPixels = 0;
    const mf::ClickModel every = mf::ClickModel::train(trainingSet(), o);
    o.predictPixels = 2000;  // the 96x96 image: a 45x45 grid
    const mf::ClickModel grid = mf::ClickModel::train(trainingSet(), o);
    const mf::ClickSample s = testSet().front();  // object (40, 30, 24, 20), distractor (12, 24, 28, 36)
    const mf::ClickModel::Image image = mf::ClickModel::prepare(s.image);
    const std::vector<mf::Click> clicks{{cv::Point(50, 40), true}};
    const cv::Rect whole({0, 0}, s.image.size());
    const cv::Mat a = every.probability(image, cv::Mat(), clicks, whole), b = grid.probability(image, cv::Mat(), clicks, whole);
    ASSERT_EQ(b.size(), whole.size());
    EXPECT_LT(cv::mean(cv::abs(a - b))[0], 0.08);
    const double object = cv::mean(b(cv::Rect(42, 32, 20, 16)))[0], distractor = cv::mean(b(cv::Rect(14, 26, 24, 32)))[0];
    EXPECT_GT(object, distractor + 0.3) << object << " " << distractor;
    // A region within predictPixels: every pixel, the same answer as without a grid.
    const cv::Rect small(30, 20, 40, 40);
    EXPECT_EQ(cv::countNonZero(cv::abs(every.probability(image, cv::Mat(), clicks, small) -
                                       grid.probability(image, cv::Mat(), clicks, small)) > 1e-6F),
              0);
}
