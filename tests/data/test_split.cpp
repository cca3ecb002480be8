#include "project/split.h"

#include <gtest/gtest.h>
#include <map>

using namespace mf;

TEST(Split, StratifiedFractionsPerStratum) {
    std::vector<std::string> strata;
    for (int i = 0; i < 100; ++i)
        strata.push_back(i < 60 ? "0,1" : "0,2");
    SplitOptions o;
    o.valFraction = 0.2;
    o.testFraction = 0.1;
    auto splits = stratifiedSplit(strata, {}, o);
    std::map<std::string, std::map<Split, int>> count;
    for (std::size_t i = 0; i < splits.size(); ++i)
        ++count[strata[i]][splits[i]];
    EXPECT_NEAR(count["0,1"][Split::Val], 12, 1);
    EXPECT_NEAR(count["0,1"][Split::Test], 6, 1);
    EXPECT_NEAR(count["0,2"][Split::Val], 8, 1);
    EXPECT_NEAR(count["0,2"][Split::Test], 4, 1);
}

TEST(Split, DeterministicForASeedAndDifferentAcrossSeeds) {
    std::vector<std::string> strata(50, "x");
    SplitOptions o;
    auto a = stratifiedSplit(strata, {}, o), b = stratifiedSplit(strata, {}, o);
    EXPECT_EQ(a, b);
    o.seed = 7;
    EXPECT_NE(stratifiedSplit(strata, {}, o), a);
}

TEST(Split, GroupsStayTogether) {
    std::vector<std::string> strata, groups;
    for (int i = 0; i < 90; ++i) {
        strata.push_back(i % 2 ? "a" : "b");
        groups.push_back("g" + std::to_string(i / 3));
    }
    auto splits = stratifiedSplit(strata, groups, {});
    for (int i = 0; i < 90; i += 3) {
        EXPECT_EQ(splits[i], splits[i + 1]);
        EXPECT_EQ(splits[i], splits[i + 2]);
    }
}

TEST(Split, ClassSignatureListsPresentClasses) {
    cv::Mat m = (cv::Mat_<uchar>(1, 4) << 0, 3, 3, 1);
    EXPECT_EQ(classSignature(m, 4), "0,1,3");
}
