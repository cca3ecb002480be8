#include "metrics/metrics.h"

#include <stdexcept>

namespace mf {
namespace {

double ratio(double num, double den) { return den == 0 ? 1.0 : num / den; }

struct Sum {
    double num = 0, den = 0;
};

using ScoreFn = Sum (*)(const ClassCounts&);
Sum iouTerms(const ClassCounts& c) { return {double(c.tp), double(c.tp + c.fp + c.fn)}; }
Sum diceTerms(const ClassCounts& c) { return {2.0 * c.tp, double(2 * c.tp + c.fp + c.fn)}; }

double reduce(const MetricsAccumulator& acc, Reduction r, int first, ScoreFn fn) {
    const auto& table = acc.perImage();
    const int classes = acc.classCount();
    if (first >= classes)
        return 1.0;
    if (r == Reduction::Micro) {
        Sum s;
        for (const auto& img : table)
            for (int c = first; c < classes; ++c) {
                Sum t = fn(img[c]);
                s.num += t.num, s.den += t.den;
            }
        return ratio(s.num, s.den);
    }
    if (r == Reduction::Macro) {
        double total = 0;
        for (int c = first; c < classes; ++c) {
            Sum s;
            for (const auto& img : table) {
                Sum t = fn(img[c]);
                s.num += t.num, s.den += t.den;
            }
            total += ratio(s.num, s.den);
        }
        return total / (classes - first);
    }
    if (table.empty())
        return 1.0;
    double total = 0;
    for (const auto& img : table) {
        if (r == Reduction::MicroImagewise) {
            Sum s;
            for (int c = first; c < classes; ++c) {
                Sum t = fn(img[c]);
                s.num += t.num, s.den += t.den;
            }
            total += ratio(s.num, s.den);
        } else {
            double perClass = 0;
            for (int c = first; c < classes; ++c) {
                Sum t = fn(img[c]);
                perClass += ratio(t.num, t.den);
            }
            total += perClass / (classes - first);  // mean over images then classes == mean of class means
        }
    }
    return total / table.size();
}

} // namespace

MetricsAccumulator::MetricsAccumulator(int classCount, int ignoreIndex)
    : m_classes(classCount), m_ignore(ignoreIndex), m_confusion(std::size_t(classCount) * classCount, 0) {
    if (classCount < 1 || classCount > 256)
        throw std::invalid_argument("class count must be in 1..256");
}

void MetricsAccumulator::add(const cv::Mat& truth, const cv::Mat& prediction, const std::string& name) {
    if (truth.type() != CV_8UC1 || prediction.type() != CV_8UC1)
        throw std::invalid_argument("masks must be 8-bit single-channel");
    if (truth.size() != prediction.size())
        throw std::invalid_argument("truth is " + std::to_string(truth.cols) + "x" + std::to_string(truth.rows) +
                                    " but prediction is " + std::to_string(prediction.cols) + "x" +
                                    std::to_string(prediction.rows));
    const int C = m_classes;
    std::vector<std::int64_t> local(std::size_t(C) * C, 0);
    std::int64_t counted = 0;
    for (int y = 0; y < truth.rows; ++y) {
        const uchar* t = truth.ptr<uchar>(y);
        const uchar* p = prediction.ptr<uchar>(y);
        for (int x = 0; x < truth.cols; ++x) {
            if (t[x] == m_ignore)
                continue;
            if (t[x] >= C || p[x] >= C)
                throw std::invalid_argument("value " + std::to_string(t[x] >= C ? t[x] : p[x]) + " in " +
                                            (t[x] >= C ? "truth" : "prediction") + " at (" + std::to_string(x) +
                                            "," + std::to_string(y) + ") is not a class (0.." +
                                            std::to_string(C - 1) + ")");
            ++local[std::size_t(t[x]) * C + p[x]];
            ++counted;
        }
    }
    std::vector<ClassCounts> counts(C);
    for (int c = 0; c < C; ++c) {
        std::int64_t row = 0, col = 0;
        for (int k = 0; k < C; ++k) {
            row += local[std::size_t(c) * C + k];
            col += local[std::size_t(k) * C + c];
        }
        ClassCounts& cc = counts[c];
        cc.tp = local[std::size_t(c) * C + c];
        cc.fn = row - cc.tp;
        cc.fp = col - cc.tp;
        cc.tn = counted - cc.tp - cc.fn - cc.fp;
    }
    for (std::size_t i = 0; i < local.size(); ++i)
        m_confusion[i] += local[i];
    m_perImage.push_back(std::move(counts));
    m_names.push_back(name.empty() ? "image_" + std::to_string(m_perImage.size() - 1) : name);
}

void MetricsAccumulator::addCounts(std::vector<ClassCounts> image, const std::string& name) {
    if (image.size() != std::size_t(m_classes))
        throw std::invalid_argument("addCounts: " + std::to_string(image.size()) + " class counts for " +
                                    std::to_string(m_classes) + " classes");
    m_perImage.push_back(std::move(image));
    m_names.push_back(name.empty() ? "image_" + std::to_string(m_perImage.size() - 1) : name);
}

void MetricsAccumulator::addConfusion(const std::vector<std::int64_t>& confusion) {
    if (confusion.size() != m_confusion.size())
        throw std::invalid_argument("addConfusion: " + std::to_string(confusion.size()) + " cells for " +
                                    std::to_string(m_classes) + " classes");
    for (std::size_t i = 0; i < confusion.size(); ++i)
        m_confusion[i] += confusion[i];
}

double iouOf(const ClassCounts& c) { return ratio(double(c.tp), double(c.tp + c.fp + c.fn)); }
double diceOf(const ClassCounts& c) { return ratio(2.0 * c.tp, double(2 * c.tp + c.fp + c.fn)); }

double reduceIoU(const MetricsAccumulator& acc, Reduction r, int firstClass) {
    return reduce(acc, r, firstClass, iouTerms);
}

double reduceDice(const MetricsAccumulator& acc, Reduction r, int firstClass) {
    return reduce(acc, r, firstClass, diceTerms);
}

} // namespace mf
