#include "io/atomicfile.h"
#include "io/errors.h"
#include "models/modelfactory.h"
#include "bench/bench.h"
#include "models/checkpoint.h"
#include "infer/predictor.h"
#include "runs/trainconfig.h"
#include "tinycheckpoint.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>

using namespace mf;
using mf::test::makeCheckpoint;
namespace fs = std::filesystem;

namespace {

cv::Mat noiseImage(int rows, int cols) {
    cv::Mat img(rows, cols, CV_8UC3);
    cv::RNG rng(3);
    rng.fill(img, cv::RNG::UNIFORM, 0, 255);
    cv::GaussianBlur(img, img, cv::Size(5, 5), 1.5);
    return img;
}

} // namespace

TEST(Predictor, ReturnsLabelsAndProbabilitiesAtImageResolution) {
    auto p = Predictor::open(makeCheckpoint("a.pt"), "cpu");
    EXPECT_EQ(p->classCount(), 3);
    EXPECT_EQ(p->trainingSize(), 64);
    const cv::Mat img = noiseImage(50, 77);
    for (int tile : {0, 32}) {
        PredictOptions o;
        o.tile = tile;
        o.flipTta = tile == 0;
        const Prediction r = p->predict(img, o);
        ASSERT_EQ(r.labels.size(), img.size());
        ASSERT_EQ(r.probabilities.size(), 3u);
        cv::Mat sum = r.probabilities[0] + r.probabilities[1] + r.probabilities[2];
        double lo, hi;
        cv::minMaxLoc(sum, &lo, &hi);
        EXPECT_NEAR(lo, 1.0, 1e-4);
        EXPECT_NEAR(hi, 1.0, 1e-4);
    }
}

TEST(Predictor, TiledEqualsWholeImageAwayFromTileBorders) {
    auto p = Predictor::open(makeCheckpoint("b.pt"), "cpu", "fp32");
    const cv::Mat img = noiseImage(160, 160);
    PredictOptions whole;
    whole.tile = 160;  // at least the image: one pass at the image's own resolution
    PredictOptions tiled;
    tiled.tile = 64;
    tiled.overlap = 32;
    const Prediction a = p->predict(img, whole), b = p->predict(img, tiled);
    // Tiles start at 0, 32, 64, 96: every pixel lies 16+ px inside some tile, and the blend
    // weights favour that tile. The depth-2 U-Net sees ~±20 px, so compare away from the
    // image border and expect near-equal probabilities.
    const cv::Rect inner(24, 24, 112, 112);
    double maxDiff = 0;
    for (int c = 0; c < 3; ++c)
        maxDiff = std::max(maxDiff, cv::norm(a.probabilities[c](inner), b.probabilities[c](inner), cv::NORM_INF));
    EXPECT_LT(maxDiff, 0.05);
    const double same = cv::countNonZero(a.labels(inner) == b.labels(inner)) / double(inner.area());
    EXPECT_GT(same, 0.99);
}

TEST(Predictor, MirrorAveragingFollowsTheRunsPredictFlipUnlessTold) {
    TrainConfig flipped;
    flipped.size = 64;
    flipped.predictFlip = true;
    auto withFlip = Predictor::open(makeCheckpoint("flip.pt", 64, toYaml(flipped)), "cpu", "fp32");
    auto without = Predictor::open(makeCheckpoint("noflip.pt", 64, toYaml(TrainConfig())), "cpu", "fp32");
    EXPECT_EQ(withFlip->asTrained().flipTta, 1);
    EXPECT_EQ(without->asTrained().flipTta, 0);
    const cv::Mat img = noiseImage(64, 64);
    auto probs = [&](Predictor& p, int flip) {
        PredictOptions o;
        o.flipTta = flip;
        return p.predict(img, o).probabilities[1];
    };
    auto maxDiff = [](const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); };
    // Same weights (seed 7) in both checkpoints: only the embedded predict_flip differs.
    EXPECT_EQ(maxDiff(probs(*withFlip, -1), probs(*withFlip, 1)), 0.0) << "as trained = mirrored";
    EXPECT_GT(maxDiff(probs(*withFlip, -1), probs(*withFlip, 0)), 1e-4) << "--no-tta must switch it off";
    EXPECT_EQ(maxDiff(probs(*without, -1), probs(*without, 0)), 0.0);
    EXPECT_EQ(maxDiff(probs(*without, 1), probs(*withFlip, -1)), 0.0);
}

TEST(Predictor, MissingOrForeignFileIsFileError) {
    EXPECT_THROW(Predictor::open("/no/such/run"), FileError);
    const auto junk = fs::temp_directory_path() / "mf_predictor_junk.pt";
    writeFileAtomic(junk.string(), "not a checkpoint");
    EXPECT_THROW(Predictor::open(junk.string()), FileError);
}

TEST(Bench, OneStepGivesTheSpecKeys) {
    BenchOptions o;
    o.arch = "both";
    o.width = 4;
    o.depth = 2;
    o.size = 32;
    o.batch = 2;
    o.steps = 1;
    const auto results = runBenchmark(o);
    ASSERT_EQ(results.size(), 2u);
    for (const auto& r : results) {
        const auto j = nlohmann::json::parse(benchToJson(r));
        for (const char* key : {"model", "size", "batch", "width", "threads", "precision", "train_img_s", "infer_img_s"})
            EXPECT_TRUE(j.contains(key)) << key;
        EXPECT_GT(j["train_img_s"].get<double>(), 0);
        EXPECT_EQ(j["precision"], "fp32");
    }
}
