#include "train/runmetrics.h"

#include "io/atomicfile.h"
#include "io/errors.h"

#include <filesystem>
#include <map>
#include <sstream>

namespace mf {
namespace {

std::vector<std::string> splitCsvLine(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ','))
        cells.push_back(cell);
    if (!line.empty() && line.back() == ',')
        cells.emplace_back();
    return cells;
}

double number(const std::string& text, const std::string& file, int line, const std::string& column) {
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size())
            return v;
    } catch (const std::exception&) {
    }
    throw FileError(file, "line " + std::to_string(line) + ", column " + column + ": '" + text + "' is not a number");
}

void assign(EpochReport& r, const std::string& column, double v) {
    static const std::map<std::string, double EpochReport::*> fields = {
        {"train_loss", &EpochReport::trainLoss}, {"val_loss", &EpochReport::valLoss},
        {"miou", &EpochReport::mIoU}, {"miou_no_background", &EpochReport::mIoUNoBackground},
        {"micro_imagewise_iou", &EpochReport::microImagewiseIoU}, {"pixel_accuracy", &EpochReport::pixelAccuracy},
        {"lr", &EpochReport::lr}, {"seconds", &EpochReport::seconds}};
    if (column == "epoch")
        r.epoch = static_cast<int>(v);
    else if (column == "best")
        r.best = v != 0;
    else if (auto it = fields.find(column); it != fields.end())
        r.*(it->second) = v;
}

} // namespace

int RunMetrics::bestEpoch() const {
    int best = 0;
    for (const auto& e : epochs)
        if (e.best)
            best = e.epoch;
    return best;
}

RunMetrics parseRunMetrics(const std::string& csv, const std::string& file) {
    RunMetrics out;
    std::istringstream in(csv);
    std::string line;
    std::vector<std::string> header;
    std::vector<int> classColumn;  // index into classNames, or -1
    for (int lineNo = 1; std::getline(in, line); ++lineNo) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        if (header.empty()) {
            header = splitCsvLine(line);
            for (const auto& h : header) {
                const bool isClass = h.rfind("iou_", 0) == 0;
                classColumn.push_back(isClass ? static_cast<int>(out.classNames.size()) : -1);
                if (isClass)
                    out.classNames.push_back(h.substr(4));
            }
            continue;
        }
        const auto cells = splitCsvLine(line);
        if (cells.size() != header.size())
            throw FileError(file, "line " + std::to_string(lineNo) + " has " + std::to_string(cells.size()) +
                                      " cells, the header " + std::to_string(header.size()));
        EpochReport r;
        r.classIoU.assign(out.classNames.size(), 0.0);
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const double v = number(cells[c], file, lineNo, header[c]);
            if (classColumn[c] >= 0)
                r.classIoU[classColumn[c]] = v;
            else
                assign(r, header[c], v);
        }
        out.epochs.push_back(std::move(r));
    }
    for (auto& e : out.epochs)
        e.epochs = static_cast<int>(out.epochs.size());
    return out;
}

RunMetrics readRunMetrics(const std::string& path) {
    std::filesystem::path p(path);
    if (std::filesystem::is_directory(p))
        p /= "metrics.csv";
    if (!std::filesystem::is_regular_file(p))
        return {};
    return parseRunMetrics(readFileBytes(p.string()), p.string());
}

std::string runMetricsToCsv(const RunMetrics& m) {
    std::ostringstream out;
    out << "epoch,train_loss,val_loss,miou,miou_no_background,micro_imagewise_iou,pixel_accuracy,lr,seconds,best";
    for (const auto& name : m.classNames)
        out << ",iou_" << name;
    out << "\n";
    out.precision(6);
    for (const auto& r : m.epochs) {
        out << r.epoch << ',' << r.trainLoss << ',' << r.valLoss << ',' << r.mIoU << ',' << r.mIoUNoBackground << ','
            << r.microImagewiseIoU << ',' << r.pixelAccuracy << ',' << r.lr << ',' << r.seconds << ','
            << (r.best ? 1 : 0);
        for (double iou : r.classIoU)
            out << ',' << iou;
        out << "\n";
    }
    return out.str();
}

} // namespace mf
