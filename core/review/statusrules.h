#pragma once
#include "project/project.h"

#include <opencv2/core.hpp>

namespace mf {

/** What happened to an image's mask; nextStatus() says what status it leads to. */
enum class StatusEvent {
    Saved,              ///< saved without a change (an unlabelled image becomes refined: all background is a label)
    EditsSaved,         ///< saved with edits, and the mask is not the coarse one
    RevertedToCoarse,   ///< saved, and the mask is exactly the coarse mask
    ProposalAccepted,   ///< a queued proposal (GrabCut batch or a model) was accepted, edited or not
    ProposalRejected,   ///< a queued proposal was rejected: the mask on disk stays, and so does the status
    MarkedReviewed,     ///< a person marked it reviewed
    /** auto refinement kept the box fill of every class of a coarse image because, on the trusted
     *  masks, no method beat the boxes (keptboxes.h): a decided label, trained from as a mask */
    BoxesKeptOnEvidence,
};

/** THE status rules of MaskForge (README "Status rules"): every change of an image's status made by
 *  the program goes through here; a person may still set any status by hand. */
ImageStatus nextStatus(ImageStatus current, StatusEvent event);

/** The event of saving `mask`: `edited` says whether it differs from the mask on disk; `coarse` may be
 *  empty (no coarse mask). */
StatusEvent saveEvent(const cv::Mat& mask, const cv::Mat& coarse, bool edited);

/** Sets image `row`'s status by hand (a person may choose any status) and saves the project; when the
 *  save fails the status in memory is put back and the error rethrown. */
void setStatusAndSave(Project& project, int row, ImageStatus status);

} // namespace mf
