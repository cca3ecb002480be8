#pragma once
#include <opencv2/core.hpp>

#include <cstdint>

namespace mf {

/**
 * Foreground-restricted Rand scores of the ISBI 2012 EM challenge (V^Rand; Arganda-Carreras et al.
 * 2015, "Crowdsourcing the creation of image segmentation algorithms for connectomics"), for a
 * semantic segmentation whose objects are the regions of one class (ISBI: the cell interiors
 * between membranes):
 * - The true segments are the 4-connected regions of `objectClass` in the truth; every other true
 *   pixel (the membrane, other classes, ignored pixels) is left out ("foreground-restricted").
 * - The predicted segments are the 4-connected regions of `objectClass` in the prediction; a true
 *   object pixel predicted as another class (a predicted boundary) is a segment of its own.
 * - With n_ij the pixels in true segment i and predicted segment j, s_i and t_j the segment sizes
 *   over the kept pixels: precision = Σ n_ij² / Σ t_j² (pairs the prediction joins that truth joins
 *   too: low when the prediction merges cells), recall = Σ n_ij² / Σ s_i² (pairs truth joins that the
 *   prediction joins too: low when it splits cells), V^Rand = their harmonic mean (1 = perfect).
 *   Squares count ordered pairs with a pixel paired with itself, as the challenge's N² form does.
 * Sums pool over images (each image's segments are its own), like the challenge's stack score.
 * No boundary thinning is applied before scoring.
 */
struct RandScore {
    double vRand = 0, precision = 0, recall = 0;
    std::int64_t images = 0;
};

class RandAccumulator {
public:
    /** `objectClass`: the class whose regions are the objects (ignored truth pixels are not of it, so
     *  they are left out with the rest). */
    explicit RandAccumulator(int objectClass) : m_object(objectClass) {}
    /** Adds one image: CV_8UC1 class maps of equal size. Throws std::invalid_argument otherwise. */
    void add(const cv::Mat& truth, const cv::Mat& prediction);
    RandScore score() const;
    int objectClass() const { return m_object; }

private:
    int m_object;
    double m_sumNij2 = 0, m_sumS2 = 0, m_sumT2 = 0;
    std::int64_t m_images = 0;
};

} // namespace mf
