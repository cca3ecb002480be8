#pragma once

#include <string>
#include <vector>

namespace mf {

/** The result of one epoch, as written to metrics.csv. */
struct EpochReport {
    int epoch = 0;
    int epochs = 0;
    double trainLoss = 0;
    double valLoss = 0;
    double mIoU = 0;
    double mIoUNoBackground = 0;
    double microImagewiseIoU = 0;
    double pixelAccuracy = 0;
    double mIoUPresentNoBackground = 0;  ///< over classes present in truth or prediction (MetricsReport)
    bool valNative = false;  ///< the figures were scored at each image's own resolution, as `evaluate` does
    std::vector<double> classIoU;
    double lr = 0;
    double seconds = 0;
    double etaSeconds = 0;
    bool best = false;      ///< this epoch wrote best.pt
};


/** A run's per-epoch figures read back from its metrics.csv (written by RunFolder). */
struct RunMetrics {
    std::vector<EpochReport> epochs;
    std::vector<std::string> classNames;  ///< from the iou_<name> columns
    /** The epoch marked best last (the one best.pt holds); 0 when none. */
    int bestEpoch() const;
};

/** Parses metrics.csv text as RunFolder writes it; columns are found by name so that older or newer
 *  files with extra columns still read. Throws FileError naming `file` and the line on bad numbers. */
RunMetrics parseRunMetrics(const std::string& csv, const std::string& file);
/** Reads `path` (a metrics.csv or a run folder); a missing file gives empty metrics. */
RunMetrics readRunMetrics(const std::string& path);
/** metrics.csv's header line (no line end): the fixed columns, then iou_<class> for each class (names
 *  with commas, quotes or spaces get '_' instead). The only definition of the columns: RunFolder writes
 *  with it and parseRunMetrics reads by the same names. */
std::string metricsCsvHeader(const std::vector<std::string>& classNames);
/** One epoch as a metrics.csv row (no line end) in metricsCsvHeader's column order. */
std::string metricsCsvRow(const EpochReport& r);
/** Back to CSV text in RunFolder's layout. */
std::string runMetricsToCsv(const RunMetrics& metrics);

} // namespace mf
