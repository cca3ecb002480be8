#include "metrics/metrics.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace mf {

ClassCounts sumOver(const MetricsAccumulator& acc, int c) {
    ClassCounts s;
    for (const auto& img : acc.perImage()) {
        s.tp += img[c].tp, s.fp += img[c].fp, s.fn += img[c].fn, s.tn += img[c].tn;
    }
    return s;
}

namespace {

double imageForegroundIoU(const std::vector<ClassCounts>& img) {
    const int first = img.size() > 1 ? 1 : 0;
    double num = 0, den = 0;
    for (std::size_t c = first; c < img.size(); ++c) {
        num += img[c].tp;
        den += img[c].tp + img[c].fp + img[c].fn;
    }
    return den == 0 ? 1.0 : num / den;
}

std::string className(const std::vector<std::string>& names, int c) {
    return c < static_cast<int>(names.size()) ? names[c] : "class_" + std::to_string(c);
}

std::string fixed(double v, int digits = 4) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

} // namespace

MetricsReport makeReport(const MetricsAccumulator& acc) {
    MetricsReport r;
    r.classCount = acc.classCount();
    r.ignoreIndex = acc.ignoreIndex();
    r.images = acc.imageCount();
    std::int64_t correct = 0, total = 0;
    for (int c = 0; c < r.classCount; ++c) {
        ClassCounts s = sumOver(acc, c);
        r.totals.push_back(s);
        r.iou.push_back(iouOf(s));
        r.dice.push_back(diceOf(s));
        correct += s.tp;
        total += s.tp + s.fn;
    }
    double sumAll = 0, sumFg = 0;
    int nAll = 0, nFg = 0;
    for (int c = 0; c < r.classCount; ++c) {
        const ClassCounts& s = r.totals[static_cast<std::size_t>(c)];
        r.inTruth.push_back(s.tp + s.fn > 0);
        r.scored.push_back(s.tp + s.fp + s.fn > 0);
        if (!r.scored.back())
            continue;
        sumAll += r.iou[static_cast<std::size_t>(c)], ++nAll;
        if (c > 0 || r.classCount == 1)
            sumFg += r.iou[static_cast<std::size_t>(c)], ++nFg;
    }
    r.mIoUPresent = nAll ? sumAll / nAll : std::nan("");
    r.mIoUPresentNoBackground = nFg ? sumFg / nFg : std::nan("");
    r.mIoU = reduceIoU(acc, Reduction::Macro, 0);
    r.mIoUNoBackground = reduceIoU(acc, Reduction::Macro, r.classCount > 1 ? 1 : 0);
    r.microIoU = reduceIoU(acc, Reduction::Micro, 0);
    r.microImagewiseIoU = reduceIoU(acc, Reduction::MicroImagewise, 0);
    r.macroImagewiseIoU = reduceIoU(acc, Reduction::MacroImagewise, 0);
    r.meanDice = reduceDice(acc, Reduction::Macro, 0);
    r.pixelAccuracy = total == 0 ? 1.0 : double(correct) / double(total);
    r.confusion = acc.confusion();
    r.imageNames = acc.imageNames();
    for (const auto& img : acc.perImage())
        r.imageIoU.push_back(imageForegroundIoU(img));
    return r;
}

std::string reportToJson(const MetricsReport& r, const std::vector<std::string>& names) {
    using nlohmann::json;
    json classes = json::array();
    for (int c = 0; c < r.classCount; ++c)
        classes.push_back({{"id", c},           {"name", className(names, c)}, {"iou", r.iou[c]},
                           {"dice", r.dice[c]}, {"tp", r.totals[c].tp},         {"fp", r.totals[c].fp},
                           {"fn", r.totals[c].fn}, {"tn", r.totals[c].tn},
                           {"in_truth", bool(r.inTruth[c])}, {"scored", bool(r.scored[c])}});
    json confusion = json::array();
    for (int t = 0; t < r.classCount; ++t) {
        json row = json::array();
        for (int p = 0; p < r.classCount; ++p)
            row.push_back(r.confusion[std::size_t(t) * r.classCount + p]);
        confusion.push_back(row);
    }
    json images = json::array();
    for (std::size_t i = 0; i < r.imageNames.size(); ++i)
        images.push_back({{"name", r.imageNames[i]}, {"iou", r.imageIoU[i]}});
    json j = {{"images", r.images},
              {"classes", r.classCount},
              {"ignore_index", r.ignoreIndex},
              {"zero_division", "0/0 scores 1 (class absent in truth and prediction)"},
              {"miou", r.mIoU},
              {"miou_no_background", r.mIoUNoBackground},
              {"miou_present", r.mIoUPresent},
              {"miou_present_no_background", r.mIoUPresentNoBackground},
              {"present_rule", "miou_present*: mean over classes with a pixel in truth or prediction (tp+fp+fn > 0), "
                               "as mmsegmentation's nanmean; miou/miou_no_background: every class, 0/0 scores 1 (smp)"},
              {"iou_micro", r.microIoU},
              {"iou_micro_imagewise", r.microImagewiseIoU},
              {"iou_macro_imagewise", r.macroImagewiseIoU},
              {"mean_dice", r.meanDice},
              {"pixel_accuracy", r.pixelAccuracy},
              {"per_class", classes},
              {"confusion", confusion},
              {"per_image", images}};
    return j.dump();
}

std::string reportToText(const MetricsReport& r, const std::vector<std::string>& names) {
    std::ostringstream out;
    out << "images: " << r.images << "  classes: " << r.classCount;
    if (r.ignoreIndex >= 0)
        out << "  ignore index: " << r.ignoreIndex;
    out << "\n\nclass                     IoU     Dice\n";
    for (int c = 0; c < r.classCount; ++c) {
        std::string n = className(names, c);
        n.resize(22, ' ');
        out << "  " << c << (c < 10 ? "  " : " ") << n << fixed(r.iou[c]) << "  " << fixed(r.dice[c]) << "\n";
    }
    out << "\nmIoU (all classes)        " << fixed(r.mIoU) << "\n"
        << "mIoU (no background)      " << fixed(r.mIoUNoBackground) << "\n"
        << "mIoU present classes      " << fixed(r.mIoUPresent) << "\n"
        << "mIoU present, no bg       " << fixed(r.mIoUPresentNoBackground) << "\n"
        << "IoU micro                 " << fixed(r.microIoU) << "\n"
        << "IoU micro-imagewise       " << fixed(r.microImagewiseIoU) << "\n"
        << "IoU macro-imagewise       " << fixed(r.macroImagewiseIoU) << "\n"
        << "mean Dice                 " << fixed(r.meanDice) << "\n"
        << "pixel accuracy            " << fixed(r.pixelAccuracy) << "\n"
        << "(0/0 scores 1: a class absent in both truth and prediction; the 'present' means leave such\n"
        << " classes out, as mmsegmentation does. Classes absent in both:";
    bool anyAbsent = false;
    for (int c = 0; c < r.classCount; ++c)
        if (!r.scored[static_cast<std::size_t>(c)])
            out << " " << className(names, c), anyAbsent = true;
    out << (anyAbsent ? "" : " none") << ")\n\nconfusion (rows = truth):\n";
    for (int t = 0; t < r.classCount; ++t) {
        out << "  ";
        for (int p = 0; p < r.classCount; ++p)
            out << r.confusion[std::size_t(t) * r.classCount + p] << (p + 1 < r.classCount ? "\t" : "\n");
    }
    return out.str();
}

std::string reportToCsv(const MetricsReport& r, const std::vector<std::string>& names) {
    std::ostringstream out;
    out << "class,name,iou,dice,tp,fp,fn\n";
    for (int c = 0; c < r.classCount; ++c)
        out << c << "," << className(names, c) << "," << fixed(r.iou[c], 6) << "," << fixed(r.dice[c], 6) << ","
            << r.totals[c].tp << "," << r.totals[c].fp << "," << r.totals[c].fn << "\n";
    return out.str();
}

} // namespace mf
