#pragma once
#include "runs/runmetrics.h"

#include <string>
#include <vector>

namespace mf {

/** A run's folder: config.yaml, metrics.csv, train.log (checkpoints are written by the trainer).
 *  config.yaml and metrics.csv are rewritten whole and atomically, so a crash never leaves half a
 *  file; train.log is appended to line by line. */
class RunFolder {
public:
    /** Makes the folder; throws FileError when it cannot. */
    explicit RunFolder(std::string dir);

    const std::string& dir() const { return m_dir; }
    std::string path(const std::string& name) const;

    void writeConfig(const std::string& yaml) const;
    /** Starts metrics.csv from a resumed run's text (empty: a fresh header on the first row). */
    void restoreMetrics(const std::string& csv) { m_metrics = csv; }
    /** Appends one epoch row (one column per figure and per class IoU) and rewrites metrics.csv. */
    void addEpoch(const EpochReport& r, const std::vector<std::string>& classNames);
    const std::string& metricsCsv() const { return m_metrics; }
    /** Appends a time-stamped line to train.log (a resumed run continues the file). */
    void log(const std::string& line);

private:
    std::string m_dir;
    std::string m_metrics;
};

/** Makes and returns a fresh, empty run folder <parent>/<arch>-<yyyymmdd-hhmmss>[-N]; the suffix N
 *  makes it unique even for runs started in the same second. Throws FileError when it cannot. */
std::string defaultRunDir(const std::string& arch, const std::string& parent = "runs");

} // namespace mf
