// The training pieces the plans use: native-resolution crops, repeats per epoch, the "present
// classes" mIoU, prediction as trained, validation at native resolution.
#include "io/imageio.h"
#include "metrics/metrics.h"
#include "train/nativevalidation.h"
#include "project/project.h"
#include "sample/samplegenerator.h"
#include "train/augment.h"
#include "models/checkpoint.h"
#include "train/loader.h"
#include "infer/predictor.h"
#include "train/trainer.h"
#include "../testutil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

using namespace mf;

namespace {

cv::Mat ramp(int rows, int cols) {
    cv::Mat rgb(rows, cols, CV_8UC3);
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x)
            rgb.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x), uchar(y), uchar((x + y) / 2));
    return rgb;
}

AugmentConfig noAugment() {
    AugmentConfig a;
    a.hflip = 0;
    return a;
}

/** A one-epoch CPU run of a tiny U-Net (width 4, depth 2) at 32 px, batch 4, on `data`, into `out`. */
TrainConfig tinyRun(const std::string& data, const std::string& out) {
    TrainConfig c;
    c.data = data;
    c.size = 32;
    c.batch = 4;
    c.workers = 0;
    c.width = 4;
    c.depth = 2;
    c.epochs = 1;
    c.device = "cpu";
    c.out = out;
    return c;
}

} // namespace

TEST(NativeCrop, WindowIsAnUnscaledPieceOfTheImage) {
    const cv::Mat rgb = ramp(80, 100);
    cv::Mat mask(80, 100, CV_8UC1);
    for (int y = 0; y < 80; ++y)
        for (int x = 0; x < 100; ++x)
            mask.at<uchar>(y, x) = uchar((x / 10) % 3);
    Augmenter aug(noAugment(), 32, 255, {true, 0.0});
    std::mt19937_64 rng(7);
    for (int i = 0; i < 20; ++i) {
        cv::Mat a = rgb, m = mask;
        aug.apply(a, m, rng);
        ASSERT_EQ(a.size(), cv::Size(32, 32));
        // The ramp encodes coordinates: the window's top-left pixel says where it came from.
        const int x0 = a.at<cv::Vec3b>(0, 0)[0], y0 = a.at<cv::Vec3b>(0, 0)[1];
        ASSERT_LE(x0 + 32, 100);
        ASSERT_LE(y0 + 32, 80);
        EXPECT_EQ(cv::norm(a, rgb(cv::Rect(x0, y0, 32, 32)), cv::NORM_INF), 0);
        EXPECT_EQ(cv::norm(m, mask(cv::Rect(x0, y0, 32, 32)), cv::NORM_INF), 0);
    }
}

TEST(NativeCrop, SmallerImagesArePaddedWithTheIgnoreIndex) {
    const cv::Mat rgb = ramp(20, 24);
    cv::Mat mask(20, 24, CV_8UC1, cv::Scalar(1));
    Augmenter aug(noAugment(), 32, 255, {true, 0.0});
    std::mt19937_64 rng(3);
    cv::Mat a = rgb, m = mask;
    aug.apply(a, m, rng);
    ASSERT_EQ(m.size(), cv::Size(32, 32));
    EXPECT_EQ(cv::countNonZero(m == 1), 20 * 24);  // the whole image is inside, unscaled
    EXPECT_EQ(cv::countNonZero(m == 255), 32 * 32 - 20 * 24);
}

TEST(NativeCrop, ForegroundWindowsFindARareClass) {
    const cv::Mat rgb = ramp(200, 200);
    cv::Mat mask(200, 200, CV_8UC1, cv::Scalar(0));
    mask.at<uchar>(170, 185) = 2;  // one pixel of a rare class
    Augmenter always(noAugment(), 32, 255, {true, 1.0}), never(noAugment(), 32, 255, {true, 0.0});
    std::mt19937_64 r1(11), r2(11);
    int hitAlways = 0, hitNever = 0;
    for (int i = 0; i < 50; ++i) {
        cv::Mat a = rgb, m = mask, b = rgb, n = mask;
        always.apply(a, m, r1);
        never.apply(b, n, r2);
        hitAlways += cv::countNonZero(m == 2) > 0;
        hitNever += cv::countNonZero(n == 2) > 0;
    }
    EXPECT_EQ(hitAlways, 50);
    EXPECT_LT(hitNever, 10);
}

// ISBI-like: class 0 is the thin structure (membrane), class 1 fills the rest. Centred windows go to
// the classes other than the image's most common one, whatever their index: here class 0. (They
// used to go to "non-zero" classes, i.e. the cell interior everywhere, which oversampled nothing.)
TEST(NativeCrop, CentredWindowsFindAThinClassZero) {
    const cv::Mat rgb = ramp(256, 256);
    cv::Mat mask(256, 256, CV_8UC1, cv::Scalar(1));
    mask.at<uchar>(200, 220) = 0;  // one membrane pixel in a sea of interior
    mask.at<uchar>(201, 220) = 0;
    Augmenter always(noAugment(), 32, 255, {true, 1.0});
    std::mt19937_64 rng(3);
    int hits = 0;
    for (int i = 0; i < 40; ++i) {
        cv::Mat a = rgb, m = mask;
        always.apply(a, m, rng);
        hits += cv::countNonZero(m == 0) > 0;
    }
    EXPECT_EQ(hits, 40);
}

TEST(Loader, EpochRepeatsDrawEachImageAgainWithOtherAugmentations) {
    test::TempDir dir;
    SampleOptions o;
    o.outDir = dir / "sample";
    o.count = 6;
    o.size = 64;
    makeSampleProject(o);
    TrainConfig c;
    c.size = 32;
    c.batch = 2;
    c.workers = 0;
    c.input = "crop";
    c.epochRepeats = 3;
    const auto items = loadItems(o.outDir);
    DataLoader once(items, [&] { auto k = c; k.epochRepeats = 1; return k; }(), true);
    DataLoader thrice(items, c, true);
    EXPECT_EQ(thrice.batchesPerEpoch(), 3 * once.batchesPerEpoch());
    thrice.startEpoch(1);
    std::map<std::size_t, std::vector<torch::Tensor>> seen;
    Batch b;
    while (thrice.next(b))
        for (std::size_t i = 0; i < b.indices.size(); ++i)
            seen[b.indices[i]].push_back(b.images[static_cast<long>(i)].clone());
    ASSERT_EQ(seen.size(), items.size());
    for (const auto& [item, crops] : seen) {
        ASSERT_EQ(crops.size(), 3u);
        EXPECT_FALSE(torch::equal(crops[0], crops[1]) && torch::equal(crops[1], crops[2])) << item;
    }
}

TEST(PresentClasses, HandWorkedExample) {
    // Truth [0 1; 1 2] pred [0 1; 2 2] and truth [0 0; 0 0] pred [0 0; 0 1], four classes:
    //   class 0: tp 1+3, fn 1          IoU 4/5
    //   class 1: tp 1, fn 1, fp 1      IoU 1/3
    //   class 2: tp 1, fp 1            IoU 1/2
    //   class 3: nowhere               smp: 0/0 = 1; present rule: left out
    MetricsAccumulator acc(4);
    acc.add((cv::Mat_<uchar>(2, 2) << 0, 1, 1, 2), (cv::Mat_<uchar>(2, 2) << 0, 1, 2, 2));
    acc.add((cv::Mat_<uchar>(2, 2) << 0, 0, 0, 0), (cv::Mat_<uchar>(2, 2) << 0, 0, 0, 1));
    const MetricsReport r = makeReport(acc);
    EXPECT_NEAR(r.mIoU, (0.8 + 1.0 / 3 + 0.5 + 1.0) / 4, 1e-12);
    EXPECT_NEAR(r.mIoUNoBackground, (1.0 / 3 + 0.5 + 1.0) / 3, 1e-12);
    EXPECT_NEAR(r.mIoUPresent, (0.8 + 1.0 / 3 + 0.5) / 3, 1e-12);
    EXPECT_NEAR(r.mIoUPresentNoBackground, (1.0 / 3 + 0.5) / 2, 1e-12);
    EXPECT_EQ(r.scored, (std::vector<bool>{true, true, true, false}));
    EXPECT_EQ(r.inTruth, (std::vector<bool>{true, true, true, false}));
    EXPECT_NE(reportToText(r, {"a", "b", "c", "d"}).find("Classes absent in both: d"), std::string::npos);
}

TEST(PresentClasses, PredictedButAbsentClassCountsAsZero) {
    // Truth all 0, prediction one pixel of class 2: class 0 IoU 3/4, class 1 left out, class 2 IoU 0.
    MetricsAccumulator acc(3);
    acc.add((cv::Mat_<uchar>(2, 2) << 0, 0, 0, 0), (cv::Mat_<uchar>(2, 2) << 0, 0, 0, 2));
    const MetricsReport r = makeReport(acc);
    EXPECT_NEAR(r.mIoU, (0.75 + 1.0 + 0.0) / 3, 1e-12);
    EXPECT_NEAR(r.mIoUPresent, 0.375, 1e-12);
    EXPECT_NEAR(r.mIoUPresentNoBackground, 0.0, 1e-12);
    EXPECT_EQ(r.inTruth, (std::vector<bool>{true, false, false}));
    EXPECT_EQ(r.scored, (std::vector<bool>{true, false, true}));
}

TEST(PresentClasses, NoClassAtAllIsNaN) {
    MetricsAccumulator acc(2, 255);
    acc.add((cv::Mat_<uchar>(1, 2) << 255, 255), (cv::Mat_<uchar>(1, 2) << 0, 1));
    EXPECT_TRUE(std::isnan(makeReport(acc).mIoUPresent));
}

TEST(PlannedTraining, CropRunValidatesNativelyAndPredictsInTilesAsTrained) {
    test::TempDir dir;
    SampleOptions o;
    o.outDir = dir / "sample";
    o.count = 12;
    o.size = 96;
    makeSampleProject(o);
    TrainConfig c = tinyRun(o.outDir, dir / "run");
    c.input = "crop";
    c.predictTile = 64;
    c.predictOverlap = 16;
    const TrainResult result = train(c);
    ASSERT_EQ(result.status, TrainResult::Status::Finished) << result.message;
    std::ifstream csv(dir / "run/metrics.csv");
    std::string header, row;
    std::getline(csv, header);
    std::getline(csv, row);
    EXPECT_NE(header.find(",val_native,miou_present_no_background"), std::string::npos);
    // val_native is the 11th column: 1.
    std::vector<std::string> cells;
    std::stringstream s(row);
    for (std::string cell; std::getline(s, cell, ',');)
        cells.push_back(cell);
    ASSERT_GT(cells.size(), 11u);
    EXPECT_EQ(cells[10], "1");

    auto predictor = Predictor::open(dir / "run");
    const PredictOptions trained = predictor->asTrained();
    EXPECT_EQ(trained.tile, 64);
    EXPECT_EQ(trained.overlap, 16);
    const cv::Mat img = readImageRgb(loadItems(o.outDir).front().image);
    PredictOptions tiles;
    tiles.tile = 64;
    tiles.overlap = 16;
    const Prediction asTrained = predictor->predict(img, {}), explicitTiles = predictor->predict(img, tiles);
    EXPECT_EQ(cv::norm(asTrained.probabilities[1], explicitTiles.probabilities[1], cv::NORM_INF), 0);
    PredictOptions resized;
    resized.tile = 0;
    EXPECT_GT(cv::norm(predictor->predict(img, resized).probabilities[1], explicitTiles.probabilities[1], cv::NORM_INF), 0);
}

TEST(PlannedTraining, ResizeRunCanStillValidateAtTrainingSize) {
    test::TempDir dir;
    SampleOptions o;
    o.outDir = dir / "sample";
    o.count = 10;
    o.size = 48;
    makeSampleProject(o);
    TrainConfig c = tinyRun(o.outDir, dir / "run");
    c.valResolution = "training";
    ASSERT_EQ(train(c).status, TrainResult::Status::Finished);
    std::ifstream csv(dir / "run/metrics.csv");
    std::string header, row;
    std::getline(csv, header);
    std::getline(csv, row);
    EXPECT_NE(row.find(",0,"), std::string::npos);
    auto predictor = Predictor::open(dir / "run");
    EXPECT_EQ(predictor->asTrained().tile, 0);
}

// Validation at native resolution reads each mask in its dataset's encoding: the same truth stored as
// index values (0/1) and as binary 0/255 (with Binary255) scores the same. Read as raw index values,
// 255 would be the ignore index and the foreground would drop out of the score.
TEST(PlannedTraining, NativeValidationReadsMasksInTheDatasetsEncoding) {
    test::TempDir dir;
    SampleOptions o;
    o.outDir = dir / "sample";
    o.count = 12;
    o.size = 64;
    makeSampleProject(o);
    {  // a foreground/background dataset: every defect becomes class 1
        Project p = Project::load(o.outDir);
        p.classes().resize(2);
        for (const ImageEntry& e : p.images())
            writeMaskAtomic(p.absolute(e.mask), (readMask(p.absolute(e.mask), MaskEncoding::Index) > 0) & 1);
        p.save();
    }
    const TrainConfig c = tinyRun(o.outDir, dir / "run");
    const TrainResult result = train(c);
    ASSERT_EQ(result.status, TrainResult::Status::Finished) << result.message;
    auto predictor = Predictor::open(dir / "run");
    std::vector<LoaderItem> index, binary;
    std::filesystem::create_directories(dir.path() / "binary");
    for (const LoaderItem& item : loadItems(o.outDir)) {
        const cv::Mat m = readMask(item.mask, item.maskEncoding);
        ASSERT_EQ(cv::countNonZero(m > 1), 0);
        index.push_back(item);
        LoaderItem b = item;
        b.mask = (dir / "binary" / std::filesystem::path(item.mask).filename()).string();
        b.maskEncoding = MaskEncoding::Binary255;
        writeMaskAtomic(b.mask, m, MaskEncoding::Binary255);
        binary.push_back(b);
    }
    SegmentationLoss loss(c, 2);
    const NativeValidation a = validateAtNativeResolution(*predictor, index, loss, 2, 255);
    const NativeValidation b = validateAtNativeResolution(*predictor, binary, loss, 2, 255);
    ASSERT_EQ(a.report.totals.size(), 2u);
    ASSERT_EQ(b.report.totals.size(), 2u);
    EXPECT_GT(a.report.totals[1].tp + a.report.totals[1].fn, 0);
    EXPECT_EQ(b.report.totals[1].tp, a.report.totals[1].tp);
    EXPECT_EQ(b.report.totals[1].fn, a.report.totals[1].fn);
    EXPECT_DOUBLE_EQ(b.report.mIoU, a.report.mIoU);
    EXPECT_NEAR(b.loss, a.loss, 1e-9);
}
