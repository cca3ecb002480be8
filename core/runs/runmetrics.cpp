#include "runs/runmetrics.h"

#include "io/atomicfile.h"
#include "io/errors.h"

#include <filesystem>
#include <iomanip>
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

/** metrics.csv's fixed columns in file order, each with the EpochReport field it holds (epoch and best
 *  are an int and a flag, handled by name). The writer and the reader both walk this one list. */
struct Column {
    const char* name;
    double EpochReport::*field;
    int precision;
};
const Column kColumns[] = {
    {"epoch", nullptr, 0},
    {"train_loss", &EpochReport::trainLoss, 6},
    {"val_loss", &EpochReport::valLoss, 6},
    {"miou", &EpochReport::mIoU, 6},
    {"miou_no_background", &EpochReport::mIoUNoBackground, 6},
    {"micro_imagewise_iou", &EpochReport::microImagewiseIoU, 6},
    {"pixel_accuracy", &EpochReport::pixelAccuracy, 6},
    {"lr", &EpochReport::lr, 6},
    {"seconds", &EpochReport::seconds, 4},
    {"best", nullptr, 0},
    // 1 when the validation figures were scored at each image's own resolution (as `evaluate` scores),
    // 0 when on the loader's resized batches.
    {"val_native", nullptr, 0},
    {"miou_present_no_background", &EpochReport::mIoUPresentNoBackground, 6},
};
const char* const kClassPrefix = "iou_";

void assign(EpochReport& r, const std::string& column, double v) {
    if (column == "epoch")
        r.epoch = static_cast<int>(v);
    else if (column == "best")
        r.best = v != 0;
    else if (column == "val_native")
        r.valNative = v != 0;
    else
        for (const Column& c : kColumns)
            if (c.field && column == c.name)
                r.*(c.field) = v;
}

std::string csvName(std::string name) {
    for (char& ch : name)
        if (ch == ',' || ch == '"' || ch == ' ' || ch == '\n')
            ch = '_';
    return name;
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
                const bool isClass = h.rfind(kClassPrefix, 0) == 0;
                classColumn.push_back(isClass ? static_cast<int>(out.classNames.size()) : -1);
                if (isClass)
                    out.classNames.push_back(h.substr(std::char_traits<char>::length(kClassPrefix)));
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

std::string metricsCsvHeader(const std::vector<std::string>& classNames) {
    std::string header;
    for (const Column& c : kColumns)
        header += std::string(header.empty() ? "" : ",") + c.name;
    for (const auto& name : classNames)
        header += "," + (kClassPrefix + csvName(name));
    return header;
}

std::string metricsCsvRow(const EpochReport& r) {
    std::ostringstream row;
    for (const Column& c : kColumns) {
        if (c.name != kColumns[0].name)
            row << ',';
        if (c.field)
            row << std::setprecision(c.precision) << r.*(c.field);
        else
            row << (std::string(c.name) == "epoch" ? r.epoch
                    : std::string(c.name) == "best" ? (r.best ? 1 : 0)
                                                    : (r.valNative ? 1 : 0));
    }
    row << std::setprecision(6);
    for (double iou : r.classIoU)
        row << ',' << iou;
    return row.str();
}

std::string runMetricsToCsv(const RunMetrics& m) {
    std::string out = metricsCsvHeader(m.classNames) + "\n";
    for (const auto& r : m.epochs)
        out += metricsCsvRow(r) + "\n";
    return out;
}

} // namespace mf
