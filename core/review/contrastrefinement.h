#pragma once
#include "review/refinement.h"

#include <opencv2/core.hpp>

namespace mf {

/** How contrastProposal separates a box's object from the surface around it. */
struct ContrastOptions {
    double smoothSigma = 1.0;   ///< the grey image is smoothed by this σ first (sensor noise)
    double contextScale = 0.5;  ///< the surroundings reach this share of the box's larger side beyond it...
    int minContext = 8;         ///< ...and at least this many pixels
    /** Share of a box's rows and columns allowed to miss the object (the tightness prior): the box's
     *  threshold is this quantile of its rows' and columns' contrast maxima, within [minZ, maxZ]. */
    float missQuantile = 0.05F;
    float minZ = 1.5F;  ///< never a threshold below this many noise units (the surface's own texture)
    float maxZ = 4.0F;  ///< never above this many (a faint object still counts where it is that distinct)
    int closeRadius = 1;  ///< morphological closing of the object (0: none)
    /** Also the texture's contrast: the gradient magnitude (Sobel) averaged with σ textureSigma, a second
     *  channel (0: brightness only). A flat chipped region on a striated tile is as bright as the tile but
     *  smoother. refine's "texture" method is this channel alone at σ 6. */
    double textureSigma = 0;
    bool brightness = true;  ///< the brightness channel (false: the texture alone, with textureSigma > 0)
    /** boxContrast interpolates a wide box's surface on a grid averaged down to steps of σ/6 and resized
     *  back (within 0.01 noise units of the exact one): geocut's clicks set it (a 250-px window's contrast
     *  map 35–52 ms → 1.4 ms). Off for box refinement: `learned`, whose forest reads this contrast, scored
     *  held-out magnetic-tile labels 0.644 with it against 0.665 and 0.671 in two runs without (offset 0). */
    bool fastSurface = false;
};

/** The contrast of a box's pixels to the surface just around it, in noise units (CV_32F, the box's size):
 *  the surface's brightness at every pixel of the box is interpolated from the pixels around it that no
 *  box covers (`outside`, CV_8UC1 non-zero there; normalised Gaussian convolution, σ half the box's
 *  larger side, so that a shading gradient across the box is followed); the difference to the smoothed
 *  image is divided by its robust spread over those surrounding pixels. Positive where the box is darker
 *  than its surroundings, or brighter with `brighter`. `grey`: CV_32F, already smoothed. */
cv::Mat boxContrast(const cv::Mat& grey, const cv::Mat& outside, const cv::Rect& box, bool brighter,
                    const ContrastOptions& options = {});

/** "contrast" refinement of every box of `start` on `image` (8-bit grey or RGB, the coarse mask's size):
 *  a box's object is its pixels that differ from the surface around the box (boxContrast) by more than the
 *  box's own threshold, set by the tightness prior (all but missQuantile of its rows and columns meet the
 *  object), darker or brighter (smoother or rougher, for the texture channel) as the box's pixels say (whichever
 *  channel and sign has more pixels beyond 3 noise units). No learning, one box at
 *  a time: a thin dark crack or a dark blowhole on a textured tile comes out as the pixels distinctly
 *  darker than the tile beside it. Confined, as grabCutProposal is, to each class's coarse fill; a box
 *  where nothing passes keeps its fill (emptyBoxes). */
RefinementProposal contrastProposal(const cv::Mat& image, const CoarseStart& start, const ContrastOptions& options = {});

} // namespace mf
