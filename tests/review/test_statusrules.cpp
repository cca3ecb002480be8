#include "review/statusrules.h"

#include <gtest/gtest.h>

using namespace mf;

namespace {
const ImageStatus kAll[] = {ImageStatus::Unlabelled, ImageStatus::Coarse, ImageStatus::Refined, ImageStatus::Reviewed};
}

TEST(StatusRules, EditingAReviewedImageMakesItRefinedAgain) {
    for (ImageStatus s : kAll)
        EXPECT_EQ(nextStatus(s, StatusEvent::EditsSaved), ImageStatus::Refined) << toString(s);
}

TEST(StatusRules, RevertingToTheCoarseMaskMakesItCoarse) {
    for (ImageStatus s : kAll)
        EXPECT_EQ(nextStatus(s, StatusEvent::RevertedToCoarse), ImageStatus::Coarse) << toString(s);
}

TEST(StatusRules, SavingWithoutChangeKeepsTheStatusButLabelsAnUnlabelledImage) {
    EXPECT_EQ(nextStatus(ImageStatus::Unlabelled, StatusEvent::Saved), ImageStatus::Refined);
    for (ImageStatus s : {ImageStatus::Coarse, ImageStatus::Refined, ImageStatus::Reviewed})
        EXPECT_EQ(nextStatus(s, StatusEvent::Saved), s);
}

TEST(StatusRules, ProposalsAndReview) {
    for (ImageStatus s : kAll) {
        EXPECT_EQ(nextStatus(s, StatusEvent::ProposalAccepted), ImageStatus::Refined);
        EXPECT_EQ(nextStatus(s, StatusEvent::ProposalRejected), s);
        EXPECT_EQ(nextStatus(s, StatusEvent::MarkedReviewed), ImageStatus::Reviewed);
    }
}

TEST(StatusRules, SaveEventLooksAtTheMaskAgainstTheCoarseOne) {
    cv::Mat coarse = cv::Mat::zeros(8, 8, CV_8U);
    coarse(cv::Rect(2, 2, 3, 3)).setTo(1);
    cv::Mat mask = coarse.clone();
    EXPECT_EQ(saveEvent(mask, coarse, false), StatusEvent::Saved);
    EXPECT_EQ(saveEvent(mask, coarse, true), StatusEvent::RevertedToCoarse);
    mask.at<uchar>(0, 0) = 2;
    EXPECT_EQ(saveEvent(mask, coarse, true), StatusEvent::EditsSaved);
    EXPECT_EQ(saveEvent(mask, cv::Mat(), true), StatusEvent::EditsSaved);
}
