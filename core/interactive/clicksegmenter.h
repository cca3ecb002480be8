#pragma once
#include "interactive/clickprotocol.h"

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace mf {

/** A prior that knows the clicks (the click model, interactive/clickmodel.h): asked at each click's step
 *  for the object probability of a region, given the clicks so far and the mask before the last one. */
class ClickStepPrior {
public:
    virtual ~ClickStepPrior() = default;
    /** CV_32FC1 of `region`'s size, in [0, 1]; `previous` is CV_8UC1 of the image's size (nonzero: object)
     *  or empty before the first step. */
    virtual cv::Mat probability(const cv::Mat& previous, const std::vector<Click>& clicks, cv::Rect region) = 0;
};

/** What a click segmenter is asked: the clicks so far, optionally a box the object lies in (empty:
 *  none) and optionally a prior (CV_32FC1, image size, probability of the object in [0, 1], from a
 *  pixel classifier or a trained model) that becomes (part of) the data term. */
struct ClickQuery {
    std::vector<Click> clicks;
    cv::Rect box;
    const cv::Mat* prior = nullptr;
    /** A prior asked anew at every click's step (geocut; it takes the place of `prior`). Not owned; one
     *  per image. */
    ClickStepPrior* stepPrior = nullptr;
};

/** Turns positive and negative clicks on one image into an object mask. setImage() does the work that
 *  depends on the image alone (once per image, e.g. when it opens); segment() answers each click and is
 *  a blocking call, run off the GUI thread. Not thread-safe: one segmenter per worker. */
class ClickSegmenter {
public:
    virtual ~ClickSegmenter() = default;
    /** The method's name (clickSegmenterNames()). */
    virtual std::string name() const = 0;
    /** `image`: RGB CV_8UC3 or grey CV_8UC1; kept by reference count, never written. */
    virtual void setImage(const cv::Mat& image) = 0;
    /** The object's mask (CV_8UC1, image size, 0/255). Clicks outside the image are ignored; without a
     *  positive click or a box the mask is empty. Throws std::invalid_argument on a bad prior. */
    virtual cv::Mat segment(const ClickQuery& query) = 0;
};

/** The methods: "geocut" (the default: graph cut with colour and geodesic data terms), "grabcut"
 *  (cv::grabCut seeded by the clicks: the baseline). */
std::vector<std::string> clickSegmenterNames();
/** A segmenter of method `name`; throws std::invalid_argument naming the known ones for any other. */
std::unique_ptr<ClickSegmenter> makeClickSegmenter(const std::string& name);

/** The clicks that lie inside an image of `size`. */
std::vector<Click> clicksInside(const std::vector<Click>& clicks, const cv::Size& size);
/** Checks a prior against an image of `size`; throws std::invalid_argument when it does not fit. */
void checkPrior(const cv::Mat* prior, const cv::Size& size);

} // namespace mf
