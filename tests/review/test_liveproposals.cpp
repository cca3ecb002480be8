// The live classifier's project side: strokes saved per image (surviving a restart) and "Predict all
// unlabelled images" into the review queue, scored against the true masks.
#include "io/atomicfile.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "review/liveproposals.h"
#include "review/strokestore.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mf;

namespace {

/** Bright discs (class 1) on a noisy grey background; each seed places them elsewhere. */
void scene(int seed, cv::Mat& image, cv::Mat& truth) {
    truth = cv::Mat(120, 160, CV_8UC1, cv::Scalar(0));
    cv::RNG rng(static_cast<std::uint64_t>(seed));
    for (int i = 0; i < 4; ++i)
        cv::circle(truth, {rng.uniform(20, 140), rng.uniform(20, 100)}, rng.uniform(8, 18), 1, cv::FILLED);
    cv::Mat grey;
    truth.convertTo(grey, CV_8U, 90, 70);
    cv::Mat noise(grey.size(), CV_8UC1);
    rng.fill(noise, cv::RNG::NORMAL, 0, 15);
    cv::add(grey, noise, grey);
    cv::cvtColor(grey, image, cv::COLOR_GRAY2RGB);
}

struct LiveFixture : ::testing::Test {
    fs::path root;
    Project project;
    std::vector<cv::Mat> truths;
    void SetUp() override {
        root = fs::temp_directory_path() /
               ("mf_live_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root / "images");
        project = Project(root.string());
        project.classes() = defaultClasses(2);
        for (int i = 0; i < 3; ++i) {
            cv::Mat image, truth;
            scene(i + 1, image, truth);
            writeImageAtomic((root / "images" / (std::to_string(i) + ".png")).string(), image);
            ImageEntry e;
            e.image = "images/" + std::to_string(i) + ".png";
            e.mask = "masks/" + std::to_string(i) + ".png";  // named, not written yet
            e.status = i == 2 ? ImageStatus::Reviewed : ImageStatus::Unlabelled;
            project.images().push_back(e);
            truths.push_back(truth);
        }
        project.save();
    }
    void TearDown() override { fs::remove_all(root); }
    /** Strokes a person would paint on image `i`: a line across a disc and two across the background. */
    cv::Mat strokesOf(int i) const {
        cv::Mat s(truths[static_cast<std::size_t>(i)].size(), CV_8UC1, cv::Scalar(255));
        cv::Mat disc = truths[static_cast<std::size_t>(i)] == 1, bg = truths[static_cast<std::size_t>(i)] == 0;
        cv::Mat lines(s.size(), CV_8UC1, cv::Scalar(0));
        for (int y = 10; y < s.rows; y += 25)
            cv::line(lines, {0, y}, {s.cols - 1, y}, 255, 2);
        s.setTo(1, disc & lines);
        s.setTo(0, bg & lines);
        return s;
    }
};

double iou1(const cv::Mat& a, const cv::Mat& b) {
    const cv::Mat x = a == 1, y = b == 1;
    return cv::countNonZero(x & y) / std::max(1.0, static_cast<double>(cv::countNonZero(x | y)));
}

} // namespace

TEST_F(LiveFixture, StrokesSurviveARestartAndClearingThemDeletesTheFile) {
    const cv::Mat strokes = strokesOf(0);
    StrokeStore(root.string()).save("images/0.png", strokes);
    const StrokeStore reopened(root.string());  // a new session: nothing but the files
    ASSERT_TRUE(reopened.has("images/0.png"));
    EXPECT_EQ(reopened.path("images/0.png").find((root / ".maskforge" / "strokes").string()), 0u);
    EXPECT_EQ(cv::countNonZero(reopened.load("images/0.png", strokes.size()) != strokes), 0);
    EXPECT_EQ(reopened.imagesWithStrokes(project), std::vector<std::string>{"images/0.png"});
    // An image without strokes: an unpainted map.
    const cv::Mat none = reopened.load("images/1.png", strokes.size());
    EXPECT_EQ(cv::countNonZero(none != 255), 0);
    // A stroke file of another size than the image names the file.
    try {
        reopened.load("images/0.png", {10, 10});
        FAIL() << "no error";
    } catch (const FileError& e) {
        EXPECT_NE(std::string(e.what()).find(reopened.path("images/0.png")), std::string::npos) << e.what();
    }
    reopened.save("images/0.png", cv::Mat(strokes.size(), CV_8UC1, cv::Scalar(255)));
    EXPECT_FALSE(reopened.has("images/0.png"));
    EXPECT_TRUE(reopened.imagesWithStrokes(project).empty());
}

TEST_F(LiveFixture, PredictAllUnlabelledQueuesProposalsThatMatchTheTruth) {
    StrokeStore(root.string()).save("images/0.png", strokesOf(0));
    const ReviewQueue queue(root.string());
    const LiveProposals p = proposeUnlabelled(project, queue);
    EXPECT_FALSE(p.cancelled);
    EXPECT_TRUE(p.problems.empty());
    EXPECT_EQ(p.strokedImages, 1);
    EXPECT_EQ(p.classes, (std::vector<int>{0, 1}));
    // Both unlabelled images (the stroked one too), not the reviewed one.
    ASSERT_EQ(p.entries.size(), 2u);
    for (const ReviewEntry& e : p.entries) {
        EXPECT_EQ(e.origin, "Live classifier (strokes on 1 image)");
        const int i = e.image == "images/0.png" ? 0 : 1;
        EXPECT_EQ(e.image, "images/" + std::to_string(i) + ".png");
        const cv::Mat candidate = queue.readCandidate(e, truths[static_cast<std::size_t>(i)].size());
        // Image 1 was never stroked: learnt from image 0's strokes alone.
        EXPECT_GT(iou1(candidate, truths[static_cast<std::size_t>(i)]), 0.85) << e.image;
    }
    EXPECT_FALSE(fs::exists(root / "masks"));  // nothing written but candidates
    EXPECT_FALSE(fs::exists(root / ReviewQueue::kFileName));
}

TEST_F(LiveFixture, PredictAllNeedsTwoClassesAndSkipsQueuedImages) {
    cv::Mat onlyBackground = strokesOf(0);
    onlyBackground.setTo(255, onlyBackground == 1);
    StrokeStore(root.string()).save("images/0.png", onlyBackground);
    EXPECT_THROW(proposeUnlabelled(project, ReviewQueue(root.string())), std::runtime_error);
    StrokeStore(root.string()).save("images/0.png", strokesOf(0));
    ReviewQueue queue(root.string());
    queue.add(writeProposal(root.string(), "images/1.png", kGrabCutOrigin, truths[1], cv::Mat()));
    const LiveProposals p = proposeUnlabelled(project, queue);
    ASSERT_EQ(p.entries.size(), 1u);
    EXPECT_EQ(p.entries[0].image, "images/0.png");
    std::atomic<bool> cancel{true};
    const LiveProposals stopped = proposeUnlabelled(project, ReviewQueue(root.string()), {}, &cancel);
    EXPECT_TRUE(stopped.cancelled);
    EXPECT_TRUE(stopped.entries.empty());
}
