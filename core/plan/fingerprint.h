#pragma once
#include "train/datasplit.h"

#include <array>
#include <string>
#include <vector>

namespace mf {

/** What the masks say about one class over the analysed images. */
struct ClassFingerprint {
    std::string name;
    double pixelFraction = 0;   ///< of all non-ignored mask pixels
    double imageFraction = 0;   ///< of the analysed images holding at least one pixel of it
    long long components = 0;   ///< 8-connected regions
    /** Pixels: the area of the region a typical pixel of the class lies in (pixel-weighted median
     *  over the regions), 0 when the class never occurs. */
    double medianComponentArea = 0;
    /** Typical stroke width in pixels: 2·d90 − 1, d90 the 90th percentile over the class's pixels of
     *  the Euclidean distance to the nearest other pixel, leaving out specks (regions under 16 px)
     *  unless the class has nothing else; 1 for a 1-px line, w for a line of odd width w, most of the
     *  width of a wide band. 0 when the class never occurs. */
    double thickness = 0;
};

/** A dataset's fingerprint (nnU-Net's idea): what a training plan is derived from. */
struct DatasetFingerprint {
    int images = 0;                ///< labelled training images
    /** Of them, those with boxes but no trusted mask (status coarse: their masks are box fills), which
     *  `supervision: auto` trains from their boxes (LoaderItem::boxSupervised). */
    int boxImages = 0;
    int analysed = 0;              ///< of them read for the statistics (an even sample when many)
    int classCount = 0;
    int ignoreIndex = 255;
    int minWidth = 0, medianWidth = 0, maxWidth = 0;
    int minHeight = 0, medianHeight = 0, maxHeight = 0;
    bool grayscale = false;        ///< every analysed image has R = G = B
    std::array<double, 3> mean{};  ///< per channel, intensities in [0, 1]
    std::array<double, 3> std{};
    std::vector<ClassFingerprint> classes;
};

/** Reads up to `maxImages` of `items` (evenly spaced) and measures them. Throws FileError naming the
 *  file for an unreadable image or mask, std::invalid_argument for an empty list. */
DatasetFingerprint computeFingerprint(const std::vector<LoaderItem>& items, int classCount, int ignoreIndex,
                                      const std::vector<std::string>& classNames, int maxImages = 200);

/** Several lines describing the fingerprint (for the plan's header and logs). */
std::string describeFingerprint(const DatasetFingerprint& f);

} // namespace mf
