#include "interactive/clickprotocol.h"

#include <opencv2/imgproc.hpp>

#include <stdexcept>
#include <string>

namespace mf {
namespace {

void checkPair(const cv::Mat& prediction, const cv::Mat& truth, const char* what) {
    if (prediction.type() != CV_8UC1 || truth.type() != CV_8UC1)
        throw std::invalid_argument(std::string(what) + ": prediction and truth must be CV_8UC1");
    if (prediction.size() != truth.size())
        throw std::invalid_argument(std::string(what) + ": prediction and truth differ in size");
}

/** Distance of each pixel of `region` to its border, the image edge counting as border. */
cv::Mat paddedDistance(const cv::Mat& region) {
    cv::Mat padded;
    cv::copyMakeBorder(region, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::Mat dist;
    cv::distanceTransform(padded, dist, cv::DIST_L2, cv::DIST_MASK_PRECISE, CV_32F);
    return dist(cv::Rect(1, 1, region.cols, region.rows)).clone();
}

/** The first maximum in raster order (cv::minMaxLoc's order is not promised to be raster). */
float firstMax(const cv::Mat& dist, cv::Point& at) {
    float best = 0.f;
    at = {-1, -1};
    for (int y = 0; y < dist.rows; ++y) {
        const float* row = dist.ptr<float>(y);
        for (int x = 0; x < dist.cols; ++x)
            if (row[x] > best)
                best = row[x], at = {x, y};
    }
    return best;
}

} // namespace

double clickIoU(const cv::Mat& prediction, const cv::Mat& truth) {
    checkPair(prediction, truth, "clickIoU");
    const cv::Mat scored = truth != kIgnoreLabel;
    const cv::Mat object = truth == 1;
    const cv::Mat predicted = (prediction != 0) & scored;
    const double inter = cv::countNonZero(object & predicted);
    const double uni = cv::countNonZero(object | predicted);
    return uni == 0 ? 1.0 : inter / uni;
}

bool nextClick(const cv::Mat& prediction, const cv::Mat& truth, const cv::Mat& clicked, Click& click) {
    checkPair(prediction, truth, "nextClick");
    const cv::Mat scored = truth != kIgnoreLabel;
    const cv::Mat predicted = prediction != 0;
    const cv::Mat object = truth == 1;
    cv::Mat fnDist = paddedDistance(object & ~predicted & scored);
    cv::Mat fpDist = paddedDistance((truth == 0) & predicted);
    if (!clicked.empty()) {
        if (clicked.size() != truth.size())
            throw std::invalid_argument("nextClick: the clicked map differs in size from the truth");
        fnDist.setTo(0, clicked != 0);
        fpDist.setTo(0, clicked != 0);
    }
    cv::Point fnAt, fpAt;
    const float fnMax = firstMax(fnDist, fnAt);
    const float fpMax = firstMax(fpDist, fpAt);
    if (fnMax <= 0.f && fpMax <= 0.f)
        return false;
    click.positive = fnMax > fpMax;
    click.pos = click.positive ? fnAt : fpAt;
    return true;
}

int clicksToReach(const std::vector<double>& ious, double threshold, int maxClicks) {
    for (std::size_t i = 0; i < ious.size() && static_cast<int>(i) < maxClicks; ++i)
        if (ious[i] >= threshold)
            return static_cast<int>(i) + 1;
    return maxClicks;
}

} // namespace mf
