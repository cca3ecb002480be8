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
};

std::unique_ptr<ClickSegmenter> makeGeoCut(const GeoCutOptions& options = {});

} // namespace mf
