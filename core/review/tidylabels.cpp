#include "review/tidylabels.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <map>

namespace mf {

cv::Mat tidyByBox(const cv::Mat& labels, const CoarseStart& start, const std::set<int>& classes,
                  const TidyOptions& o) {
    CV_Assert(labels.type() == CV_8UC1 && start.coarse.size() == labels.size());
    const int pad = std::max(0, o.closeRadius) + 1;
    const cv::Mat kernel = o.closeRadius > 0 ? cv::getStructuringElement(
                                                   cv::MORPH_ELLIPSE, {2 * o.closeRadius + 1, 2 * o.closeRadius + 1})
                                             : cv::Mat();
    // Per class: what its boxes cover and the union of the pieces they keep. Every box reads the labels as
    // given, so boxes of one class that overlap keep each other's objects (a part one box would drop as a
    // fragment is another box's object) and the order of the boxes does not matter.
    struct ClassTidy {
        cv::Mat covered, keep;
    };
    std::map<int, ClassTidy> tidy;
    for (const DetectionBox& box : start.boxes) {
        if (!classes.count(box.classId))
            continue;
        const cv::Rect b = box.rect & cv::Rect({0, 0}, labels.size());
        if (b.width < 2 || b.height < 2)
            continue;
        const cv::Mat object = labels(b) == box.classId;
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
        ClassTidy& t = tidy[box.classId];
        if (t.covered.empty()) {
            t.covered = cv::Mat::zeros(labels.size(), CV_8UC1);
            t.keep = cv::Mat::zeros(labels.size(), CV_8UC1);
        }
        t.covered(b).setTo(255);
        cv::Mat keep = t.keep(b);
        keep |= piece;
    }
    cv::Mat out = labels.clone();
    for (const auto& [classId, t] : tidy)  // first what no box of its class keeps goes to background ...
        out.setTo(0, (t.covered != 0) & (labels == classId) & (t.keep == 0));
    for (const auto& [classId, t] : tidy)  // ... then the pieces claim background their class filled
        out.setTo(classId, (out == 0) & (t.keep != 0) & (start.coarse == classId));
    return out;
}

} // namespace mf
