#include "io/atomicfile.h"
#include "io/errors.h"
#include "infer/comparison.h"
#include "runs/runfolder.h"
#include "runs/trainconfig.h"
#include "runs/runlist.h"
#include "runs/runmetrics.h"
#include "viz/series.h"

#include "../testutil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace mf;

namespace {

EpochReport epoch(int e, double miou, bool best) {
    EpochReport r;
    r.epoch = e, r.epochs = 3, r.trainLoss = 1.0 / e, r.valLoss = 1.5 / e, r.mIoU = miou, r.mIoUNoBackground = miou - 0.1;
    r.lr = 1e-3, r.seconds = 2.5, r.best = best, r.classIoU = {0.9, miou, 0.25};
    return r;
}

/** A run folder as the trainer leaves it after `epochs` of `total` epochs. */
std::string makeRun(const test::TempDir& tmp, const std::string& name, int epochs, int total) {
    RunFolder run(tmp / ("runs/" + name));
    TrainConfig c;
    c.arch = "encdec", c.epochs = total;
    run.writeConfig(toYaml(c));
    for (int e = 1; e <= epochs; ++e)
        run.addEpoch(epoch(e, 0.5 + 0.1 * e, e == 2), {"background", "crack", "hole deep"});
    run.log(epochs < total ? "cancelled during epoch " + std::to_string(epochs + 1) : "done");
    return run.dir();
}

} // namespace

TEST(RunMetrics, ReadsWhatRunFolderWrites) {
    test::TempDir tmp;
    const std::string dir = makeRun(tmp, "a", 3, 3);
    const RunMetrics m = readRunMetrics(dir);
    ASSERT_EQ(m.epochs.size(), 3u);
    EXPECT_EQ(m.classNames, (std::vector<std::string>{"background", "crack", "hole_deep"}));
    EXPECT_EQ(m.bestEpoch(), 2);
    EXPECT_DOUBLE_EQ(m.epochs[1].mIoU, 0.7);
    EXPECT_NEAR(m.epochs[2].mIoUNoBackground, 0.7, 1e-9);
    EXPECT_NEAR(m.epochs[2].valLoss, 0.5, 1e-9);
    ASSERT_EQ(m.epochs[0].classIoU.size(), 3u);
    EXPECT_DOUBLE_EQ(m.epochs[0].classIoU[2], 0.25);
    // Round trip through our own writer.
    const RunMetrics again = parseRunMetrics(runMetricsToCsv(m), "x");
    EXPECT_EQ(again.epochs.size(), 3u);
    EXPECT_DOUBLE_EQ(again.epochs[2].mIoU, m.epochs[2].mIoU);
}

TEST(RunMetrics, BadNumberNamesFileAndLine) {
    try {
        parseRunMetrics("epoch,miou\n1,0.5\n2,abc\n", "m.csv");
        FAIL() << "no throw";
    } catch (const FileError& e) {
        EXPECT_NE(std::string(e.what()).find("m.csv"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos);
    }
    EXPECT_TRUE(readRunMetrics("/nonexistent/run").epochs.empty());
}

TEST(RunList, ListsStatusBestAndManagesFolders) {
    test::TempDir tmp;
    makeRun(tmp, "done", 3, 3);
    makeRun(tmp, "stopped", 1, 3);
    std::filesystem::create_directories(tmp / "runs/not-a-run");
    auto runs = listRuns(tmp / "runs");
    ASSERT_EQ(runs.size(), 2u);
    const RunInfo& done = runs[0].name == "done" ? runs[0] : runs[1];
    const RunInfo& stopped = runs[0].name == "done" ? runs[1] : runs[0];
    EXPECT_EQ(done.status, "finished");
    EXPECT_EQ(done.arch, "encdec");
    EXPECT_EQ(done.bestEpoch, 2);
    EXPECT_NEAR(done.bestMIoU, 0.6, 1e-9);
    EXPECT_EQ(stopped.status, "stopped");
    EXPECT_EQ(stopped.epochsDone, 1);

    const std::string renamed = renameRun(done.dir, "renamed");
    EXPECT_TRUE(std::filesystem::exists(renamed + "/metrics.csv"));
    EXPECT_THROW(renameRun(renamed, "stopped"), FileError);
    EXPECT_THROW(renameRun(renamed, "a/b"), FileError);
    deleteRun(renamed);
    EXPECT_FALSE(std::filesystem::exists(renamed));
    EXPECT_THROW(deleteRun(tmp / "runs/not-a-run"), FileError);
    EXPECT_TRUE(std::filesystem::exists(tmp / "runs/not-a-run"));
}

TEST(Series, SmootherIsDebiased) {
    Smoother s(0.9);
    EXPECT_DOUBLE_EQ(s.add(2.0), 2.0);  // no pull towards zero at the start
    EXPECT_NEAR(s.add(2.0), 2.0, 1e-12);
    const double v = s.add(0.0);
    EXPECT_GT(v, 0.0);
    EXPECT_LT(v, 2.0);
}

TEST(Series, DecimatorStaysUnderCapacityAndKeepsOrder) {
    Decimator d(100);
    int thinned = 0;
    for (int i = 0; i < 10000; ++i)
        if (d.push(i, i * 2.0) == Decimator::Push::Thinned)
            ++thinned;
    EXPECT_LE(d.points().size(), 100u);
    EXPECT_GE(d.points().size(), 50u);
    EXPECT_LE(thinned, 8);  // log2(10000 / 100) + 1
    for (std::size_t i = 1; i < d.points().size(); ++i) {
        EXPECT_LT(d.points()[i - 1].x, d.points()[i].x);
        EXPECT_EQ(static_cast<std::size_t>(d.points()[i].x) % d.stride(), 0u);
    }
    EXPECT_EQ(d.points().front().x, 0.0);
}

TEST(RunFolder, LogAppendsInsteadOfRewriting) {
    test::TempDir tmp;
    RunFolder run(tmp / "runs/log");
    run.log("first");
    // Whatever is already in the file stays: a second writer (or a resumed run) is not overwritten.
    {
        std::ofstream other(run.path("train.log"), std::ios::app);
        other << "written by someone else\n";
    }
    RunFolder resumed(run.dir());
    resumed.log("second");
    run.log("third");
    const std::string log = readFileBytes(run.path("train.log"));
    const auto first = log.find("first"), other = log.find("someone else"), second = log.find("second"),
               third = log.find("third");
    ASSERT_NE(first, std::string::npos);
    ASSERT_NE(other, std::string::npos);
    ASSERT_NE(second, std::string::npos);
    ASSERT_NE(third, std::string::npos);
    EXPECT_LT(first, other);
    EXPECT_LT(other, second);
    EXPECT_LT(second, third);
}

TEST(RunMetrics, HeaderAndRowShareOneColumnList) {
    const std::string header = metricsCsvHeader({"background", "a,b", "c d"});
    EXPECT_EQ(header, "epoch,train_loss,val_loss,miou,miou_no_background,micro_imagewise_iou,pixel_accuracy,lr,"
                      "seconds,best,val_native,miou_present_no_background,iou_background,iou_a_b,iou_c_d");
    const std::string row = metricsCsvRow(epoch(2, 0.5, true));
    EXPECT_EQ(std::count(row.begin(), row.end(), ','), std::count(header.begin(), header.end(), ','));
    const RunMetrics m = parseRunMetrics(header + "\n" + row + "\n", "m.csv");
    ASSERT_EQ(m.epochs.size(), 1u);
    EXPECT_EQ(m.epochs[0].epoch, 2);
    EXPECT_TRUE(m.epochs[0].best);
    EXPECT_DOUBLE_EQ(m.epochs[0].seconds, 2.5);
    EXPECT_DOUBLE_EQ(m.epochs[0].lr, 1e-3);
    EXPECT_EQ(m.classNames, (std::vector<std::string>{"background", "a_b", "c_d"}));
}

TEST(Comparison, RanksImagesBothRunsScoredByDifference) {
    MetricsReport a, b;
    a.imageNames = {"x", "y", "z", "only-a"};
    a.imageIoU = {0.5, 0.9, 0.2, 0.1};
    b.imageNames = {"z", "y", "x"};
    b.imageIoU = {0.8, 0.8, 0.5};
    const std::vector<ImageDiff> ranked = rankByDifference(a, b);
    ASSERT_EQ(ranked.size(), 3u);
    EXPECT_EQ(ranked[0].name, "z");  // |0.8 - 0.2|
    EXPECT_EQ(ranked[1].name, "y");  // |0.8 - 0.9|
    EXPECT_EQ(ranked[2].name, "x");  // no change
    EXPECT_DOUBLE_EQ(ranked[0].a, 0.2);
    EXPECT_DOUBLE_EQ(ranked[0].b, 0.8);
}
