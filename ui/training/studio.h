#pragma once
#include <QObject>
#include <QPointer>

class QDockWidget;

namespace mf {

class CompareView;
class MainWindow;
class PredictPanel;
class Project;
class RunsPanel;
class TrainingPanel;

/** Puts the studio into the main window: the Training, Runs and Predictions docks, a Studio menu,
 *  the comparison window, prediction overlays on the canvas, and a question before closing while a
 *  run trains. Owned by the window (its QObject parent); follows the window's open project. */
class Studio : public QObject {
    Q_OBJECT
public:
    explicit Studio(MainWindow* window);

    TrainingPanel* trainingPanel() const { return m_training; }
    RunsPanel* runsPanel() const { return m_runs; }
    PredictPanel* predictPanel() const { return m_predict; }
    /** The comparison window, made on first use. */
    CompareView* compareView();
    QDockWidget* trainingDock() const { return m_trainingDock; }
    QDockWidget* predictDock() const { return m_predictDock; }
    QDockWidget* runsDock() const { return m_runsDock; }
    /** Off in tests and screenshots: closing stops a run without asking. */
    void setInteractive(bool interactive) { m_interactive = interactive; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void createDocks();
    void createMenu();
    void connectPanels();
    void followDocument();
    void setProject(Project* project);
    void showCompare(const QString& runA, const QString& runB);

    MainWindow* m_window;
    Project* m_project = nullptr;
    TrainingPanel* m_training;
    RunsPanel* m_runs;
    PredictPanel* m_predict;
    QPointer<CompareView> m_compare;
    QDockWidget *m_trainingDock = nullptr, *m_runsDock = nullptr, *m_predictDock = nullptr;
    bool m_interactive = true;
};

} // namespace mf
