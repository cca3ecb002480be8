#include "charts/metricsfollower.h"

#include "charts/trainingcharts.h"
#include "runs/runmetrics.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace mf {

MetricsFollower::MetricsFollower(TrainingCharts* charts, const QString& runDir, int pollMs)
    : QObject(charts), m_charts(charts), m_dir(runDir), m_file(QDir(runDir).filePath("metrics.csv")),
      m_watcher(new QFileSystemWatcher(this)), m_timer(new QTimer(this)) {
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { check(); });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { check(); });
    connect(m_timer, &QTimer::timeout, this, [this] { check(); });
    watch();
    m_timer->start(pollMs);
    check();
}

void MetricsFollower::watch() {
    if (QFileInfo::exists(m_dir) && !m_watcher->directories().contains(m_dir))
        m_watcher->addPath(m_dir);
    if (QFileInfo::exists(m_file) && !m_watcher->files().contains(m_file))
        m_watcher->addPath(m_file);  // again after each rename-over: the old watch went with the old file
}

int MetricsFollower::check() {
    watch();
    const QFileInfo info(m_file);
    if (!info.exists() || (info.size() == m_seenSize && info.lastModified() == m_seenTime))
        return 0;
    QFile file(m_file);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    QByteArray text = file.readAll();
    text.truncate(text.lastIndexOf('\n') + 1);  // a row still being appended is read whole next time
    RunMetrics m;
    try {
        m = parseRunMetrics(text.toStdString(), m_file.toStdString());
    } catch (const std::exception&) {
        return 0;  // not readable yet; the next change tries again
    }
    m_seenSize = info.size();
    m_seenTime = info.lastModified();
    const int shown = m_charts->epochPoints();
    if (static_cast<int>(m.epochs.size()) < shown) {
        m_charts->loadRun(m_dir);
        return 0;
    }
    int added = 0;
    for (std::size_t i = static_cast<std::size_t>(shown); i < m.epochs.size(); ++i, ++added)
        m_charts->addEpoch(m.epochs[i]);
    if (added > 0)
        Q_EMIT epochsAdded(added);
    return added;
}

} // namespace mf
