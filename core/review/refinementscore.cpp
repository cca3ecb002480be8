#include "review/refinementscore.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace mf {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string fmt(double v) {
    if (std::isnan(v))
        return "  -  ";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

std::string className(const std::vector<std::string>& names, int c) {
    return c >= 0 && c < static_cast<int>(names.size()) ? names[static_cast<std::size_t>(c)] : "class " + std::to_string(c);
}

} // namespace

RefinementScorer::RefinementScorer(int classCount, int ignoreIndex) : m_classes(classCount), m_ignore(ignoreIndex) {}

void RefinementScorer::add(const std::string& method, const cv::Mat& truth, const cv::Mat& labels, const std::string& image) {
    auto it = m_acc.find(method);
    if (it == m_acc.end())
        it = m_acc.emplace(method, MetricsAccumulator(m_classes, m_ignore)).first;
    it->second.add(truth, labels, image);
}

std::vector<std::string> RefinementScorer::methods() const {
    std::vector<std::string> out;
    for (const auto& [name, acc] : m_acc)
        out.push_back(name);
    return out;
}

std::size_t RefinementScorer::images(const std::string& method) const {
    const auto it = m_acc.find(method);
    return it == m_acc.end() ? 0 : it->second.imageCount();
}

double RefinementScorer::iou(const std::string& method, int classId) const {
    const auto it = m_acc.find(method);
    if (it == m_acc.end() || classId < 0 || classId >= m_classes)
        return kNaN;
    const ClassCounts sum = sumOver(it->second, classId);
    return sum.tp + sum.fn == 0 ? kNaN : iouOf(sum);
}

int RefinementScorer::imagesWith(const std::string& method, int classId) const {
    const auto it = m_acc.find(method);
    if (it == m_acc.end() || classId < 0 || classId >= m_classes)
        return 0;
    int n = 0;
    for (const std::vector<ClassCounts>& image : it->second.perImage())
        n += image[static_cast<std::size_t>(classId)].tp + image[static_cast<std::size_t>(classId)].fn > 0 ? 1 : 0;
    return n;
}

std::int64_t RefinementScorer::labelled(const std::string& method, int classId) const {
    const auto it = m_acc.find(method);
    if (it == m_acc.end() || classId < 0 || classId >= m_classes)
        return 0;
    const ClassCounts sum = sumOver(it->second, classId);
    return sum.tp + sum.fp;
}

std::vector<ClassChoice> chooseMethods(const RefinementScorer& scorer, const std::vector<int>& classes,
                                       const std::vector<std::string>& candidates, double margin) {
    // The classes with evidence, and each candidate's labels as they would be composed: the method where it
    // does not score below the boxes, the boxes elsewhere.
    std::vector<int> scored;
    for (int c : classes)
        if (!std::isnan(scorer.iou(kBoxesMethod, c)))
            scored.push_back(c);
    const auto composedIoU = [&](const std::string& m, int c) {
        const double v = scorer.iou(m, c), box = scorer.iou(kBoxesMethod, c);
        return std::isnan(v) ? box : std::max(v, box);
    };
    const auto gains = [&](const std::string& m) {  // beats the boxes by more than the margin on some class
        for (int c : scored)
            if (composedIoU(m, c) > scorer.iou(kBoxesMethod, c) + margin)
                return true;
        return false;
    };
    const auto pooled = [&](const std::string& m) {
        double sum = 0;
        for (int c : scored)
            sum += composedIoU(m, c);  // the boxes: their own IoU
        return scored.empty() ? 0.0 : sum / static_cast<double>(scored.size());
    };
    const auto labelledAll = [&](const std::string& m) {
        std::int64_t n = 0;
        for (int c : scored)
            n += scorer.labelled(m, c);
        return n;
    };
    // The one method of every class: the best mean over the classes; within `margin` of it, the one that
    // labels the most pixels (keeps most of the box fills).
    double best = pooled(kBoxesMethod);
    for (const std::string& m : candidates)
        if (gains(m))
            best = std::max(best, pooled(m));
    std::string chosen = kBoxesMethod;
    bool tie = false;
    std::int64_t most = -1;
    for (const std::string& m : candidates) {
        if (!gains(m) || pooled(m) < best - margin)
            continue;
        tie = tie || pooled(m) < best;
        if (labelledAll(m) > most)
            most = labelledAll(m), chosen = m;
    }
    std::string head;
    if (chosen != kBoxesMethod) {
        head = chosen + (tie ? ", within " + fmt(margin) + " of the best mean over the classes and keeping most of the boxes"
                             : ", the best mean over the classes") +
               " (" + fmt(pooled(chosen)) + " against the boxes' " + fmt(pooled(kBoxesMethod)) + ")";
    }
    std::vector<ClassChoice> out;
    for (int c : classes) {
        ClassChoice choice;
        choice.classId = c;
        choice.overall = chosen;
        choice.boxIoU = choice.iou = scorer.iou(kBoxesMethod, c);
        if (std::isnan(choice.boxIoU)) {
            choice.why = "no trusted mask holds this class: its box fills are kept";
            out.push_back(choice);
            continue;
        }
        std::ostringstream why;
        why << "boxes " << fmt(choice.boxIoU);
        for (const std::string& m : candidates)
            why << ", " << m << " " << fmt(scorer.iou(m, c));
        std::string verdict;
        if (chosen == kBoxesMethod) {
            verdict = ": no method beats the boxes by more than " + fmt(margin) + " on any class";
        } else {
            const double v = scorer.iou(chosen, c);
            if (!std::isnan(v) && v > choice.boxIoU) {
                choice.method = chosen, choice.iou = v;
                verdict = ": " + head;
            } else {
                verdict = ": " + head + (std::isnan(v) || v < choice.boxIoU ? ", scores below the boxes here" : ", does no better than the boxes here");
            }
        }
        const int n = scorer.imagesWith(kBoxesMethod, c);
        choice.why = why.str() + verdict + "; on " + std::to_string(n) + " image(s)" + (n < 5 ? ", thin evidence" : "");
        out.push_back(choice);
    }
    return out;
}

std::vector<int> classesWorseThanBoxes(const RefinementScorer& scorer, const std::string& method,
                                       const std::vector<int>& classes) {
    std::vector<int> out;
    for (int c : classes) {
        const double box = scorer.iou(kBoxesMethod, c), v = scorer.iou(method, c);
        if (!std::isnan(box) && !std::isnan(v) && v < box)
            out.push_back(c);
    }
    return out;
}

cv::Mat composeByClass(const cv::Mat& coarse, const std::map<std::string, cv::Mat>& proposals,
                       const std::vector<ClassChoice>& choices) {
    cv::Mat out = coarse.clone();
    for (const ClassChoice& choice : choices) {
        const auto it = proposals.find(choice.method);
        if (choice.method == kBoxesMethod || it == proposals.end() || it->second.empty())
            continue;
        const cv::Mat fill = coarse == choice.classId;
        it->second.copyTo(out, fill);
    }
    return out;
}

std::vector<bool> choosingShare(const std::vector<std::string>& names, const std::vector<int>& strata, double share) {
    if (names.size() != strata.size())
        throw std::invalid_argument("choosingShare: one stratum per image needed");
    std::vector<bool> out(names.size(), share >= 1.0);
    if (share >= 1.0 || names.empty())
        return out;
    const int k = std::max(1, static_cast<int>(std::lround(1.0 / std::max(share, 1e-6))));
    std::map<int, std::vector<std::size_t>> byStratum;
    for (std::size_t i = 0; i < names.size(); ++i)
        byStratum[strata[i]].push_back(i);
    for (auto& [stratum, members] : byStratum) {
        std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
        for (std::size_t j = 0; j < members.size(); j += static_cast<std::size_t>(k))
            out[members[j]] = true;
    }
    return out;
}

cv::Mat voteLabels(const cv::Mat& coarse, const std::vector<cv::Mat>& proposals, int minVotes) {
    cv::Mat votes(coarse.size(), CV_8U, cv::Scalar(0));
    for (const cv::Mat& p : proposals) {
        if (p.size() != coarse.size() || p.type() != CV_8UC1)
            throw std::invalid_argument("voteLabels: every proposal must be CV_8UC1 of the coarse mask's size");
        cv::add(votes, cv::Mat((p == coarse) & (coarse != 0)) / 255, votes);
    }
    cv::Mat out = coarse.clone();
    out.setTo(0, (coarse != 0) & (votes < minVotes));
    // A class none of whose pixels wins the vote keeps its fill (the box says the object is there).
    double top = 0;
    cv::minMaxLoc(coarse, nullptr, &top);
    for (int c = 1; c <= static_cast<int>(top); ++c) {
        const cv::Mat fill = coarse == c;
        if (cv::countNonZero(fill) > 0 && cv::countNonZero(fill & (votes >= minVotes)) == 0)
            out.setTo(c, fill);
    }
    return out;
}

std::string scoreTable(const RefinementScorer& scorer, const std::vector<int>& classes,
                       const std::vector<std::string>& methods, const std::vector<std::string>& classNames) {
    std::ostringstream out;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%-14s", "class");
    out << buf;
    for (const std::string& m : methods) {
        std::snprintf(buf, sizeof buf, " %11s", m.c_str());
        out << buf;
    }
    out << "\n";
    std::vector<double> sums(methods.size(), 0.0);
    int scored = 0;
    for (int c : classes) {
        std::snprintf(buf, sizeof buf, "%-14s", className(classNames, c).c_str());
        out << buf;
        const double box = scorer.iou(kBoxesMethod, c);
        scored += std::isnan(box) ? 0 : 1;
        for (std::size_t i = 0; i < methods.size(); ++i) {
            const double v = scorer.iou(methods[i], c);
            const bool worse = !std::isnan(v) && !std::isnan(box) && v < box;
            std::snprintf(buf, sizeof buf, " %10s%s", fmt(v).c_str(), worse ? "<" : " ");
            out << buf;
            sums[i] += std::isnan(v) ? 0.0 : v;
        }
        out << "\n";
    }
    if (scored > 0) {
        std::snprintf(buf, sizeof buf, "%-14s", "mean");
        out << buf;
        for (double s : sums) {
            std::snprintf(buf, sizeof buf, " %10s ", fmt(s / scored).c_str());
            out << buf;
        }
        out << "\n";
    }
    return out.str();
}

} // namespace mf
