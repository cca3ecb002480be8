#include "metrics/rand.h"

#include <opencv2/imgproc.hpp>

#include <stdexcept>
#include <unordered_map>

namespace mf {

void RandAccumulator::add(const cv::Mat& truth, const cv::Mat& prediction) {
    if (truth.type() != CV_8UC1 || prediction.type() != CV_8UC1)
        throw std::invalid_argument("Rand score: class maps must be 8-bit single-channel");
    if (truth.size() != prediction.size())
        throw std::invalid_argument("Rand score: truth and prediction differ in size");
    cv::Mat trueSegments, predSegments;
    const int trueCount = cv::connectedComponents(truth == m_object, trueSegments, 4, CV_32S);
    const int predCount = cv::connectedComponents(prediction == m_object, predSegments, 4, CV_32S);
    std::vector<double> s(trueCount, 0), t(predCount, 0);
    std::unordered_map<std::int64_t, double> nij;
    double singletons = 0;  // true object pixels predicted as something else: one segment each
    for (int y = 0; y < truth.rows; ++y) {
        const int* ts = trueSegments.ptr<int>(y);
        const int* ps = predSegments.ptr<int>(y);
        for (int x = 0; x < truth.cols; ++x) {
            if (ts[x] == 0)
                continue;  // not an object pixel in the truth (membrane, other class, ignored)
            s[ts[x]] += 1;
            if (ps[x] == 0) {
                singletons += 1;
                continue;
            }
            t[ps[x]] += 1;
            nij[std::int64_t(ts[x]) * predCount + ps[x]] += 1;
        }
    }
    for (const auto& [key, n] : nij)
        m_sumNij2 += n * n;
    m_sumNij2 += singletons;
    for (double v : s)
        m_sumS2 += v * v;
    for (double v : t)
        m_sumT2 += v * v;
    m_sumT2 += singletons;
    ++m_images;
}

RandScore RandAccumulator::score() const {
    RandScore r;
    r.images = m_images;
    if (m_sumS2 <= 0)
        return r;  // no object pixel in any truth: nothing to score
    r.precision = m_sumT2 > 0 ? m_sumNij2 / m_sumT2 : 0;
    r.recall = m_sumNij2 / m_sumS2;
    r.vRand = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
    return r;
}

} // namespace mf
