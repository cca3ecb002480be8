#pragma once
#include <opencv2/core.hpp>

#include <vector>

namespace mf {

/** Geodesic distance (CV_32FC1) of every pixel from the nonzero pixels of `sources` (CV_8UC1) over
 *  `image` (CV_32FC3, e.g. Lab): a step costs its length plus `edgeCost` times the colour difference
 *  it crosses. Raster scans forth and back (8 neighbours), repeated until stable or 4 rounds. Without a
 *  source every distance is a large constant. */
cv::Mat geodesicDistance(const cv::Mat& image, const cv::Mat& sources, float edgeCost);

/** GrabCut's contrast-sensitive boundary weights exp(-beta |dI|^2) / step length, beta = 1 / (2 mean
 *  |dI|^2), for the right, down, down-right and down-left neighbours (CV_32FC1 each, image size;
 *  entries without that neighbour are 0). */
std::vector<cv::Mat> boundaryWeights(const cv::Mat& image);

} // namespace mf
