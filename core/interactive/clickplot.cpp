// clickBenchPlot: the IoU-against-clicks figure drawn with OpenCV (core stays free of Qt).
#include "interactive/clickbench.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>

namespace mf {
namespace {

const cv::Scalar kColours[] = {{31, 119, 180}, {214, 39, 40}, {44, 160, 44}, {148, 103, 189}, {255, 127, 14}, {23, 190, 207}};

struct Frame {
    cv::Rect area;
    int maxClicks;
    double yMin;
    cv::Point at(double clicks, double iou) const {
        const double fx = (clicks - 1) / std::max(1, maxClicks - 1);
        const double fy = (iou - yMin) / (1.0 - yMin);
        return {area.x + static_cast<int>(fx * area.width), area.y + area.height - static_cast<int>(fy * area.height)};
    }
};

void text(cv::Mat& img, const std::string& s, cv::Point at, double scale = 0.45, cv::Scalar c = {40, 40, 40}) {
    cv::putText(img, s, at, cv::FONT_HERSHEY_SIMPLEX, scale, c, 1, cv::LINE_AA);
}

void drawAxes(cv::Mat& img, const Frame& f) {
    char buf[32];
    for (double v = f.yMin; v <= 1.0001; v += 0.1) {
        const cv::Point p = f.at(1, v);
        cv::line(img, p, {f.area.x + f.area.width, p.y}, {225, 225, 225}, 1);
        std::snprintf(buf, sizeof buf, "%.1f", v);
        text(img, buf, {p.x - 34, p.y + 5});
    }
    for (int k = 1; k <= f.maxClicks; ++k) {
        const cv::Point p = f.at(k, f.yMin);
        cv::line(img, p, {p.x, p.y + 4}, {90, 90, 90}, 1);
        if (k == 1 || k % 5 == 0 || k == f.maxClicks)
            text(img, std::to_string(k), {p.x - 5, p.y + 20});
    }
    for (double level : {0.85, 0.90}) {
        const cv::Point a = f.at(1, level), b = f.at(f.maxClicks, level);
        for (int x = a.x; x < b.x; x += 8)
            cv::line(img, {x, a.y}, {std::min(x + 4, b.x), a.y}, {150, 150, 150}, 1);
        std::snprintf(buf, sizeof buf, "%.2f", level);
        text(img, buf, {b.x + 4, b.y + 4}, 0.4, {120, 120, 120});
    }
    cv::rectangle(img, f.area, {90, 90, 90}, 1);
    text(img, "clicks", {f.area.x + f.area.width / 2 - 20, f.area.y + f.area.height + 40}, 0.5);
    text(img, "mean IoU", {8, f.area.y - 8}, 0.45);
}

} // namespace

cv::Mat clickBenchPlot(const std::vector<ClickSummary>& summaries, const std::string& title) {
    cv::Mat img(480, 720, CV_8UC3, cv::Scalar::all(255));
    int maxClicks = 1;
    double lowest = 1.0;
    for (const ClickSummary& s : summaries) {
        maxClicks = std::max(maxClicks, static_cast<int>(s.meanIou.size()));
        for (double v : s.meanIou)
            lowest = std::min(lowest, v);
    }
    const Frame f{cv::Rect(60, 50, 600, 360), maxClicks, std::max(0.0, std::min(0.5, std::floor(lowest * 10) / 10))};
    text(img, title, {60, 22}, 0.6, {0, 0, 0});
    drawAxes(img, f);
    std::vector<std::string> labels;
    int widest = 0;
    for (const ClickSummary& s : summaries) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s  NoC@85 %.2f  NoC@90 %.2f", s.method.c_str(), s.noc85, s.noc90);
        labels.emplace_back(buf);
        int base = 0;
        widest = std::max(widest, cv::getTextSize(buf, cv::FONT_HERSHEY_SIMPLEX, 0.45, 1, &base).width);
    }
    for (std::size_t m = 0; m < summaries.size(); ++m) {
        const cv::Scalar c = kColours[m % (sizeof kColours / sizeof kColours[0])];
        const std::vector<double>& y = summaries[m].meanIou;
        for (std::size_t k = 1; k < y.size(); ++k)
            cv::line(img, f.at(static_cast<double>(k), y[k - 1]), f.at(static_cast<double>(k + 1), y[k]), c, 2, cv::LINE_AA);
        for (std::size_t k = 0; k < y.size(); ++k)
            cv::circle(img, f.at(static_cast<double>(k + 1), y[k]), 3, c, cv::FILLED, cv::LINE_AA);
        // The legend sits in the frame's lower right, where IoU curves rarely go.
        const cv::Point at(f.area.x + f.area.width - widest - 40,
                           f.area.y + f.area.height - 20 - 22 * static_cast<int>(summaries.size() - 1 - m));
        cv::line(img, {at.x, at.y - 5}, {at.x + 22, at.y - 5}, c, 3, cv::LINE_AA);
        text(img, labels[m], {at.x + 28, at.y});
    }
    return img;
}

} // namespace mf
