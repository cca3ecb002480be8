#include "io/atomicfile.h"
#include "io/imageio.h"
#include "project/dataset.h"
#include "sample/samplegenerator.h"
#include "../testutil.h"

#include <fstream>
#include <gtest/gtest.h>

using namespace mf;
using mf::test::TempDir;

TEST(Sample, DeterministicValidProjectWithBoxesAndCoarseMasks) {
    TempDir a, b;
    SampleOptions o;
    o.count = 12;
    o.size = 96;
    o.seed = 5;
    o.outDir = a.path().string();
    makeSampleProject(o);
    o.outDir = b.path().string();
    makeSampleProject(o);
    for (const char* f : {"images/pipe_0003.png", "masks/pipe_0003.png", "coarse/pipe_0011.png", "boxes/pipe_0007.txt",
                          "maskforge.json"})
        EXPECT_EQ(readFileBytes(a / f), readFileBytes(b / f)) << f;
    EXPECT_TRUE(validateDataset(a.path().string()).empty());
    Project p = Project::load(a.path().string());
    EXPECT_EQ(p.classCount(), 5);
    EXPECT_EQ(p.images().size(), 12u);
    int train = 0;
    for (const auto& e : p.images())
        train += e.split == Split::Train;
    EXPECT_GT(train, 5);
}

TEST(Sample, CoarseMasksAreBoxesAroundTheTrueDefects) {
    TempDir dir;
    SampleOptions o;
    o.count = 6;
    o.size = 128;
    o.outDir = dir.path().string();
    makeSampleProject(o);
    for (int i = 0; i < 6; ++i) {
        char stem[16];
        std::snprintf(stem, sizeof stem, "pipe_%04d", i);
        cv::Mat truth = readMask(dir / (std::string("masks/") + stem + ".png"), MaskEncoding::Index);
        cv::Mat coarse = readMask(dir / (std::string("coarse/") + stem + ".png"), MaskEncoding::Index);
        EXPECT_GT(cv::countNonZero(truth), 0) << stem;
        // Every defect pixel lies inside some box; boxes cover more than the defects.
        EXPECT_EQ(cv::countNonZero((truth > 0) & (coarse == 0)), 0) << stem;
        EXPECT_GT(cv::countNonZero(coarse), cv::countNonZero(truth)) << stem;
        std::ifstream boxes(dir / (std::string("boxes/") + stem + ".txt"));
        int cls;
        double cx, cy, w, h;
        int lines = 0;
        while (boxes >> cls >> cx >> cy >> w >> h) {
            ++lines;
            EXPECT_GE(cls, 0);
            EXPECT_LT(cls, 4);
            EXPECT_GT(w, 0);
            EXPECT_LE(cx + w / 2, 1.0 + 1e-9);
        }
        EXPECT_GT(lines, 0) << stem;
    }
}
