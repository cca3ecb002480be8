#pragma once
// Internal to geocut (geocut.cpp: the whole-image cut; geocutlocal.cpp: local refinement, issue 19).
#include "interactive/segmenters.h"

#include <opencv2/core.hpp>

#include <vector>

namespace mf::geocut {

/** The image at one resolution: Lab colours, histogram bins and boundary weights. */
struct Level {
    double scale = 1.0;  ///< this level's pixels per full-resolution pixel
    cv::Mat lab;         ///< CV_32FC3
    cv::Mat bins;        ///< CV_32SC1 histogram bin of each pixel
    std::vector<cv::Mat> weights;  ///< boundary weights to the right, down, down-right, down-left
};

Level makeLevel(const cv::Mat& rgb, bool grey, double scale);
cv::Point scaled(cv::Point p, double s);
/** Keeps the regions of `mask` (0/255) that hold a positive click (positions scaled by `scale`). */
cv::Mat keepConnected(const cv::Mat& mask, const std::vector<Click>& clicks, double scale);

/** The "geocut" segmenter (makeGeoCut). */
class GeoCut : public ClickSegmenter {
public:
    explicit GeoCut(const GeoCutOptions& o) : m_o(o) {}
    std::string name() const override { return "geocut"; }
    void setImage(const cv::Mat& image) override;
    cv::Mat segment(const ClickQuery& q) override;

private:
    /** Segmentation at `level`'s resolution, colour models re-fitted to the cut. */
    cv::Mat coarseCut(const Level& level, const std::vector<Click>& clicks, const ClickQuery& q, int iterations,
                      cv::Mat& fgGeo, cv::Mat& bgGeo) const;
    /** The full-resolution cut in a band around the upsampled coarse result. */
    cv::Mat bandCut(const cv::Mat& coarse, const std::vector<Click>& clicks, const ClickQuery& q, const cv::Mat& fgGeo,
                    const cv::Mat& bgGeo) const;
    cv::Mat seeds(const Level& level, const std::vector<Click>& clicks, const ClickQuery& q) const;
    cv::Mat dataCosts(const Level& level, const cv::Mat& object, const cv::Mat& fgGeo, const cv::Mat& bgGeo,
                      const cv::Mat& prior, const cv::Mat& contrast = cv::Mat(), const cv::Mat& previous = cv::Mat()) const;
    /** The whole image cut afresh (one or two levels): the first answer to a box, or a window too large;
     *  the colour models re-fitted `iterations` times. */
    cv::Mat wholeCut(const std::vector<Click>& clicks, const ClickQuery& q, int iterations);
    /** The window a click's step starts from (GeoCutOptions::local). */
    cv::Rect stepWindow(const cv::Mat& previous, const std::vector<Click>& clicks) const;
    /** One click's step in local mode: `previous` (empty: none) changed only in a window around the click. */
    cv::Mat localStep(const cv::Mat& previous, const std::vector<Click>& clicks, const ClickQuery& q);
    /** The full-resolution cut of window `w`, the previous mask fixed on a 1-px ring around it; the
     *  result is the crop `w` grown by that ring. */
    cv::Mat windowCut(const cv::Mat& previous, const std::vector<Click>& clicks, const ClickQuery& q, const cv::Rect& w,
                      cv::Rect& ring) const;
    /** The local-contrast map of crop `r` (CV_32F, r's size), the surface interpolated from around the
     *  object: `previous` (full-size 0/255) with `object` (r's size) in the crop; darker or brighter as the
     *  object's seeds are. Reads only the part of the image around `r` that boxContrast uses. */
    cv::Mat contrastMap(const cv::Mat& previous, const cv::Mat& object, const cv::Rect& r, const cv::Mat& seedMap) const;
    /** A grey image's first window around a positive click at `p`: grown until the click stands out of
     *  the surface around it (contrastThreshold noise units), so that a click inside a large object does
     *  not measure the object against itself. */
    cv::Rect firstWindow(cv::Point p) const;
    int seedRadius() const { return m_dims == 1 ? m_o.greySeedRadius : m_o.seedRadius; }
    /** The contrast threshold the clicks in crop `r` ask for: below every positive click's contrast and
     *  above every negative click's (half a noise unit each way; their midpoint where they disagree). */
    float clickThreshold(const cv::Mat& z, const std::vector<Click>& clicks, const cv::Rect& r) const;
    cv::Mat cut(const Level& level, const cv::Mat& costs, const cv::Mat& seedMap, const cv::Mat& fixed) const;

    GeoCutOptions m_o;
    float m_priorWeightNow = 0.f;  ///< the prior's weight for the clicks of the current segment() call
    Level m_full, m_coarse;
    cv::Mat m_grey;  ///< CV_32F, smoothed (σ 1): the contrast term's image (grey images only)
    /** Local mode's cache: the mask after each click so far, for the query these clicks came with. */
    struct Step {
        Click click;
        cv::Mat mask;
    };
    std::vector<Step> m_steps;
    cv::Mat m_base;                   ///< the mask before the first click (a box's cut; empty: none)
    cv::Rect m_stepsBox;
    const void* m_stepsPrior = nullptr;
    double m_stepsPriorSum = 0;
    bool m_twoLevels = false;
    int m_dims = 3, m_binsPerAxis = 16;
};

} // namespace mf::geocut
