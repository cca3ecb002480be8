#pragma once
#include "runs/runlist.h"

#include <QFutureWatcher>
#include <QWidget>

#include <vector>

class QTableWidget;
class QPushButton;

namespace mf {

/** The project's runs (architecture, date, best mIoU, epochs, status): open a run's charts, config
 *  and evaluation report, rename or delete it, send two to the comparison view or one to prediction. */
class RunsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(QWidget* parent = nullptr);

    void setRunsDir(const QString& runsDir);
    QString runsDir() const { return m_runsDir; }
    void refresh();
    /** The run being trained now (shown as "training"); empty for none. */
    void setActiveRun(const QString& dir);
    const std::vector<RunInfo>& runs() const { return m_runs; }
    QTableWidget* table() const { return m_table; }
    /** The selected runs' folders, in table order. */
    QStringList selectedRuns() const;
    void selectRun(const QString& dir);

    /** Opens the run's charts in a window of their own (from metrics.csv), following the file as it grows. */
    QWidget* openCharts(const QString& dir);
    /** Shows config.yaml in a read-only window. */
    QWidget* openConfig(const QString& dir);
    /** Evaluates the run on val off the GUI thread and shows the report. */
    void openReport(const QString& dir);
    /** Both refuse (error, false) for the run being trained; their buttons are disabled then. */
    bool renameRun(const QString& dir, const QString& newName);
    bool deleteRun(const QString& dir, bool ask = true);
    bool isActive(const QString& dir) const;
    /** Off in tests: no modal dialogs. */
    void setInteractive(bool interactive) { m_interactive = interactive; }

Q_SIGNALS:
    void compareRequested(const QString& runA, const QString& runB);
    void predictRequested(const QString& run);
    void reportReady(const QString& dir, const QString& text);
    void errorOccurred(const QString& message);

private:
    void runAction(const std::function<void(const QString&)>& action);
    QWidget* showText(const QString& title, const QString& text);
    void updateButtons();

    QString m_runsDir, m_activeRun;
    std::vector<RunInfo> m_runs;
    QTableWidget* m_table;
    QPushButton *m_rename = nullptr, *m_delete = nullptr;
    QFutureWatcher<QString>* m_report;
    bool m_interactive = true;
};

} // namespace mf
