#include "train/loader.h"

#include "io/errors.h"
#include "io/imageio.h"
#include "sample/samplegenerator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <numeric>
#include <set>
#include <unistd.h>

using namespace mf;
namespace fs = std::filesystem;

namespace {

/** A fresh temp folder per test, removed afterwards. */
class LoaderTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() / ("mf_loader_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::string makeSample(int count = 12) {
        SampleOptions o;
        o.outDir = (m_dir / "sample").string();
        o.count = count;
        o.size = 64;
        makeSampleProject(o);
        return o.outDir;
    }

    static TrainConfig config(int workers) {
        TrainConfig c;
        c.size = 32;
        c.batch = 5;
        c.workers = workers;
        c.prefetch = 2;
        c.seed = 7;
        return c;
    }

    static TrainConfig augmented(int workers) {
        TrainConfig c = config(workers);
        AugmentConfig& a = c.augment;
        a.hflip = a.vflip = a.shiftScaleRotate = a.gaussianBlur = a.brightnessContrast = 0.5;
        a.jpeg = a.gridDistortion = a.opticalDistortion = a.randomCrop = a.mosaic = 0.5;
        return c;
    }

    static std::vector<Batch> epoch(DataLoader& loader, int e) {
        loader.startEpoch(e);
        std::vector<Batch> out;
        for (Batch b; loader.next(b);)
            out.push_back(b);
        return out;
    }

    fs::path m_dir;
};

bool sameBatches(const std::vector<Batch>& a, const std::vector<Batch>& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (a[k].indices != b[k].indices || !torch::equal(a[k].images, b[k].images) ||
            !torch::equal(a[k].masks, b[k].masks))
            return false;
    return true;
}

} // namespace

TEST_F(LoaderTest, ShapesTypesAndRanges) {
    std::vector<LoaderItem> items = loadItems(makeSample());
    ASSERT_EQ(items.size(), 12u);
    for (bool training : {false, true}) {
        TrainConfig c = training ? augmented(2) : config(2);
        DataLoader loader(items, c, training, 5);
        std::vector<Batch> batches = epoch(loader, 1);
        // 12 items in batches of 5: 5, 5, 2 (two is enough for BatchNorm, so training keeps it too).
        ASSERT_EQ(batches.size(), 3u);
        EXPECT_EQ(loader.batchesPerEpoch(), 3u);
        for (const Batch& b : batches) {
            const int64_t n = static_cast<int64_t>(b.indices.size());
            EXPECT_EQ(b.images.sizes(), (std::vector<int64_t>{n, 3, 32, 32}));
            EXPECT_EQ(b.masks.sizes(), (std::vector<int64_t>{n, 32, 32}));
            EXPECT_EQ(b.images.scalar_type(), torch::kFloat);
            EXPECT_EQ(b.masks.scalar_type(), torch::kLong);
            // (x/255 − mean)/std lies in [−0.485/0.229, (1 − 0.406)/0.225] = [−2.118, 2.640].
            EXPECT_GE(b.images.min().item<double>(), -2.1180 - 1e-4);
            EXPECT_LE(b.images.max().item<double>(), 2.6400 + 1e-4);
            torch::Tensor m = b.masks;
            EXPECT_TRUE((((m >= 0) & (m < 5)) | (m == 255)).all().item<bool>());
        }
    }
}

TEST_F(LoaderTest, EvalIsInOrderAndMatchesPlainResize) {
    std::vector<LoaderItem> items = loadItems(makeSample());
    DataLoader loader(items, config(0), false);
    std::vector<Batch> batches = epoch(loader, 3);
    ASSERT_EQ(batches.size(), 3u);
    EXPECT_EQ(batches[0].indices, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
    EXPECT_EQ(batches[2].indices, (std::vector<std::size_t>{10, 11}));
    cv::Mat rgb = readImageRgb(items[1].image), mask = readMask(items[1].mask, MaskEncoding::Index);
    Augmenter::resize(rgb, mask, 32);
    // Pixel (y 3, x 4) of item 1, red channel and mask.
    const double red = (rgb.at<cv::Vec3b>(3, 4)[0] / 255.0 - 0.485) / 0.229;
    EXPECT_NEAR(batches[0].images[1][0][3][4].item<double>(), red, 1e-5);
    EXPECT_EQ(batches[0].masks[1][3][4].item<int64_t>(), mask.at<uchar>(3, 4));
    // The predictor's helper normalises identically.
    TrainConfig c = config(0);
    EXPECT_TRUE(torch::equal(imageTensor(rgb, c.mean, c.std)[0], batches[0].images[1]));
}

TEST_F(LoaderTest, EveryTrainingIndexOncePerEpoch) {
    std::vector<LoaderItem> items = loadItems(makeSample());
    DataLoader loader(items, augmented(2), true);
    std::vector<std::size_t> firstOrder;
    for (int e = 1; e <= 3; ++e) {
        std::vector<std::size_t> seen;
        for (const Batch& b : epoch(loader, e))
            seen.insert(seen.end(), b.indices.begin(), b.indices.end());
        if (e == 1)
            firstOrder = seen;
        else
            EXPECT_NE(seen, firstOrder) << "epoch " << e << " kept the order of epoch 1";
        std::sort(seen.begin(), seen.end());
        std::vector<std::size_t> all(items.size());
        std::iota(all.begin(), all.end(), 0);
        EXPECT_EQ(seen, all) << "epoch " << e;
    }
}

TEST_F(LoaderTest, LoneLastTrainingItemIsDropped) {
    std::vector<LoaderItem> items = loadItems(makeSample());
    TrainConfig c = config(1);
    c.batch = 11;  // 12 = 11 + 1: the single leftover is dropped in training, kept in evaluation
    DataLoader train(items, c, true), eval(items, c, false);
    EXPECT_EQ(train.batchesPerEpoch(), 1u);
    EXPECT_EQ(eval.batchesPerEpoch(), 2u);
    std::vector<Batch> batches = epoch(train, 1);
    ASSERT_EQ(batches.size(), 1u);
    std::set<std::size_t> distinct(batches[0].indices.begin(), batches[0].indices.end());
    EXPECT_EQ(distinct.size(), 11u);
    // A dataset of one item still yields its one batch.
    DataLoader single({items[0]}, c, true);
    EXPECT_EQ(epoch(single, 1).size(), 1u);
}

TEST_F(LoaderTest, SameSeedSameBatchesWhateverTheThreads) {
    std::vector<LoaderItem> items = loadItems(makeSample());
    TrainConfig uncached = augmented(0);
    uncached.cacheMB = 0;
    DataLoader a(items, augmented(2), true), b(items, uncached, true), c(items, augmented(3), true);
    for (int e : {1, 2}) {
        std::vector<Batch> ea = epoch(a, e), eb = epoch(b, e), ec = epoch(c, e);
        EXPECT_TRUE(sameBatches(ea, eb)) << "epoch " << e;
        EXPECT_TRUE(sameBatches(ea, ec)) << "epoch " << e;
    }
    EXPECT_EQ(a.cachedItems(), items.size());
    EXPECT_EQ(b.cachedItems(), 0u);
    TrainConfig other = augmented(2);
    other.seed = 8;
    DataLoader d(items, other, true);
    EXPECT_FALSE(sameBatches(epoch(a, 1), epoch(d, 1)));
}

TEST_F(LoaderTest, UnreadableImageNamesTheFile) {
    std::vector<LoaderItem> items = loadItems(makeSample());
    std::ofstream(items[4].image, std::ios::binary | std::ios::trunc) << "this is not a PNG";
    for (int workers : {0, 2}) {
        DataLoader loader(items, config(workers), false);
        loader.startEpoch(1);
        Batch b;
        try {
            while (loader.next(b)) {
            }
            ADD_FAILURE() << "no error for a broken image";
        } catch (const FileError& e) {
            EXPECT_EQ(e.file(), items[4].image);
            EXPECT_NE(std::string(e.what()).find("pipe_0004.png"), std::string::npos);
        }
    }  // destroying the loader mid-epoch must not hang
}

TEST_F(LoaderTest, BadMasksNameTheMask) {
    std::vector<LoaderItem> items = loadItems(makeSample(3));
    cv::Mat mask = readMask(items[1].mask, MaskEncoding::Index);
    mask.at<uchar>(0, 0) = 7;
    writeMaskAtomic(items[1].mask, mask);
    writeMaskAtomic(items[2].mask, cv::Mat(10, 10, CV_8UC1, cv::Scalar(0)));
    TrainConfig c = config(0);
    c.batch = 1;
    DataLoader loader(items, c, false, 5);
    loader.startEpoch(1);
    Batch b;
    EXPECT_TRUE(loader.next(b));
    try {
        loader.next(b);
        ADD_FAILURE() << "value 7 accepted with 5 classes";
    } catch (const FileError& e) {
        EXPECT_EQ(e.file(), items[1].mask);
        EXPECT_NE(e.problem().find("7"), std::string::npos);
    }
    try {
        loader.next(b);
        ADD_FAILURE() << "mask of another size accepted";
    } catch (const FileError& e) {
        EXPECT_EQ(e.file(), items[2].mask);
    }
}

TEST_F(LoaderTest, AbandonedEpochsShutDownCleanly) {
    std::vector<LoaderItem> items = loadItems(makeSample());
    DataLoader loader(items, augmented(2), true);
    Batch b;
    EXPECT_THROW(loader.next(b), std::logic_error);
    for (int e = 0; e < 4; ++e) {
        loader.startEpoch(e);  // restart with the workers mid-way
        ASSERT_TRUE(loader.next(b));
    }
    std::vector<Batch> full = epoch(loader, 2);
    loader.startEpoch(2);
    ASSERT_TRUE(loader.next(b));
    EXPECT_TRUE(torch::equal(b.images, full[0].images));
}

TEST_F(LoaderTest, DataSplitFromProject) {
    TrainConfig c;
    c.data = makeSample(20);
    DataSplit split = loadDataSplit(c);
    EXPECT_EQ(split.classCount, 5);
    ASSERT_EQ(split.classNames.size(), 5u);
    EXPECT_EQ(split.classNames[0], "background");
    EXPECT_FALSE(split.train.empty());
    EXPECT_FALSE(split.val.empty());
    EXPECT_LE(split.train.size() + split.val.size(), 20u);  // the test split is left out
    std::set<std::string> train;
    for (const auto& item : split.train)
        train.insert(item.image);
    for (const auto& item : split.val)
        EXPECT_EQ(train.count(item.image), 0u) << item.image << " is in both";
    // An explicit validation folder: all of data trains, all of val validates.
    c.val = c.data;
    DataSplit explicitVal = loadDataSplit(c);
    EXPECT_EQ(explicitVal.train.size(), 20u);
    EXPECT_EQ(explicitVal.val.size(), 20u);
}

TEST_F(LoaderTest, DataSplitOfPlainFolderIsMadeBySeed) {
    fs::create_directories(m_dir / "plain" / "images");
    fs::create_directories(m_dir / "plain" / "masks");
    for (int i = 0; i < 14; ++i) {
        const std::string stem = "img" + std::to_string(i);
        cv::Mat rgb(16, 16, CV_8UC3, cv::Scalar(i * 10, 0, 0)), mask(16, 16, CV_8UC1, cv::Scalar(0));
        mask(cv::Rect(0, 0, 4 + (i % 3), 4)).setTo(1 + (i % 2));
        writeImageAtomic((m_dir / "plain" / "images" / (stem + ".png")).string(), rgb);
        writeMaskAtomic((m_dir / "plain" / "masks" / (stem + ".png")).string(), mask);
    }
    TrainConfig c;
    c.data = (m_dir / "plain").string();
    DataSplit a = loadDataSplit(c), b = loadDataSplit(c);
    EXPECT_EQ(a.classCount, 3);
    EXPECT_FALSE(a.train.empty());
    EXPECT_FALSE(a.val.empty());
    ASSERT_EQ(a.val.size(), b.val.size());
    for (std::size_t i = 0; i < a.val.size(); ++i)
        EXPECT_EQ(a.val[i].image, b.val[i].image);
    EXPECT_FALSE(fs::exists(m_dir / "plain" / "maskforge.json")) << "the split must not be written";
}

TEST_F(LoaderTest, DataSplitWithoutDataNamesTheFolder) {
    TrainConfig c;
    c.data = (m_dir / "empty").string();
    fs::create_directories(m_dir / "empty" / "images");
    fs::create_directories(m_dir / "empty" / "masks");
    try {
        loadDataSplit(c);
        ADD_FAILURE() << "no error for a folder without data";
    } catch (const FileError& e) {
        EXPECT_NE(std::string(e.what()).find(c.data), std::string::npos) << e.what();
    }
    c.data = (m_dir / "missing").string();
    EXPECT_THROW(loadDataSplit(c), FileError);
}
