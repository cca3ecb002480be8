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
    int seedRadius = 2;          ///< hard seed disk around each click, in pixels (colour images)
    /** The same on grey images: 0, the clicked pixel alone (issue 19: on magnetic-tile a 2-px disk's rim
     *  crossed small defects' borders; NoC@85 on the tuning quarter 12.3 at 0 against 15.0 at 2). */
    int greySeedRadius = 0;
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
    float windowMargin = 0.25f;
    /** A click's window of more than largeWindowPixels is cut with the colour models re-fitted
     *  largeWindowIterations times (smaller ones: iterations), and so is a grey image's window over
     *  coarsePixels (cut as the whole image). Each re-fit is a cut: a large region's grown windows were the
     *  clicks over 200 ms on magnetic-tile, and one re-fit scored as well there (train split NoC@85 13.34
     *  against 13.44, docs/labelling.md). A colour image's whole-image cuts keep iterations: its colour
     *  models are the evidence (GrabCut set with one re-fit there: NoC@90 4.46 against 4.08). */
    double largeWindowPixels = 10000;
    int largeWindowIterations = 1;
    /** Grey images: weight of the local-contrast term, the pixel's difference to the surface interpolated
     *  around the object in units of the surface's robust spread (boxContrast of core/review), darker or
     *  brighter as the positive clicks are; object odds even at contrastThreshold, slope contrastSlope. */
    float contrastWeight = 1.f;
    float contrastThreshold = 2.f;
    float contrastSlope = 1.f;
    /** The threshold follows the clicks in the window: under the positive clicks' contrast, over the
     *  negative clicks' (clickThreshold), never under minThreshold. */
    bool adaptThreshold = true;
    /** > 0: a later click changes no pixel this many times nearer the other side's seeds (geodesic
     *  distance) than its own: corrections stay on the click's side of the geodesic split. */
    float geodesicGuard = 2.f;
    float contrastMinClick = 1.f;  ///< no contrast term in a window whose positive clicks stand out less
    bool growLater = false;  ///< negative clicks' windows grow too while the object crosses their edge
    float minThreshold = 0.5f;
    float colourWeight = 1.f;     ///< weight of the colour histograms' term
    float previousWeight = 0.f;   ///< cost of a pixel leaving the previous mask's label (local mode)
};

std::unique_ptr<ClickSegmenter> makeGeoCut(const GeoCutOptions& options = {});

} // namespace mf
