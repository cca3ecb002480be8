#include "train/loader.h"
#include "infer/imagetensor.h"

#include "io/errors.h"
#include "io/imageio.h"
#include "project/project.h"
#include "sample/samplegenerator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <numeric>
#include <opencv2/core/utility.hpp>
#include <set>
#include <unistd.h>

using namespace mf;
namespace fs = std::filesystem;

#if defined(__SANITIZE_THREAD__)
// Under ThreadSanitizer (scripts/test.sh --full) OpenCV's own parallel loops run serially: Debian's OpenCV
// runs them on TBB, which is not TSan-built, so a buffer a TBB worker allocates inside
// connectedComponentsWithStats (boxesFromMask, the loader's box recovery) and the caller frees after TBB's
// invisible join reads as a race. The loader's own threads stay as they are (OMP_NUM_THREADS=1 is the
// same for libgomp).
static const bool kOpenCvSerial = (cv::setNumThreads(1), true);
#endif

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

namespace {

/** A 40×30 image (left half dark, right half bright) whose coarse mask fills a class-2 box at
 *  x 5..14, y 4..11 and a class-1 box at x 10..29, y 8..19 (overlapping), with its YOLO box file. */
LoaderItem boxItem(const fs::path& dir, bool withBoxFile) {
    cv::Mat rgb(30, 40, CV_8UC3, cv::Scalar(20, 20, 20));
    rgb(cv::Rect(20, 0, 20, 30)).setTo(cv::Scalar(200, 180, 160));
    cv::Mat coarse(30, 40, CV_8UC1, cv::Scalar(0));
    coarse(cv::Rect(10, 8, 20, 12)).setTo(1);
    coarse(cv::Rect(5, 4, 10, 8)).setTo(2);
    writeImageAtomic((dir / "img.png").string(), rgb);
    writeMaskAtomic((dir / "coarse.png").string(), coarse);
    LoaderItem item{(dir / "img.png").string(), (dir / "coarse.png").string()};
    item.boxSupervised = true;
    if (withBoxFile) {
        std::ofstream((dir / "img.txt").string()) << "1 0.25 0.2666667 0.25 0.2666667\n0 0.5 0.4666667 0.5 0.4\n";
        item.boxes = (dir / "img.txt").string();
    }
    return item;
}

TrainConfig plainBoxConfig() {
    TrainConfig c;
    c.size = 40;  // the evaluation transform resizes 40×30 to 40×40: rows scale by 4/3
    c.batch = 1;
    c.workers = 0;
    c.augment.hflip = 0;
    return c;
}

} // namespace

TEST_F(LoaderTest, BoxSupervisedItemDeliversPerClassBoxMasksAndBackgroundOutside) {
    DataLoader loader({boxItem(m_dir, true)}, plainBoxConfig(), false, 3);
    Batch b = epoch(loader, 1).at(0);
    ASSERT_TRUE(b.boxes.defined());
    ASSERT_EQ(b.boxes.sizes(), (std::vector<int64_t>{1, 3, 40, 40}));
    ASSERT_EQ(b.boxSamples, std::vector<std::int64_t>{0});
    const auto boxes = b.boxes[0];
    // The union per class, both boxes whole where they overlap (the coarse fill lost part of class 1).
    EXPECT_EQ(boxes[1].sum().item<int64_t>(), 20 * 16);  // 20 × 12 rows scaled to 16
    EXPECT_EQ(boxes[2].index({torch::indexing::Slice(), torch::indexing::Slice(5, 15)}).sum().item<int64_t>(),
              boxes[2].sum().item<int64_t>());
    EXPECT_EQ(boxes[1][15][12].item<int>(), 1);  // inside both boxes
    EXPECT_EQ(boxes[2][15][12].item<int>(), 1);
    // Channel 0 is exactly "outside every box"; the mask is background there and ignored inside.
    EXPECT_TRUE(torch::equal(boxes[0], (boxes[1] + boxes[2] == 0).to(torch::kUInt8)));
    EXPECT_TRUE(torch::equal(b.masks[0] == 0, boxes[0].to(torch::kBool)));
    EXPECT_TRUE(torch::equal(b.masks[0] == 255, boxes[0] == 0));
    // L*a*b*: the dark half has L about 7, the bright half about 75.
    EXPECT_NEAR(b.lab[0][0][10][5].item<double>(), 6.8, 1.0);
    EXPECT_GT(b.lab[0][0][10][35].item<double>(), 70.0);
}

TEST_F(LoaderTest, BoxesRecoveredFromTheCoarseMaskWithoutABoxFile) {
    DataLoader loader({boxItem(m_dir, false)}, plainBoxConfig(), false, 3);
    Batch b = epoch(loader, 1).at(0);
    // boxesFromMask: class 2's fill is its box; class 1's visible L-shaped fill has the class-1 box as
    // its bounding rectangle.
    EXPECT_EQ(b.boxes[0][1].sum().item<int64_t>(), 20 * 16);
    EXPECT_GT(b.boxes[0][2].sum().item<int64_t>(), 0);
}

TEST_F(LoaderTest, BoxMasksFollowEveryAugmentationOfTheImage) {
    TrainConfig c = plainBoxConfig();
    c.augment.hflip = c.augment.vflip = 0.5;
    c.augment.shiftScaleRotate = c.augment.randomCrop = c.augment.gridDistortion = 0.7;
    c.augment.mosaic = 0.5;  // never for a box-supervised sample
    LoaderItem item = boxItem(m_dir, true);
    // A mask-supervised twin whose mask is the class-1 box alone: its augmented mask must be the class-1
    // box channel wherever both are defined.
    cv::Mat classOne(30, 40, CV_8UC1, cv::Scalar(0));
    classOne(cv::Rect(10, 8, 20, 12)).setTo(1);
    writeMaskAtomic((m_dir / "one.png").string(), classOne);
    LoaderItem twin{item.image, (m_dir / "one.png").string()};
    for (int epochNo = 1; epochNo <= 6; ++epochNo) {
        DataLoader boxes({item}, c, true, 3), masks({twin}, c, true, 3);
        const Batch b = epoch(boxes, epochNo).at(0), m = epoch(masks, epochNo).at(0);
        ASSERT_TRUE(torch::equal(b.images, m.images)) << "epoch " << epochNo;
        const auto valid = m.masks[0] != 255;
        EXPECT_TRUE(torch::equal(b.boxes[0][1].masked_select(valid), (m.masks[0] == 1).to(torch::kUInt8).masked_select(valid)))
            << "epoch " << epochNo;
        // Invented pixels: no channel set, ignored by the mask loss.
        EXPECT_TRUE(torch::equal(b.boxes[0].sum(0).masked_select(~valid), torch::zeros({(~valid).sum().item<int64_t>()}, torch::kLong)));
    }
}

TEST_F(LoaderTest, BoxOfAClassTheProjectLacksIsNamed) {
    LoaderItem item = boxItem(m_dir, true);
    std::ofstream(item.boxes) << "6 0.5 0.5 0.2 0.2\n";
    DataLoader loader({item}, plainBoxConfig(), false, 3);
    loader.startEpoch(1);
    Batch b;
    try {
        loader.next(b);
        FAIL() << "expected a FileError";
    } catch (const FileError& e) {
        EXPECT_NE(std::string(e.what()).find("img.txt"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("class 7"), std::string::npos) << e.what();
    }
}

TEST_F(LoaderTest, MaskItemsAloneHaveNoBoxTensors) {
    DataLoader loader(loadItems(makeSample(4)), config(0), true, 5);
    Batch b = epoch(loader, 1).at(0);
    EXPECT_FALSE(b.boxes.defined());
    EXPECT_TRUE(b.boxSamples.empty());
}

TEST_F(LoaderTest, SupervisionPerImageFollowsTheStatus) {
    SampleOptions o;
    o.outDir = (m_dir / "workflow").string();
    o.count = 30;
    o.size = 32;
    o.workflowStates = true;
    makeSampleProject(o);
    const Project project = Project::load(o.outDir);
    TrainConfig c;
    c.data = o.outDir;
    int coarseTrain = 0, coarseVal = 0, trustedVal = 0;
    for (const ImageEntry& e : project.images()) {
        if (e.mask.empty())
            continue;
        const bool coarse = e.status == ImageStatus::Coarse;
        coarseTrain += coarse && (e.split == Split::Train || e.split == Split::None);
        coarseVal += coarse && e.split == Split::Val;
        trustedVal += !coarse && e.split == Split::Val;
    }
    ASSERT_GT(coarseTrain, 0);
    ASSERT_GT(trustedVal, 0);

    const DataSplit autoSplit = loadDataSplit(c);
    auto boxCount = [](const std::vector<LoaderItem>& items) {
        return std::count_if(items.begin(), items.end(), [](const LoaderItem& i) { return i.boxSupervised; });
    };
    // Coarse images of train, and of val (validation scores trusted masks only), learn from their boxes,
    // through their box files; their masks are the coarse fills.
    EXPECT_EQ(boxCount(autoSplit.train), coarseTrain + coarseVal);
    EXPECT_EQ(boxCount(autoSplit.val), 0);
    EXPECT_EQ(static_cast<int>(autoSplit.val.size()), trustedVal);
    for (const LoaderItem& i : autoSplit.train)
        if (i.boxSupervised) {
            EXPECT_NE(i.boxes.find("/boxes/"), std::string::npos) << i.boxes;
            EXPECT_NE(i.mask.find("/coarse/"), std::string::npos) << i.mask;
        }
    EXPECT_NE(autoSplit.supervisionNote.find("supervision auto: " + std::to_string(coarseTrain + coarseVal)),
              std::string::npos) << autoSplit.supervisionNote;

    c.supervision = "masks";  // the box fills as plain labels, said so
    const DataSplit masks = loadDataSplit(c);
    EXPECT_EQ(boxCount(masks.train), 0);
    EXPECT_EQ(static_cast<int>(masks.val.size()), trustedVal + coarseVal);
    EXPECT_NE(masks.supervisionNote.find("coarse box fills included"), std::string::npos) << masks.supervisionNote;

    c.supervision = "boxes";
    const DataSplit boxes = loadDataSplit(c);
    EXPECT_EQ(boxCount(boxes.train), static_cast<long>(boxes.train.size()));
}
