// Data-parallel training pieces: the epoch shards, the environment, and gradient averaging over two
// ranks on threads of this process (Gloo on loopback through a shared HashStore).
#include "dist/dataparallel.h"
#include "train/sampler.h"
#include "dist/world.h"
#include "../testutil.h"
#include "metrics/metrics.h"
#include "train/nativevalidation.h"
#include "train/losses.h"
#include "runs/trainconfig.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <torch/csrc/distributed/c10d/HashStore.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <set>
#include <thread>

namespace mf::dist {
namespace {

/** Runs `body(comm)` on `world` threads, one rank each, and rethrows the first rank's failure. */
void onRanks(int world, const std::function<void(std::shared_ptr<Communicator>)>& body) {
    auto store = c10::make_intrusive<c10d::HashStore>();
    std::vector<std::exception_ptr> errors(world);
    std::vector<std::thread> threads;
    for (int r = 0; r < world; ++r)
        threads.emplace_back([&, r] {
            try {
                body(std::make_shared<Communicator>(store, r, world, std::chrono::seconds(20)));
            } catch (...) {
                errors[r] = std::current_exception();
            }
        });
    for (auto& t : threads)
        t.join();
    for (auto& e : errors)
        if (e)
            std::rethrow_exception(e);
}

TEST(Sampler, WorldOfOneKeepsTheOrder) {
    const auto order = epochPermutation(13, 7, 3);
    EXPECT_EQ(shardOf(order, 0, 1, true), order);
    EXPECT_NE(epochPermutation(13, 7, 4), order) << "the epoch seeds the order";
    EXPECT_EQ(epochPermutation(13, 7, 3), order);
}

TEST(Sampler, PaddedShardsAreEqualAndCoverEverything) {
    const auto order = epochPermutation(10, 1, 1);
    std::multiset<std::size_t> seen;
    for (int r = 0; r < 3; ++r) {
        const auto s = shardOf(order, r, 3, true);
        EXPECT_EQ(s.size(), 4u);
        seen.insert(s.begin(), s.end());
    }
    for (std::size_t i = 0; i < 10; ++i)
        EXPECT_GE(seen.count(i), 1u) << i;
    EXPECT_EQ(seen.size(), 12u) << "two items repeated to pad 10 to 12";
}

TEST(Sampler, UnpaddedShardsSeeEachItemOnce) {
    std::vector<std::size_t> order(7);
    for (std::size_t i = 0; i < 7; ++i)
        order[i] = i;
    EXPECT_EQ(shardOf(order, 0, 3, false), (std::vector<std::size_t>{0, 3, 6}));
    EXPECT_EQ(shardOf(order, 2, 3, false), (std::vector<std::size_t>{2, 5}));
    EXPECT_THROW(shardOf(order, 3, 3, false), std::invalid_argument);
}

TEST(World, ReadsTorchrunEnvironment) {
    unsetenv("WORLD_SIZE");
    EXPECT_FALSE(worldFromEnvironment().distributed());
    setenv("WORLD_SIZE", "4", 1);
    unsetenv("RANK");
    EXPECT_THROW(worldFromEnvironment(), std::invalid_argument) << "RANK missing";
    setenv("RANK", "2", 1);
    setenv("LOCAL_RANK", "0", 1);
    setenv("MASTER_ADDR", "node7", 1);
    setenv("MASTER_PORT", "29500", 1);
    const WorldInfo w = worldFromEnvironment();
    EXPECT_EQ(w.rank, 2);
    EXPECT_EQ(w.worldSize, 4);
    EXPECT_EQ(w.localRank, 0);
    EXPECT_EQ(w.masterAddr, "node7");
    EXPECT_EQ(w.masterPort, 29500);
    setenv("RANK", "4", 1);
    try {
        worldFromEnvironment();
        ADD_FAILURE() << "rank 4 of 4 accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("RANK"), std::string::npos) << e.what();
    }
    for (const char* v : {"WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"})
        unsetenv(v);
}

/** A small network without batch norm, so per-rank batches add up exactly to the whole batch. */
torch::nn::Sequential tinyNet() {
    torch::manual_seed(5);
    return torch::nn::Sequential(torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 6, 3).padding(1)), torch::nn::ReLU(),
                                 torch::nn::Conv2d(torch::nn::Conv2dOptions(6, 6, 3).padding(1)), torch::nn::ReLU(),
                                 torch::nn::Conv2d(6, 3, 1));
}

torch::Tensor flatParameters(torch::nn::Module& m) {
    std::vector<torch::Tensor> v;
    for (auto& p : m.parameters())
        v.push_back(p.detach().reshape({-1}).clone());
    return torch::cat(v);
}

TEST(DataParallel, TwoRanksStayIdenticalAndMatchOneProcessOnTheWholeBatch) {
    constexpr int steps = 4, perRank = 2, world = 2;
    torch::manual_seed(11);
    const auto images = torch::randn({steps, world * perRank, 3, 8, 8});
    const auto labels = torch::randint(0, 3, {steps, world * perRank, 8, 8}, torch::kLong);

    // One process, the whole batch of 4 each step.
    auto single = tinyNet();
    torch::optim::SGD sgd(single->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
    std::vector<torch::Tensor> expected, expectedLoss;
    for (int s = 0; s < steps; ++s) {
        sgd.zero_grad();
        auto loss = torch::nn::functional::cross_entropy(single->forward(images[s]), labels[s]);
        loss.backward();
        sgd.step();
        expected.push_back(flatParameters(*single));
        expectedLoss.push_back(loss.detach());
    }

    std::vector<std::vector<torch::Tensor>> got(world, std::vector<torch::Tensor>(steps));
    std::vector<std::vector<double>> gotLoss(world, std::vector<double>(steps));
    std::vector<long long> early(world);
    // Built here, one after the other: tinyNet seeds the one global generator, and two ranks building
    // their nets at once drew from it interleaved (rank 0 then started from other weights: flaky).
    std::vector<torch::nn::Sequential> nets;
    for (int r = 0; r < world; ++r)
        nets.push_back(tinyNet());
    const torch::Tensor initial = flatParameters(*nets[0]);
    onRanks(world, [&](std::shared_ptr<Communicator> comm) {
        const int r = comm->rank();
        auto net = nets[static_cast<std::size_t>(r)];
        if (r == 1) {  // rank 1 starts elsewhere: the broadcast must bring rank 0's weights
            torch::NoGradGuard g;
            for (auto& p : net->parameters())
                p.add_(1.0);
        }
        DataParallel ddp(comm, *net, 64);  // tiny buckets: three per step
        EXPECT_GT(ddp.gradients().bucketCount(), 2u);
        EXPECT_TRUE(torch::equal(flatParameters(*net), initial)) << "rank " << r << " after the broadcast";
        torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
        for (int s = 0; s < steps; ++s) {
            opt.zero_grad();
            const auto x = images[s].narrow(0, r * perRank, perRank), y = labels[s].narrow(0, r * perRank, perRank);
            auto loss = torch::nn::functional::cross_entropy(net->forward(x), y);
            loss.backward();
            if (s == 0) {
                EXPECT_TRUE(torch::equal(flatParameters(*net), initial)) << "rank " << r << " before the first step";
            }
            gotLoss[r][s] = ddp.afterBackward(loss).item<double>();
            opt.step();
            got[r][s] = flatParameters(*net);
        }
        early[r] = ddp.gradients().bucketsStartedEarly();
    });
    for (int s = 0; s < steps; ++s) {
        EXPECT_TRUE(torch::equal(got[0][s], got[1][s])) << "ranks differ after step " << s + 1;
        EXPECT_TRUE(torch::allclose(got[0][s], expected[s], 1e-5, 1e-6))
            << "step " << s + 1 << ": max difference " << (got[0][s] - expected[s]).abs().max().item<double>();
        EXPECT_NEAR(gotLoss[0][s], expectedLoss[s].item<double>(), 1e-6) << "the loss is the mean over ranks";
        EXPECT_EQ(gotLoss[0][s], gotLoss[1][s]);
    }
    EXPECT_GT(early[0], 0) << "no bucket started before backward ended: no overlap";
}

TEST(DataParallel, AveragesBatchNormRunningStatistics) {
    std::vector<torch::Tensor> means(2);
    onRanks(2, [&](std::shared_ptr<Communicator> comm) {
        torch::nn::BatchNorm2d bn(4);
        DataParallel ddp(comm, *bn);
        bn->running_mean.fill_(comm->rank() == 0 ? 1.0 : 3.0);
        ddp.averageBuffers(*bn);
        means[comm->rank()] = bn->running_mean.clone();
    });
    EXPECT_TRUE(torch::allclose(means[0], torch::full({4}, 2.0)));
    EXPECT_TRUE(torch::equal(means[0], means[1]));
}

TEST(DataParallel, GatheredValidationCountsEqualOneProcesss) {
    constexpr int images = 7, classes = 3;
    std::vector<cv::Mat> truth, pred;
    cv::RNG rng(3);
    for (int i = 0; i < images; ++i) {
        truth.emplace_back(6, 5, CV_8UC1);
        pred.emplace_back(6, 5, CV_8UC1);
        rng.fill(truth.back(), cv::RNG::UNIFORM, 0, classes);
        rng.fill(pred.back(), cv::RNG::UNIFORM, 0, classes);
    }
    MetricsAccumulator whole(classes);
    for (int i = 0; i < images; ++i)
        whole.add(truth[i], pred[i]);
    std::vector<MetricsAccumulator> gathered(2, MetricsAccumulator(classes));
    onRanks(2, [&](std::shared_ptr<Communicator> comm) {
        torch::nn::Linear unused(1, 1);
        DataParallel ddp(comm, *unused);
        MetricsAccumulator mine(classes);
        for (int i = comm->rank(); i < images; i += 2)
            mine.add(truth[i], pred[i]);
        gathered[comm->rank()] = ddp.gather(mine, images);
    });
    for (const auto& g : gathered) {
        EXPECT_EQ(g.confusion(), whole.confusion());
        ASSERT_EQ(g.imageCount(), whole.imageCount());
        for (int i = 0; i < images; ++i)
            for (int c = 0; c < classes; ++c)
                EXPECT_EQ(g.perImage()[i][c].tp, whole.perImage()[i][c].tp) << "image " << i << " class " << c;
        const MetricsReport a = makeReport(g), b = makeReport(whole);
        EXPECT_EQ(a.mIoU, b.mIoU);
        EXPECT_EQ(a.microImagewiseIoU, b.microImagewiseIoU);
    }
}

/** Predicts class 1 where the red channel is over 100, with a confidence the image's green sets, and
 *  counts the images it was asked for (the test's stand-in for a network). */
class ThresholdPredictor : public Predictor {
public:
    Prediction predict(const cv::Mat& rgb, const PredictOptions&) override {
        ++calls;
        Prediction p;
        std::vector<cv::Mat> ch;
        cv::split(rgb, ch);
        p.labels = ch[0] > 100;
        p.labels.setTo(1, p.labels);
        const float confident = 0.5f + ch[1].at<uchar>(0, 0) / 600.0f;
        cv::Mat one(rgb.size(), CV_32FC1, cv::Scalar(1.0f - confident));
        one.setTo(confident, p.labels);
        p.probabilities = {1.0f - one, one};
        return p;
    }
    int classCount() const override { return 2; }
    int trainingSize() const override { return 8; }
    PredictOptions asTrained() const override { return {}; }
    std::string description() const override { return "threshold"; }
    int calls = 0;
};

TEST(DataParallel, NativeValidationSharesTheImagesAndReportsWhatOneProcessWould) {
    test::TempDir tmp;
    constexpr int images = 5;
    std::vector<LoaderItem> items;
    cv::RNG rng(11);
    for (int i = 0; i < images; ++i) {
        cv::Mat bgr(9 + i, 7, CV_8UC3), mask(9 + i, 7, CV_8UC1);
        rng.fill(bgr, cv::RNG::UNIFORM, 0, 256);
        rng.fill(mask, cv::RNG::UNIFORM, 0, 2);
        const std::string stem = (tmp.path() / ("img" + std::to_string(i))).string();
        ASSERT_TRUE(cv::imwrite(stem + ".png", bgr) && cv::imwrite(stem + "_mask.png", mask));
        items.push_back({stem + ".png", stem + "_mask.png"});
    }
    TrainConfig config;
    const SegmentationLoss loss(config, 2);
    ThresholdPredictor alone;
    const NativeValidation whole = validateAtNativeResolution(alone, items, loss, 2, -1);
    EXPECT_EQ(alone.calls, images);
    std::vector<NativeValidation> shared(2);
    std::vector<int> calls(2);
    onRanks(2, [&](std::shared_ptr<Communicator> comm) {
        torch::nn::Linear unused(1, 1);
        DataParallel ddp(comm, *unused);
        ThresholdPredictor mine;
        shared[comm->rank()] = validateAtNativeResolution(mine, items, loss, 2, -1, &ddp);
        calls[comm->rank()] = mine.calls;
    });
    EXPECT_EQ(calls[0], 3) << "rank 0 predicts images 0, 2, 4";
    EXPECT_EQ(calls[1], 2) << "rank 1 predicts images 1, 3";
    for (const NativeValidation& v : shared) {
        EXPECT_EQ(v.report.mIoU, whole.report.mIoU);
        EXPECT_EQ(v.report.imageIoU, whole.report.imageIoU);
        EXPECT_EQ(v.report.imageNames, whole.report.imageNames);
        EXPECT_NEAR(v.loss, whole.loss, 1e-9);
    }
}

TEST(Communicator, AFailedPeerEndsTheCollectiveWithAMessageNotAHang) {
    auto store = c10::make_intrusive<c10d::HashStore>();
    std::string message;
    const auto t0 = std::chrono::steady_clock::now();
    std::thread peer([&] {
        Communicator c(store, 1, 2, std::chrono::seconds(2));
        // joins, then never takes part in the allreduce below
    });
    try {
        Communicator c(store, 0, 2, std::chrono::seconds(2));
        std::vector<torch::Tensor> t{torch::ones({3})};
        c.allreduceSum(t);
    } catch (const std::runtime_error& e) {
        message = e.what();
    }
    peer.join();
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 15.0);
    EXPECT_NE(message.find("rank 0 of 2: the process group failed while summing"), std::string::npos) << message;
}

} // namespace
} // namespace mf::dist
