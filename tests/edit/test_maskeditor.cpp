#include "edit/maskeditor.h"

#include <gtest/gtest.h>

using namespace mf;

namespace {
bool same(const cv::Mat& a, const cv::Mat& b) { return a.size() == b.size() && cv::norm(a, b, cv::NORM_INF) == 0; }
} // namespace

TEST(MaskDiff, StoresAboutTwiceTheChangedPixels) {
    cv::Mat before = cv::Mat::zeros(200, 200, CV_8UC1), after = before.clone();
    for (int i = 0; i < 200; ++i)  // a diagonal stroke: its rect is 200², its pixels ~200*9
        after.row(i).colRange(std::max(0, i - 4), std::min(200, i + 5)).setTo(2);
    const MaskDiff d = MaskDiff::between(before, after, {0, 0, 200, 200});
    EXPECT_EQ(d.changedPixels(), static_cast<std::size_t>(cv::countNonZero(after)));
    EXPECT_LT(d.bytes(), 2.6 * d.changedPixels() + 256);
    cv::Mat m = after.clone();
    d.undo(m);
    EXPECT_TRUE(same(m, before));
    d.redo(m);
    EXPECT_TRUE(same(m, after));
}

TEST(MaskEditor, UndoAndRedoRestoreExactBytes) {
    cv::Mat start(64, 64, CV_8UC1);
    cv::randu(start, 0, 4);
    MaskEditor ed;
    ed.reset(start.clone());
    const cv::Mat s0 = ed.mask().clone();
    MaskPainter p = ed.painter();
    ed.touch(p.segment({5, 5}, {50, 30}, 3, 1));
    ed.touch(p.segment({50, 30}, {10, 60}, 3, 1));
    ASSERT_TRUE(ed.commit("stroke"));
    const cv::Mat s1 = ed.mask().clone();
    ed.touch(ed.painter().rect({0, 0, 64, 10}, 0));
    ASSERT_TRUE(ed.commit("rect"));
    const cv::Mat s2 = ed.mask().clone();
    EXPECT_EQ(ed.undoSteps(), 2u);
    ed.undo();
    EXPECT_TRUE(same(ed.mask(), s1));
    ed.undo();
    EXPECT_TRUE(same(ed.mask(), s0));
    EXPECT_FALSE(ed.canUndo());
    ed.redo();
    ed.redo();
    EXPECT_TRUE(same(ed.mask(), s2));
}

TEST(MaskEditor, NoChangeMakesNoStepAndNewEditDropsRedo) {
    MaskEditor ed;
    ed.reset(cv::Mat::zeros(20, 20, CV_8UC1));
    ed.touch(ed.painter().dab({5, 5}, 2, 0));
    EXPECT_FALSE(ed.commit("nothing"));
    ed.touch(ed.painter().dab({5, 5}, 2, 1));
    EXPECT_TRUE(ed.commit("a"));
    ed.undo();
    EXPECT_TRUE(ed.canRedo());
    ed.touch(ed.painter().dab({10, 10}, 2, 1));
    ed.commit("b");
    EXPECT_FALSE(ed.canRedo());
}

TEST(MaskEditor, MemoryCapDropsOldestSteps) {
    MaskEditor ed(4000);
    ed.reset(cv::Mat::zeros(100, 100, CV_8UC1));
    for (int i = 0; i < 20; ++i) {
        ed.touch(ed.painter().rect({0, i * 5, 100, 5}, 1));  // 500 pixels, ~1 KB per step
        ed.commit("row");
    }
    EXPECT_LE(ed.memoryUsed(), 4000u);
    EXPECT_GT(ed.undoSteps(), 0u);
    EXPECT_LT(ed.undoSteps(), 20u);
    const int kept = static_cast<int>(ed.undoSteps());
    while (ed.canUndo())
        ed.undo();
    EXPECT_EQ(cv::countNonZero(ed.mask()), (20 - kept) * 500);  // dropped steps stay painted
}

TEST(MaskEditor, RollbackRestoresUncommittedPixels) {
    MaskEditor ed;
    ed.reset(cv::Mat::zeros(20, 20, CV_8UC1));
    ed.touch(ed.painter().dab({5, 5}, 3, 2));
    ed.rollback();
    EXPECT_EQ(cv::countNonZero(ed.mask()), 0);
}
