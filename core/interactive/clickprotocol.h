#pragma once
#include <opencv2/core.hpp>

#include <vector>

namespace mf {

/** One click of a person (or of the simulated user): a pixel, positive (on the object) or negative. */
struct Click {
    cv::Point pos;
    bool positive = true;
};

/** The pixels the protocol scores: `truth` is CV_8UC1 with 0 background, 1 object and 255 ignore. */
constexpr unsigned char kIgnoreLabel = 255;

/** IoU of `prediction` (CV_8UC1, nonzero = object) against `truth` (0/1/255), ignore pixels left out
 *  of both intersection and union (RITM's get_iou). 1 when both are empty. */
double clickIoU(const cv::Mat& prediction, const cv::Mat& truth);

/** The simulated user of interactive-segmentation papers (RITM's clicker): the false-negative and the
 *  false-positive regions (ignore pixels excluded), each padded by 1 px so the image edge counts as a
 *  border, are distance-transformed (L2, exact); pixels already clicked are left out; the next click is
 *  at the first (raster order) maximum of the larger one, positive when the false negatives' maximum is
 *  strictly larger. `clicked` (CV_8UC1, image size) marks pixels clicked before (may be empty).
 *  Returns false (and leaves `click` alone) when there is no error left to click on. */
bool nextClick(const cv::Mat& prediction, const cv::Mat& truth, const cv::Mat& clicked, Click& click);

/** Clicks until IoU reaches `threshold`: the 1-based index of the first IoU >= threshold in `ious`
 *  (IoU after click 1, 2, ...), or `maxClicks` when none does (RITM's compute_noc_metric). */
int clicksToReach(const std::vector<double>& ious, double threshold, int maxClicks);

} // namespace mf
