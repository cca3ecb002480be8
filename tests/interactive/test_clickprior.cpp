// clickbench --prior classifier: the pixel classifier trained on another split's true masks, its
// probabilities the click segmenter's prior. Synthetic textures whose grey levels are the same
// everywhere (only the texture tells object from background), so a prior that is ignored, or one
// that learnt from the benchmark image's own mask, shows.
#include "interactive/clickbench.h"
#include "interactive/clickprior.h"
#include "interactive/clickprotocol.h"
#include "../testutil.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace {

// Three textures of black and white pixels only (one grey histogram): A a 1-px checkerboard (the
// object), B an 8-px checkerboard (background), C 2-px horizontal stripes.
uchar texture(char t, int x, int y) {
    if (t == 'A')
        return ((x + y) & 1) ? 255 : 0;
    if (t == 'C')
        return ((y / 2) & 1) ? 255 : 0;
    return (((x / 8) + (y / 8)) & 1) ? 255 : 0;
}

struct Patch {
    char texture;
    cv::Rect rect;
    uchar label;  // in the mask
};

void writeImage(const mf::test::TempDir& dir, const std::string& stem, const std::vector<Patch>& patches) {
    fs::create_directories(dir.path() / "images");
    fs::create_directories(dir.path() / "masks");
    cv::Mat grey(72, 72, CV_8UC1), mask = cv::Mat::zeros(72, 72, CV_8UC1);
    for (int y = 0; y < grey.rows; ++y)
        for (int x = 0; x < grey.cols; ++x) {
            char t = 'B';
            for (const Patch& p : patches)
                if (p.rect.contains({x, y}))
                    t = p.texture, mask.at<uchar>(y, x) = p.label;
            grey.at<uchar>(y, x) = texture(t, x, y);
        }
    cv::Mat rgb;
    cv::cvtColor(grey, rgb, cv::COLOR_GRAY2BGR);
    ASSERT_TRUE(cv::imwrite(dir / ("images/" + stem + ".png"), rgb));
    ASSERT_TRUE(cv::imwrite(dir / ("masks/" + stem + ".png"), mask));
}

/** Training images: A squares labelled object, C squares present but background. Test image "t1": an
 *  A square. Test image "t2": a C square that ITS mask calls object (no training mask does). */
void writeData(const mf::test::TempDir& dir) {
    std::ofstream split(dir / "split.txt");
    for (int i = 0; i < 4; ++i) {
        const std::string stem = "r" + std::to_string(i);
        writeImage(dir, stem, {{'A', cv::Rect(6 + 8 * i, 10 + 4 * i, 22, 18), 1}, {'C', cv::Rect(40 - 4 * i, 44, 20, 20), 0}});
        split << stem << " train\n";
    }
    writeImage(dir, "t1", {{'A', cv::Rect(30, 20, 26, 30), 1}});
    writeImage(dir, "t2", {{'C', cv::Rect(14, 14, 30, 30), 1}});
    split << "t1 test\nt2 test\n";
}

cv::Rect regionOf(const mf::ClickSample& s) {
    return cv::boundingRect(s.objects.at(0).truth == 1);
}

} // namespace

TEST(ClickPrior, LearnsFromTheOtherSplitOnlyAndPredictsFromTheImageAlone) {
    mf::test::TempDir dir;
    writeData(dir);
    EXPECT_THROW(mf::ClassifierPrior::trainOnSplit(dir.path().string(), "test", "test"), std::invalid_argument);
    EXPECT_THROW(mf::ClassifierPrior::trainOnSplit(dir.path().string(), "", "test"), std::invalid_argument);
    const mf::ClassifierPrior prior = mf::ClassifierPrior::trainOnSplit(dir.path().string(), "train", "test");
    EXPECT_EQ(prior.trainingImages(), 4);

    mf::ClickDataOptions o;
    o.split = "test";
    const std::vector<mf::ClickSample> test = mf::loadClickData(dir.path().string(), o);
    ASSERT_EQ(test.size(), 2u);
    // t1: the learnt texture is found on an image never trained on.
    const cv::Mat p1 = prior.predict(test[0].image);
    ASSERT_EQ(p1.type(), CV_32FC1);
    ASSERT_EQ(p1.size(), test[0].image.size());
    EXPECT_GT(mf::priorIoU(p1, mf::sampleTruth(test[0])), 0.8);
    // t2: its own mask calls the C square object; every training mask calls C background. A prior that
    // had learnt from the benchmark's masks would see it; this one must not.
    const cv::Mat p2 = prior.predict(test[1].image);
    EXPECT_LT(cv::mean(p2(regionOf(test[1])))[0], 0.3);
    EXPECT_LT(mf::priorIoU(p2, mf::sampleTruth(test[1])), 0.2);
}

TEST(ClickPrior, ClickBenchGivesThePriorWithEveryClick) {
    mf::test::TempDir dir;
    writeData(dir);
    const mf::ClassifierPrior classifier = mf::ClassifierPrior::trainOnSplit(dir.path().string(), "train", "test");
    mf::ClickDataOptions o;
    o.split = "test";
    o.limit = 1;  // t1
    const std::vector<mf::ClickSample> test = mf::loadClickData(dir.path().string(), o);
    ASSERT_EQ(test.size(), 1u);
    mf::ClickPriorSource source;
    source.name = "classifier";
    source.predict = [&](const cv::Mat& image) { return classifier.predict(image); };
    mf::ClickBenchOptions with;
    with.maxClicks = 3;
    with.prior = &source;
    mf::ClickBenchOptions without;
    without.maxClicks = 3;
    const mf::MethodRun a = mf::runClickBench(test, "geocut", with);
    const mf::MethodRun b = mf::runClickBench(test, "geocut", without);
    EXPECT_EQ(a.method, "geocut+classifier");
    EXPECT_EQ(b.method, "geocut");
    ASSERT_EQ(a.priorIous.size(), 1u);
    EXPECT_TRUE(b.priorIous.empty());
    const mf::ClickSummary sa = mf::summarize(a, 3), sb = mf::summarize(b, 3);
    EXPECT_GT(sa.priorIoU, 0.8);
    // One click on a texture the colour histogram cannot tell from the background: with the prior the
    // object, without it much less.
    EXPECT_GT(sa.meanIou[0], 0.85);
    EXPECT_GT(sa.meanIou[0], sb.meanIou[0] + 0.15);
    const std::string json = mf::clickBenchJson(dir.path().string(), 3, {a, b});
    EXPECT_NE(json.find("\"prior_iou\""), std::string::npos);
}

TEST(ClickPrior, TheLeakCheckCanFail) {
    // The check above has teeth: a classifier that did learn from t2's mask (every image, both splits)
    // calls the C square object.
    mf::test::TempDir dir;
    writeData(dir);
    const std::vector<mf::ClickSample> all = mf::loadClickData(dir.path().string(), {});
    ASSERT_EQ(all.size(), 6u);
    mf::ClassifierPriorOptions options;
    options.classifier.maxSamplesPerClass = 4000;  // every pixel of t2's square
    const mf::ClassifierPrior leaked = mf::ClassifierPrior::train(all, options);
    const mf::ClickSample& t2 = all[5];
    ASSERT_EQ(fs::path(t2.imagePath).stem(), "t2");
    EXPECT_GT(cv::mean(leaked.predict(t2.image)(regionOf(t2)))[0], 0.3);
}

TEST(ClickPrior, ClassPriorIsTheClassesMapOrNothing) {
    std::vector<cv::Mat> probs = {cv::Mat(4, 5, CV_32FC1, cv::Scalar(0.7)), cv::Mat(4, 5, CV_32FC1, cv::Scalar(0.3))};
    EXPECT_EQ(mf::classPrior(probs, 1, {5, 4}).at<float>(2, 2), 0.3F);
    EXPECT_TRUE(mf::classPrior(probs, 2, {5, 4}).empty());   // a class the model does not know
    EXPECT_TRUE(mf::classPrior(probs, -1, {5, 4}).empty());
    EXPECT_TRUE(mf::classPrior(probs, 1, {4, 5}).empty());   // a prediction of another image's size
    EXPECT_TRUE(mf::classPrior({}, 0, {5, 4}).empty());
}

TEST(ClickPrior, AModelsPriorIsEachObjectsOwnClass) {
    // One image, two objects of two classes (A texture: class 1, C texture: class 2). A model's per-class
    // maps (here: each class's map marks its own object) give each object its own class's map; the same
    // maps with the classes swapped mislead the first click.
    mf::test::TempDir dir;
    const cv::Rect r1(6, 8, 24, 22), r2(40, 40, 24, 24);
    writeImage(dir, "m", {{'A', r1, 1}, {'C', r2, 2}});
    mf::ClickDataOptions o;
    o.components = true;
    const std::vector<mf::ClickSample> data = mf::loadClickData(dir.path().string(), o);
    ASSERT_EQ(data.size(), 1u);
    ASSERT_EQ(data[0].objects.size(), 2u);
    EXPECT_EQ(data[0].objects[0].classId + data[0].objects[1].classId, 3);
    auto maps = [&](bool swapped) {
        std::vector<cv::Mat> p(3, cv::Mat());
        for (cv::Mat& m : p)
            m = cv::Mat::zeros(72, 72, CV_32FC1);
        p[swapped ? 2 : 1](r1).setTo(0.95);
        p[swapped ? 1 : 2](r2).setTo(0.95);
        p[0] = 1.0 - p[1] - p[2];
        return p;
    };
    mf::ClickPriorSource right, wrong;
    right.name = wrong.name = "model";
    right.classProbabilities = [&](const cv::Mat& image) {
        EXPECT_EQ(image.size(), cv::Size(72, 72));
        return maps(false);
    };
    wrong.classProbabilities = [&](const cv::Mat&) { return maps(true); };
    mf::ClickBenchOptions with;
    with.maxClicks = 2;
    with.prior = &right;
    mf::ClickBenchOptions swapped = with;
    swapped.prior = &wrong;
    const mf::MethodRun a = mf::runClickBench(data, "geocut", with), b = mf::runClickBench(data, "geocut", swapped);
    EXPECT_EQ(a.method, "geocut+model");
    ASSERT_EQ(a.objects.size(), 2u);
    ASSERT_EQ(a.priorIous.size(), 1u);
    EXPECT_GT(a.priorIous[0], 0.95);  // the union of the objects' own classes' maps
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_GT(a.objects[i].ious[0], 0.85) << a.objects[i].id;
        EXPECT_GT(a.objects[i].ious[0], b.objects[i].ious[0] + 0.15) << a.objects[i].id;
    }
}
