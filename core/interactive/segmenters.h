#pragma once
// The click segmenters behind makeClickSegmenter (interactive/clicksegmenter.h); internal to core.
#include "interactive/clicksegmenter.h"

namespace mf {

std::unique_ptr<ClickSegmenter> makeGrabCutClicks();

/** Settings of the "geocut" segmenter (exposed for tuning runs; the defaults are what clickbench measured best). */
struct GeoCutOptions {
    float smoothness = 8.f;      ///< weight of the contrast-sensitive boundary term (GrabCut uses 50 with GMMs)
    float geodesicWeight = 1.f;  ///< weight of -log of the geodesic foreground probability
    float priorWeight = 2.f;     ///< weight of -log of the prior's probability, when there is one
    /** The prior's weight after n clicks is priorWeight / (1 + priorFade · (n − 1)): the first click
     *  leans on the prior, later clicks (the user's corrections of it) less and less. 0: constant. */
    float priorFade = 0.f;
    float edgeCost = 1.f;        ///< geodesic cost of a unit of Lab colour difference, per pixel step
    int iterations = 3;          ///< colour models re-fitted to the cut this many times
    int seedRadius = 2;          ///< hard seed disk around each click, in pixels
    bool eightConnected = true;
    /** Images larger than this are cut at a coarse level of about this many pixels first, then at full
     *  resolution in a band around that boundary (0: always one level). */
    double coarsePixels = 40000;
    /** Local refinement (issue 19): the first click is cut in a window of firstWindow pixels around it,
     *  grown while the object touches the window's edge; each later click only in a window around it and
     *  the object so far (its bounding box grown by windowMargin of its larger side), the previous mask
     *  standing outside. A window over coarsePixels is cut as the whole image (the two levels above).
     *  The result is a function of the clicks alone (each click's step is cached for the next). false:
     *  every click cuts the whole image afresh. */
    bool local = true;
    int firstWindow = 24;
    float windowMargin = 0.5f;
    /** Grey images: weight of the local-contrast term, the pixel's difference to the surface interpolated
     *  around the object in units of the surface's robust spread (boxContrast of core/review), darker or
     *  brighter as the positive clicks are; object odds even at contrastThreshold, slope contrastSlope. */
    float contrastWeight = 1.f;
    float contrastThreshold = 2.f;
    float contrastSlope = 1.f;
    float colourWeight = 1.f;     ///< weight of the colour histograms' term
    float previousWeight = 0.f;   ///< cost of a pixel leaving the previous mask's label (local mode)
};

std::unique_ptr<ClickSegmenter> makeGeoCut(const GeoCutOptions& options = {});

} // namespace mf
