#include "classify/liveclassifier.h"
#include "classify/tiledfeatures.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <atomic>

using namespace mf;

namespace {

/** A grey scene of three classes: background (0, a noisy flat grey), bright discs (1) and
 *  checkerboard-textured patches (2) whose mean is the background's, so only texture tells them apart. */
struct Scene {
    cv::Mat image, truth;
};

Scene makeScene(cv::Size size = {240, 200}) {
    Scene s;
    s.truth = cv::Mat(size, CV_8UC1, cv::Scalar(0));
    cv::Mat img(size, CV_32F, cv::Scalar(90));
    cv::circle(s.truth, {50, 50}, 22, 1, cv::FILLED);
    cv::circle(s.truth, {180, 140}, 26, 1, cv::FILLED);
    cv::circle(s.truth, {60, 160}, 16, 1, cv::FILLED);
    cv::rectangle(s.truth, cv::Rect(120, 20, 80, 60), 2, cv::FILLED);
    cv::rectangle(s.truth, cv::Rect(100, 120, 40, 60), 2, cv::FILLED);
    for (int y = 0; y < size.height; ++y)
        for (int x = 0; x < size.width; ++x) {
            const int t = s.truth.at<uchar>(y, x);
            if (t == 1)
                img.at<float>(y, x) = 170;
            else if (t == 2)
                img.at<float>(y, x) = (((x / 2) + (y / 2)) % 2) ? 130.F : 50.F;
        }
    cv::Mat noise(size, CV_32F);
    cv::RNG(3).fill(noise, cv::RNG::NORMAL, 0, 12);
    img += noise;
    img.convertTo(s.image, CV_8U);
    return s;
}

/** Strokes: a line through one disc, one patch and the background (class id, 255 elsewhere). */
cv::Mat makeStrokes(cv::Size size) {
    cv::Mat strokes(size, CV_8UC1, cv::Scalar(255));
    cv::line(strokes, {40, 50}, {60, 50}, 1, 3);
    cv::line(strokes, {140, 40}, {180, 60}, 2, 3);
    cv::line(strokes, {10, 110}, {90, 110}, 0, 3);
    cv::line(strokes, {220, 20}, {220, 190}, 0, 3);
    return strokes;
}

double iou(const cv::Mat& a, const cv::Mat& b, int cls) {
    const cv::Mat ia = a == cls, ib = b == cls;
    const double inter = cv::countNonZero(ia & ib), uni = cv::countNonZero(ia | ib);
    return uni > 0 ? inter / uni : 1.0;
}

} // namespace

TEST(TiledFeatures, TilesEqualTheWholeImagesFeatures) {
    const Scene s = makeScene({300, 260});
    const FeatureBankOptions options;
    const FeatureStack whole = computeFeatures(s.image, options);
    TiledFeatures tiled(s.image, options, 64);
    EXPECT_EQ(tiled.margin(), 45);  // σ 10: a radius of 30 for the smoothing, 15 for the tensor's derivatives
    ASSERT_EQ(tiled.channels(), whole.channels());
    ASSERT_EQ(tiled.grid(), cv::Size(5, 5));
    ASSERT_TRUE(tiled.computeAll());
    for (int t = 0; t < tiled.grid().area(); ++t) {
        const auto tile = tiled.tile(t);
        const cv::Rect r = tiled.tileRect(t);
        for (int c = 0; c < whole.channels(); ++c) {
            const cv::Mat& w = whole.planes()[static_cast<std::size_t>(c)];
            double range = 0;
            cv::minMaxLoc(cv::abs(w), nullptr, &range);
            const double diff = cv::norm(tile->planes()[static_cast<std::size_t>(c)], w(r), cv::NORM_INF);
            ASSERT_LE(diff, 1e-4 * std::max(1.0, range)) << "tile " << t << " " << whole.names()[static_cast<std::size_t>(c)];
        }
    }
}

TEST(TiledFeatures, CacheStaysWithinItsBudget) {
    const Scene s = makeScene({300, 260});
    const FeatureBankOptions options;
    TiledFeatures probe(s.image, options, 64);
    TiledFeatures tiled(s.image, options, 64, 2 * probe.tileBytes());
    EXPECT_FALSE(tiled.fitsInCache());
    ASSERT_TRUE(tiled.computeAll());
    EXPECT_EQ(tiled.cachedTiles(), 2);
    // Points all over the image: tiles are computed and dropped again, the answers stay exact.
    const std::vector<cv::Point> points{{1, 1}, {299, 259}, {150, 130}, {70, 200}, {5, 255}, {290, 3}};
    const cv::Mat got = tiled.samples(points);
    const FeatureStack whole = computeFeatures(s.image, options);
    const cv::Mat want = whole.samples(points);
    EXPECT_LE(cv::norm(got, want, cv::NORM_INF), 1e-2);
    EXPECT_LE(tiled.cachedTiles(), 2);
    EXPECT_LE(tiled.cachedBytes(), 2 * tiled.tileBytes());
    EXPECT_THROW(tiled.samples({{300, 0}}), std::out_of_range);
}

TEST(LiveClassifier, AFewStrokesPredictTheScene) {
    const Scene s = makeScene();
    LiveClassifierOptions o;
    o.tileSize = 128;  // several tiles, so predictions cross tile borders
    LiveClassifier live(s.image, o);
    ASSERT_TRUE(live.computeFeatures());
    const cv::Mat strokes = makeStrokes(s.image.size());
    ASSERT_TRUE(live.train(strokes));
    EXPECT_EQ(live.forest()->classes(), (std::vector<int>{0, 1, 2}));
    const LivePrediction p = live.predict();
    ASSERT_TRUE(p.complete);
    ASSERT_EQ(p.labels.size(), s.image.size());
    // Discs and patches never stroked (two of three discs, one of two patches) are found too.
    for (int cls = 0; cls < 3; ++cls)
        EXPECT_GT(iou(p.labels, s.truth, cls), 0.8) << "class " << cls;
    double meanConf = cv::mean(p.confidence)[0];
    EXPECT_GT(meanConf, 0.6 * 255);
    // A region answers what the whole image answers there.
    const cv::Rect r(30, 40, 100, 70);
    const LivePrediction part = live.predict(r);
    ASSERT_TRUE(part.complete);
    EXPECT_EQ(cv::countNonZero(part.labels != p.labels(r)), 0);
}

TEST(LiveClassifier, CancelStopsBetweenChunks) {
    const Scene s = makeScene();
    LiveClassifier live(s.image);
    std::atomic<bool> cancel{true};
    EXPECT_FALSE(live.computeFeatures(&cancel));
    EXPECT_EQ(live.features().cachedTiles(), 0);
    ASSERT_TRUE(live.train(makeStrokes(s.image.size())));
    const LivePrediction stopped = live.predict({}, &cancel);
    EXPECT_FALSE(stopped.complete);
    EXPECT_EQ(cv::countNonZero(stopped.labels != 255), 0);  // nothing predicted after the flag was seen
    cancel = false;
    EXPECT_TRUE(live.predict({}, &cancel).complete);
}

TEST(LiveClassifier, DeletingAClassesStrokesRemovesTheClass) {
    const Scene s = makeScene();
    LiveClassifier live(s.image);
    cv::Mat strokes = makeStrokes(s.image.size());
    ASSERT_TRUE(live.train(strokes));
    EXPECT_GT(cv::countNonZero(live.predict().labels == 2), 1000);
    strokes.setTo(255, strokes == 2);
    ASSERT_TRUE(live.train(strokes));
    EXPECT_EQ(live.forest()->classes(), (std::vector<int>{0, 1}));
    EXPECT_EQ(cv::countNonZero(live.predict().labels == 2), 0);
    // One class left: nothing to tell apart, no forest.
    strokes.setTo(255, strokes == 1);
    EXPECT_FALSE(live.train(strokes));
    EXPECT_FALSE(live.trained());
    EXPECT_THROW(live.predict(), std::logic_error);
}

TEST(LiveClassifier, LearnsFromOtherImagesStrokes) {
    // Strokes of class 2 only on another image still teach this one to find class 2.
    const Scene a = makeScene(), b = makeScene();
    LiveClassifier other(b.image);
    cv::Mat otherStrokes(b.image.size(), CV_8UC1, cv::Scalar(255));
    cv::line(otherStrokes, {140, 40}, {180, 60}, 2, 3);
    const LabelledSamples samples = other.strokeSamples(otherStrokes);
    ASSERT_GT(samples.size(), 50);
    cv::Mat strokes = makeStrokes(a.image.size());
    strokes.setTo(255, strokes == 2);
    LiveClassifier live(a.image);
    ASSERT_TRUE(live.train(strokes, samples));
    EXPECT_GT(iou(live.predict().labels, a.truth, 2), 0.8);
    // Samples of a strokes map capped per class, the same draw each time.
    LiveClassifierOptions o;
    o.maxSamplesPerClass = 40;
    LiveClassifier capped(a.image, o);
    const LabelledSamples s1 = capped.strokeSamples(makeStrokes(a.image.size()));
    EXPECT_EQ(s1.size(), 120);
    EXPECT_EQ(cv::norm(s1.rows, capped.strokeSamples(makeStrokes(a.image.size())).rows, cv::NORM_INF), 0);
    EXPECT_THROW(capped.strokeSamples(cv::Mat(3, 3, CV_8UC1)), std::invalid_argument);
}

TEST(PixelForest, PlanesAnswerAsSampleRowsDo) {
    const Scene s = makeScene();
    const FeatureStack f = computeFeatures(s.image);
    LiveClassifier live(s.image);
    ASSERT_TRUE(live.train(makeStrokes(s.image.size())));
    const cv::Rect roi(17, 23, 150, 91);  // not a multiple of the forest's blocks
    const cv::Mat a = live.forest()->probabilities(f.planes(), roi), b = live.forest()->probabilities(f.samples(roi));
    ASSERT_EQ(a.size(), b.size());
    EXPECT_LE(cv::norm(a, b, cv::NORM_INF), 1e-6);
    EXPECT_THROW(live.forest()->probabilities(f.planes(), cv::Rect(200, 150, 100, 100)), std::invalid_argument);
}

TEST(PixelForest, FlattenedPredictionAnswersAsVigrasOwn) {
    // Every pixel of the scene, three classes, deep and shallow forests: the flattened walk and rf3's
    // per-instance prediction agree to float rounding, and so do their winning classes.
    const Scene s = makeScene();
    const FeatureStack f = computeFeatures(s.image);
    const cv::Mat samples = f.samples(cv::Rect(cv::Point(), s.image.size()));
    for (const auto& [trees, depth] : std::vector<std::pair<int, int>>{{8, 10}, {3, 0}, {16, 14}}) {
        LiveClassifierOptions o;
        o.forest.trees = trees;
        o.forest.maxDepth = depth;
        LiveClassifier live(s.image, o);
        ASSERT_TRUE(live.train(makeStrokes(s.image.size())));
        const cv::Mat fast = live.forest()->probabilities(samples), reference = live.forest()->referenceProbabilities(samples);
        ASSERT_EQ(fast.size(), reference.size());
        EXPECT_LE(cv::norm(fast, reference, cv::NORM_INF), 1e-5) << trees << " trees, depth " << depth;
        int differ = 0;
        for (int r = 0; r < fast.rows; ++r) {
            cv::Point a, b;
            cv::minMaxLoc(fast.row(r), nullptr, nullptr, nullptr, &a);
            cv::minMaxLoc(reference.row(r), nullptr, nullptr, nullptr, &b);
            differ += a != b && std::abs(reference.at<float>(r, a.x) - reference.at<float>(r, b.x)) > 1e-5F;
        }
        EXPECT_EQ(differ, 0) << trees << " trees, depth " << depth;
        EXPECT_GT(cv::norm(fast.col(0), cv::NORM_L1), 100);  // not all one class
    }
}

TEST(LabelledSamples, CappedKeepsEachClassWithinTheCap) {
    LabelledSamples s;
    s.rows = cv::Mat(50, 2, CV_32F);
    for (int i = 0; i < 50; ++i) {
        s.rows.at<float>(i, 0) = static_cast<float>(i);
        s.labels.push_back(i < 40 ? 0 : 1);
    }
    const LabelledSamples c = s.capped(15);
    ASSERT_EQ(c.size(), 25);
    EXPECT_EQ(std::count(c.labels.begin(), c.labels.end(), 0), 15);
    EXPECT_EQ(std::count(c.labels.begin(), c.labels.end(), 1), 10);
    for (int i = 0; i < c.size(); ++i)  // rows travel with their labels
        EXPECT_EQ(c.labels[static_cast<std::size_t>(i)], c.rows.at<float>(i, 0) < 40 ? 0 : 1);
    EXPECT_EQ(s.capped(100).size(), 50);
}

TEST(LiveClassifier, VisibleTilesArriveFirstThenTheRest) {
    const Scene s = makeScene({300, 260});
    LiveClassifierOptions o;
    o.tileSize = 64;  // 5 × 5 tiles
    LiveClassifier live(s.image, o);
    ASSERT_TRUE(live.train(makeStrokes(s.image.size())));
    const LivePrediction whole = live.predict();
    const cv::Rect visible(200, 170, 90, 80);  // the bottom-right corner, as a zoomed-in view shows it
    std::vector<cv::Rect> arrived;
    const LivePrediction tiled = live.predictTiles(visible, nullptr, [&](const LivePrediction& tile) {
        ASSERT_TRUE(tile.complete);
        EXPECT_EQ(cv::countNonZero(tile.labels != whole.labels(tile.region)), 0);
        arrived.push_back(tile.region);
    });
    ASSERT_TRUE(tiled.complete);
    EXPECT_EQ(cv::countNonZero(tiled.labels != whole.labels), 0);
    ASSERT_EQ(arrived.size(), 25u);
    int meeting = 0;
    for (const cv::Rect& r : arrived)
        meeting += !(r & visible).empty();
    EXPECT_EQ(meeting, 4);  // tiles (3,2), (4,2), (3,3), (4,3)
    for (int i = 0; i < 25; ++i)
        EXPECT_EQ(!(arrived[static_cast<std::size_t>(i)] & visible).empty(), i < meeting) << "tile " << i << " of " << arrived.size();
    for (int i = 0; i < 25; ++i)  // each tile once
        for (int j = 0; j < i; ++j)
            EXPECT_NE(arrived[static_cast<std::size_t>(i)], arrived[static_cast<std::size_t>(j)]);
    // The next-nearest follow: the 5th tile borders the visible ones (x 192-300, y 128-256).
    EXPECT_FALSE((arrived[4] & cv::Rect(191, 127, 110, 130)).empty()) << arrived[4];
    EXPECT_TRUE((arrived[24] & cv::Rect(191, 127, 110, 130)).empty()) << arrived[24];
    // A cancel after the second tile: nothing more arrives, the result says incomplete.
    std::atomic<bool> cancel{false};
    int count = 0;
    const LivePrediction stopped = live.predictTiles(visible, &cancel, [&](const LivePrediction&) {
        if (++count == 2)
            cancel = true;
    });
    EXPECT_FALSE(stopped.complete);
    EXPECT_EQ(count, 2);
    EXPECT_EQ(cv::countNonZero(stopped.labels != 255), arrived[0].area() + arrived[1].area());  // the first two tiles
    // No visible part (an empty rect): the image's centre first.
    EXPECT_EQ(live.tileOrder({}).front(), 12);
}

TEST(LiveClassifier, AnUpdateOfALargeImageKeepsTheVisibleTilesFeatures) {
    // An image larger than the feature cache (25 tiles, room for 3): after an update the tile on screen
    // is still cached, so the next update starts from it; the far tiles never pushed it out.
    const Scene s = makeScene({300, 260});
    LiveClassifierOptions o;
    o.tileSize = 64;
    o.featureCacheBytes = 3 * std::size_t(64 * 64) * static_cast<std::size_t>(featureCount(o.features)) * sizeof(float);
    LiveClassifier live(s.image, o);
    ASSERT_FALSE(live.features().fitsInCache());
    ASSERT_TRUE(live.train(makeStrokes(s.image.size())));
    const cv::Rect visible(260, 200, 30, 20);  // inside tile 19 (row 3, column 4) only
    const int onScreen = live.features().tileOf(visible.tl());
    ASSERT_EQ(onScreen, 19);
    const LivePrediction p = live.predictTiles(visible);
    ASSERT_TRUE(p.complete);
    EXPECT_TRUE(live.features().isCached(onScreen));
    EXPECT_LE(live.features().cachedTiles(), 3);
    EXPECT_EQ(cv::countNonZero(p.labels != live.predict().labels), 0);  // the same answer as a plain pass
    // A plain pass (every tile cached in turn) leaves the last ones instead: what the visible tile avoids.
    EXPECT_FALSE(live.features().isCached(onScreen));
    EXPECT_TRUE(live.features().isCached(24));
}
