#pragma once
#include <QDateTime>
#include <QObject>
#include <QString>

class QFileSystemWatcher;
class QTimer;

namespace mf {

class TrainingCharts;

/** Keeps a TrainingCharts in step with the metrics.csv of a run that another process is writing (a
 *  cluster job on a shared file system, a CLI run): a file-system watcher on the file and its folder
 *  (RunFolder replaces the file by rename, which ends a watch on the file itself) plus a polling timer,
 *  since network file systems often send no notifications. Rows past those shown are appended; a
 *  shorter file (a run restarted in the folder) reloads. A row caught half-written is read again on
 *  the next change. A child of the charts it feeds. */
class MetricsFollower : public QObject {
    Q_OBJECT
public:
    MetricsFollower(TrainingCharts* charts, const QString& runDir, int pollMs = 2000);

    const QString& runDir() const { return m_dir; }
    /** Reads metrics.csv when it changed since the last look; returns the epochs added. */
    int check();

Q_SIGNALS:
    void epochsAdded(int count);

private:
    void watch();

    TrainingCharts* m_charts;
    QString m_dir, m_file;
    QFileSystemWatcher* m_watcher;
    QTimer* m_timer;
    QDateTime m_seenTime;
    qint64 m_seenSize = -1;
};

} // namespace mf
