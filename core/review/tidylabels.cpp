#include "review/tidylabels.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace mf {

cv::Mat tidyByBox(const cv::Mat& labels, const CoarseStart& start, const std::set<int>& classes,
                  const TidyOptions& o) {
    CV_Assert(labels.type() == CV_8UC1 && start.coarse.size() == labels.size());
    cv::Mat out = labels.clone();
    const int pad = std::max(0, o.closeRadius) + 1;
    const cv::Mat kernel = o.closeRadius > 0 ? cv::getStructuringElement(
                                                   cv::MORPH_ELLIPSE, {2 * o.closeRadius + 1, 2 * o.closeRadius + 1})
                                             : cv::Mat();
    for (const DetectionBox& box : start.boxes) {
        if (!classes.count(box.classId))
            continue;
        const cv::Rect b = box.rect & cv::Rect({0, 0}, labels.size());
        if (b.width < 2 || b.height < 2)
            continue;
        cv::Mat object = out(b) == box.classId;
        if (cv::countNonZero(object) == 0)
            continue;
        // Padded with background, so that closing and hole filling see the box's edge as open ground.
        cv::Mat padded;
        cv::copyMakeBorder(object, padded, pad, pad, pad, pad, cv::BORDER_CONSTANT, 0);
        if (!kernel.empty())
            cv::morphologyEx(padded, padded, cv::MORPH_CLOSE, kernel, {-1, -1}, 1, cv::BORDER_CONSTANT, 0);
        cv::Mat outside = padded == 0;  // background; what the flood from the corner does not reach is a hole
        cv::floodFill(outside, {0, 0}, 0);
        padded |= outside;
        cv::Mat piece = padded(cv::Rect(pad, pad, b.width, b.height)).clone();
        cv::Mat parts, stats, centroids;
        const int n = cv::connectedComponentsWithStats(piece, parts, stats, centroids, 8, CV_32S);
        if (n > 2) {
            int largest = 0;
            for (int k = 1; k < n; ++k)
                largest = std::max(largest, stats.at<int>(k, cv::CC_STAT_AREA));
            for (int k = 1; k < n; ++k)
                if (stats.at<int>(k, cv::CC_STAT_AREA) < o.fragmentShare * largest)
                    piece.setTo(0, parts == k);
        }
        cv::Mat region = out(b);
        region.setTo(0, (region == box.classId) & (piece == 0));
        region.setTo(box.classId, (region == 0) & (piece != 0) & (start.coarse(b) == box.classId));
    }
    return out;
}

} // namespace mf
