#include "review/statusrules.h"

#include <opencv2/core.hpp>

namespace mf {

ImageStatus nextStatus(ImageStatus current, StatusEvent event) {
    switch (event) {
    case StatusEvent::Saved:
        return current == ImageStatus::Unlabelled ? ImageStatus::Refined : current;
    case StatusEvent::EditsSaved:
    case StatusEvent::ProposalAccepted:
        return ImageStatus::Refined;  // a reviewed image that is edited again needs another review
    case StatusEvent::RevertedToCoarse:
        return ImageStatus::Coarse;
    case StatusEvent::ProposalRejected:
        return current;
    case StatusEvent::MarkedReviewed:
        return ImageStatus::Reviewed;
    case StatusEvent::BoxesKeptOnEvidence:
        return current == ImageStatus::Coarse ? ImageStatus::Refined : current;
    }
    return current;
}

StatusEvent saveEvent(const cv::Mat& mask, const cv::Mat& coarse, bool edited) {
    if (!edited)
        return StatusEvent::Saved;
    const bool isCoarse = !coarse.empty() && coarse.size() == mask.size() && coarse.type() == mask.type() &&
                          cv::countNonZero(mask != coarse) == 0;
    return isCoarse ? StatusEvent::RevertedToCoarse : StatusEvent::EditsSaved;
}

void setStatusAndSave(Project& project, int row, ImageStatus status) {
    ImageStatus& s = project.images().at(static_cast<std::size_t>(row)).status;
    const ImageStatus before = s;
    s = status;
    try {
        project.save();
    } catch (...) {
        s = before;
        throw;
    }
}

} // namespace mf
