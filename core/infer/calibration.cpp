#include "infer/calibration.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace mf {

void CalibrationSamples::add(const Prediction& prediction, const cv::Mat& truth, long maxPixels) {
    if (static_cast<int>(prediction.probabilities.size()) != m_classes)
        throw std::invalid_argument("calibration: the prediction has " + std::to_string(prediction.probabilities.size()) +
                                    " classes, the evidence " + std::to_string(m_classes));
    if (truth.type() != CV_8UC1 || truth.size() != prediction.labels.size())
        throw std::invalid_argument("calibration: the true mask is not an 8-bit mask of the prediction's size");
    const long total = static_cast<long>(truth.total());
    const long stride = std::clamp((total + std::max(1L, maxPixels) - 1) / std::max(1L, maxPixels), 1L, 64L);
    const int index = m_images++;
    std::vector<const float*> rows(static_cast<std::size_t>(m_classes));
    for (int y = 0; y < truth.rows; ++y) {
        const std::uint8_t* t = truth.ptr<std::uint8_t>(y);
        for (int c = 0; c < m_classes; ++c)
            rows[static_cast<std::size_t>(c)] = prediction.probabilities[static_cast<std::size_t>(c)].ptr<float>(y);
        for (int x = 0; x < truth.cols; ++x) {
            if ((static_cast<long>(y) * truth.cols + x) % stride != 0 || t[x] == m_ignore || t[x] >= m_classes)
                continue;
            for (int c = 0; c < m_classes; ++c)
                m_logp.push_back(std::log(std::max(rows[static_cast<std::size_t>(c)][x], 1e-8f)));
            m_label.push_back(t[x]);
            m_image.push_back(index);
        }
    }
}

std::vector<long long> CalibrationSamples::confusion(const std::vector<double>& bias, int fold, bool inFold) const {
    const auto C = static_cast<std::size_t>(m_classes);
    std::vector<long long> m(C * C, 0);
    std::vector<float> b(C, 0.f);
    for (std::size_t c = 0; c < C && c < bias.size(); ++c)
        b[c] = static_cast<float>(bias[c]);
    for (std::size_t i = 0; i < m_label.size(); ++i) {
        if (fold >= 0 && ((m_image[i] % 2 == fold) != inFold))
            continue;
        const float* l = &m_logp[i * C];
        std::size_t best = 0;
        float top = l[0] + b[0];
        for (std::size_t c = 1; c < C; ++c)
            if (l[c] + b[c] > top)
                top = l[c] + b[c], best = c;
        ++m[m_label[i] * C + best];
    }
    return m;
}

double calibrationScore(const std::vector<long long>& m, int classCount) {
    const auto C = static_cast<std::size_t>(classCount);
    double sum = 0;
    int n = 0;
    for (std::size_t c = (C > 1 ? 1 : 0); c < C; ++c) {
        long long row = 0, col = 0;
        for (std::size_t k = 0; k < C; ++k)
            row += m[c * C + k], col += m[k * C + c];
        const long long tp = m[c * C + c];
        if (row + col == 0)
            continue;  // neither in the truth nor predicted: no score either way
        sum += static_cast<double>(tp) / static_cast<double>(row + col - tp);
        ++n;
    }
    return n ? sum / n : 0.0;
}

namespace {

constexpr double kGrid[] = {-1.0, -0.5, 0.0, 0.5, 1.0};

std::vector<double> fit(const CalibrationSamples& s, int fold) {
    std::vector<double> bias(static_cast<std::size_t>(s.classCount()), 0.0);
    auto score = [&](const std::vector<double>& b) { return calibrationScore(s.confusion(b, fold, true), s.classCount()); };
    for (int round = 0; round < 2; ++round)
        for (std::size_t c = 1; c < bias.size(); ++c) {
            double bestScore = score(bias), bestValue = bias[c];
            for (double g : kGrid) {
                std::vector<double> b = bias;
                b[c] = g;
                const double v = score(b);
                if (v > bestScore + 1e-12 || (std::abs(v - bestScore) <= 1e-12 && std::abs(g) < std::abs(bestValue)))
                    bestScore = v, bestValue = g;
            }
            bias[c] = bestValue;
        }
    return bias;
}

std::string fixed3(double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(3) << v;
    return s.str();
}

} // namespace

std::string describeBias(const std::vector<double>& bias) {
    std::ostringstream s;
    for (std::size_t c = 0; c < bias.size(); ++c)
        s << (c ? " " : "") << (bias[c] > 0 ? "+" : "") << bias[c];
    return s.str();
}

CalibrationFit fitClassBias(const CalibrationSamples& samples, const std::string& evidence) {
    CalibrationFit out;
    const auto C = static_cast<std::size_t>(samples.classCount());
    out.bias.assign(C, 0.0);
    const std::vector<double> zero(C, 0.0);
    out.before = calibrationScore(samples.confusion(zero), samples.classCount());
    std::ostringstream note;
    note << "calibration on " << evidence << " (" << samples.images() << " images, " << samples.pixels() << " pixels): ";
    if (samples.images() < 2 || samples.pixels() == 0) {
        out.after = out.before;
        out.fitted = zero;
        note << "too little evidence to fit offsets; none applied";
        out.note = note.str();
        return out;
    }
    out.fitted = fit(samples, -1);
    out.after = calibrationScore(samples.confusion(out.fitted), samples.classCount());
    double gain = 0;
    for (int fold = 0; fold < 2; ++fold) {
        const std::vector<double> b = fit(samples, fold);
        gain += calibrationScore(samples.confusion(b, fold, false), samples.classCount()) -
                calibrationScore(samples.confusion(zero, fold, false), samples.classCount());
    }
    out.heldOutGain = gain / 2;
    const bool changes = std::any_of(out.fitted.begin(), out.fitted.end(), [](double v) { return v != 0.0; });
    out.applied = changes && out.heldOutGain > 0;
    if (out.applied)
        out.bias = out.fitted;
    note << "class offsets " << describeBias(out.fitted) << " take the mean IoU (classes but 0) from " << fixed3(out.before)
         << " to " << fixed3(out.after) << "; on the half of the images each two-fold fit did not see they gain "
         << (out.heldOutGain >= 0 ? "+" : "") << fixed3(out.heldOutGain) << ": "
         << (!changes ? "no offset helps, none applied"
                      : out.applied ? "applied" : "not applied (they do not hold on images they were not fitted on)");
    out.note = note.str();
    return out;
}

void applyClassBias(Prediction& prediction, const std::vector<double>& bias) {
    const bool any = std::any_of(bias.begin(), bias.end(), [](double v) { return v != 0.0; });
    if (!any || prediction.probabilities.empty())
        return;
    if (bias.size() != prediction.probabilities.size())
        throw std::invalid_argument("calibration: " + std::to_string(bias.size()) + " class offsets for a prediction of " +
                                    std::to_string(prediction.probabilities.size()) + " classes");
    cv::Mat sum = cv::Mat::zeros(prediction.labels.size(), CV_32FC1);
    for (std::size_t c = 0; c < bias.size(); ++c) {
        prediction.probabilities[c] *= std::exp(bias[c]);
        sum += prediction.probabilities[c];
    }
    cv::Mat best;
    prediction.labels = cv::Mat::zeros(sum.size(), CV_8UC1);
    for (std::size_t c = 0; c < bias.size(); ++c) {
        cv::divide(prediction.probabilities[c], cv::max(sum, 1e-30f), prediction.probabilities[c]);
        if (c == 0) {
            best = prediction.probabilities[0].clone();
            continue;
        }
        const cv::Mat better = prediction.probabilities[c] > best;
        prediction.labels.setTo(static_cast<int>(c), better);
        prediction.probabilities[c].copyTo(best, better);
    }
}

} // namespace mf
