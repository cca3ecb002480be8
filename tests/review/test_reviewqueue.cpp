// The one review queue, without a GUI: proposals of both origins, persistence, identity and size checks.
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "review/reviewqueue.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mf;

namespace {

struct QueueFixture : ::testing::Test {
    fs::path root;
    Project project;
    void SetUp() override {
        root = fs::temp_directory_path() /
               ("mf_review_" + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root / "images");
        project = Project(root.string());
        project.classes() = defaultClasses(3);
        for (const char* name : {"a", "b"}) {
            writeImageAtomic((root / "images" / (std::string(name) + ".png")).string(), cv::Mat(16, 24, CV_8UC3, cv::Scalar(90, 90, 90)));
            ImageEntry e;
            e.image = std::string("images/") + name + ".png";
            e.status = ImageStatus::Coarse;
            project.images().push_back(e);
        }
        project.save();
    }
    void TearDown() override { fs::remove_all(root); }
    static cv::Mat blob(int cls, cv::Size size = {24, 16}) {
        cv::Mat m = cv::Mat::zeros(size, CV_8U);
        m(cv::Rect(2, 2, 5, 4)).setTo(cls);
        return m;
    }
};

} // namespace

TEST_F(QueueFixture, HoldsBothOriginsAndSurvivesARestart) {
    ReviewQueue q(root.string());
    q.add(writeProposal(root.string(), "images/a.png", kGrabCutOrigin, blob(1), cv::Mat()));
    q.add(writeProposal(root.string(), "images/b.png", "unet-run-3", blob(2), blob(1)));
    q.save();
    const ReviewQueue back = ReviewQueue::load(root.string());
    ASSERT_EQ(back.size(), 2);
    const ReviewEntry* a = back.find("images/a.png");
    const ReviewEntry* b = back.find("images/b.png");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->origin, "GrabCut");
    EXPECT_EQ(b->origin, "unet-run-3");
    EXPECT_EQ(a->changedPixels, 20);
    EXPECT_EQ(a->classes, std::vector<int>{1});
    EXPECT_EQ(b->changedPixels, 20);
    EXPECT_EQ(b->classes, (std::vector<int>{1, 2}));
    EXPECT_EQ(a->width, 24);
    EXPECT_EQ(a->height, 16);
    EXPECT_TRUE(fs::is_regular_file(root / a->candidate));
    EXPECT_EQ(fs::path(a->candidate).parent_path(), fs::path(".maskforge/review"));
}

TEST_F(QueueFixture, ANewerProposalReplacesTheOlderOne) {
    ReviewQueue q(root.string());
    q.add(writeProposal(root.string(), "images/a.png", kGrabCutOrigin, blob(1), cv::Mat()));
    const std::string old = q.find("images/a.png")->candidate;
    q.add(writeProposal(root.string(), "images/a.png", "run-x", blob(2), cv::Mat()));
    EXPECT_EQ(q.size(), 1);
    EXPECT_EQ(q.find("images/a.png")->origin, "run-x");
    EXPECT_FALSE(fs::exists(root / old));
}

TEST_F(QueueFixture, AcceptWritesTheMaskSetsTheStatusAndSavesBoth) {
    ReviewQueue q(root.string());
    q.add(writeProposal(root.string(), "images/b.png", "run-x", blob(2), cv::Mat()));
    const std::string cand = q.find("images/b.png")->candidate;
    q.save();
    acceptProposal(project, q, "images/b.png");
    EXPECT_EQ(cv::countNonZero(readMask(project.absolute(project.images()[1].mask), MaskEncoding::Index) != blob(2)), 0);
    EXPECT_EQ(project.images()[1].status, ImageStatus::Refined);
    EXPECT_EQ(Project::load(root.string()).images()[1].status, ImageStatus::Refined);
    EXPECT_TRUE(q.empty());
    EXPECT_TRUE(ReviewQueue::load(root.string()).empty());
    EXPECT_FALSE(fs::exists(root / cand));
    EXPECT_EQ(project.images()[0].status, ImageStatus::Coarse);  // the other image untouched
}

TEST_F(QueueFixture, ACandidateOfTheWrongSizeIsNeverWritten) {
    ReviewQueue q(root.string());
    q.add(writeProposal(root.string(), "images/a.png", "run-x", blob(1, {32, 32}), cv::Mat()));
    EXPECT_THROW(acceptProposal(project, q, "images/a.png"), FileError);
    EXPECT_TRUE(project.images()[0].mask.empty());
    EXPECT_FALSE(fs::exists(root / "masks"));
    EXPECT_EQ(project.images()[0].status, ImageStatus::Coarse);
    EXPECT_EQ(q.size(), 1);
}

TEST_F(QueueFixture, ACandidateReplacedBehindTheQueueIsRefused) {
    ReviewQueue q(root.string());
    q.add(writeProposal(root.string(), "images/a.png", "run-x", blob(1), cv::Mat()));
    writeMaskAtomic((root / q.find("images/a.png")->candidate).string(), blob(1, {8, 8}));
    EXPECT_THROW(q.readCandidate(*q.find("images/a.png"), {24, 16}), FileError);
}

TEST_F(QueueFixture, AnEntryForAnImageOfAnotherProjectIsNotAccepted) {
    ReviewQueue q(root.string());
    q.add(writeProposal(root.string(), "images/zzz.png", "run-x", blob(1), cv::Mat()));
    EXPECT_THROW(acceptProposal(project, q, "images/zzz.png"), FileError);
    EXPECT_EQ(q.prune(project), std::vector<std::string>{"images/zzz.png"});
    EXPECT_TRUE(q.empty());
}

TEST_F(QueueFixture, FailedProjectSaveLeavesMaskStatusAndQueueAsBefore) {
    ReviewQueue q(root.string());
    q.add(writeProposal(root.string(), "images/a.png", "run-x", blob(1), cv::Mat()));
    fs::create_directories(root / "masks");
    writeMaskAtomic((root / "masks/a.png").string(), blob(2));
    project.images()[0].mask = "masks/a.png";
    // maskforge.json cannot be replaced (a folder in its place: fails for root too).
    fs::remove(root / "maskforge.json");
    fs::create_directories(root / "maskforge.json" / "x");
    EXPECT_THROW(acceptProposal(project, q, "images/a.png"), std::exception);
    EXPECT_EQ(project.images()[0].status, ImageStatus::Coarse);
    EXPECT_EQ(cv::countNonZero(readMask((root / "masks/a.png").string(), MaskEncoding::Index) != blob(2)), 0);
    EXPECT_EQ(q.size(), 1);
    EXPECT_TRUE(fs::exists(root / q.find("images/a.png")->candidate));
}

TEST_F(QueueFixture, MalformedQueueFileIsAnErrorNamingIt) {
    writeFileAtomic((root / "review.json").string(), "{\"entries\": [{\"image\": 3}]}");
    try {
        ReviewQueue::load(root.string());
        FAIL() << "no error";
    } catch (const FileError& e) {
        EXPECT_NE(std::string(e.what()).find("review.json"), std::string::npos);
    }
    EXPECT_TRUE(ReviewQueue::load((root / "images").string()).empty());  // none there: empty
}

// Issue 20, item 4: 猫1.png and 犬1.png both got .maskforge/review/___1.GrabCut.png; accepting one could
// write the other's proposal, and removing it deleted the file the other entry needs.
TEST_F(QueueFixture, NonAsciiNamesGetTheirOwnProposalFiles) {
    ReviewQueue q(root.string());
    q.add(writeProposal(root.string(), "images/猫1.png", kGrabCutOrigin, blob(1), cv::Mat()));
    q.add(writeProposal(root.string(), "images/犬1.png", kGrabCutOrigin, blob(2), cv::Mat()));
    q.add(writeProposal(root.string(), "images/x/1.png", kGrabCutOrigin, blob(1), cv::Mat()));
    q.add(writeProposal(root.string(), "images/y/1.png", kGrabCutOrigin, blob(2), cv::Mat()));
    const std::string cat = q.find("images/猫1.png")->candidate, dog = q.find("images/犬1.png")->candidate;
    EXPECT_NE(cat, dog);
    EXPECT_NE(q.find("images/x/1.png")->candidate, q.find("images/y/1.png")->candidate);
    EXPECT_EQ(cv::countNonZero(readMask((root / cat).string(), MaskEncoding::Index) == 1), 20);
    EXPECT_EQ(cv::countNonZero(readMask((root / dog).string(), MaskEncoding::Index) == 2), 20);
    q.remove("images/猫1.png");
    EXPECT_TRUE(fs::exists(root / dog));
}

TEST_F(QueueFixture, AProposalOverBoxesRecordsTheShareOfThemItKeeps) {
    // Box (2,2,5,4) filled with class 1; the proposal keeps 5 of its 20 pixels.
    const cv::Mat before = blob(1);
    cv::Mat candidate = cv::Mat::zeros(before.size(), CV_8U);
    candidate(cv::Rect(2, 2, 5, 1)).setTo(1);
    const std::vector<DetectionBox> boxes{{1, cv::Rect(2, 2, 5, 4)}};
    const ReviewEntry withBoxes = writeProposal(root.string(), "images/a.png", kGrabCutOrigin, candidate, before, boxes);
    EXPECT_NEAR(withBoxes.leastKept, 0.25, 1e-9);
    EXPECT_EQ(withBoxes.lostBoxes, 0);  // 25 % kept: not lost
    const ReviewEntry withoutBoxes = writeProposal(root.string(), "images/b.png", "run-x", candidate, before);
    EXPECT_LT(withoutBoxes.leastKept, 0);  // unknown: nothing says which boxes it refines
    EXPECT_LT(withoutBoxes.lostBoxes, 0);
    // One pixel of the twenty, in one row and one column of five and four: the box is lost.
    cv::Mat speck = cv::Mat::zeros(before.size(), CV_8U);
    speck.at<uchar>(3, 3) = 1;
    const ReviewEntry lost = writeProposal(root.string(), "images/c.png", kGrabCutOrigin, speck, before, boxes);
    EXPECT_EQ(lost.lostBoxes, 1);
    // Both survive review.json.
    ReviewQueue q(root.string());
    q.add(lost);
    q.add(withBoxes);
    q.save();
    const ReviewQueue back = ReviewQueue::load(root.string());
    EXPECT_EQ(back.find("images/c.png")->lostBoxes, 1);
    EXPECT_EQ(back.find("images/a.png")->lostBoxes, 0);
    EXPECT_NEAR(back.find("images/c.png")->leastKept, 0.05, 1e-9);
}
