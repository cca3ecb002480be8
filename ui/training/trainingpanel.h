#pragma once
#include "training/trainingtypes.h"

#include "plan/planner.h"

#include <QString>
#include <QWidget>

#include <functional>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace mf {

class TrainingCharts;
class TrainingForm;
class TrainingRunner;

/** Point-and-click training: the settings form, start / pause / resume / stop, a progress bar with
 *  epoch, step and ETA, the run's log and its live charts. Training runs in a TrainingRunner (a
 *  worker thread); errors from core are shown in the panel, never thrown into the event loop. */
class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget* parent = nullptr);
    ~TrainingPanel() override;

    TrainingForm* form() const { return m_form; }
    TrainingCharts* charts() const { return m_charts; }
    TrainingRunner* runner() const { return m_runner; }

    /** Points the form at a project folder (its runs go to <project>/runs/). Another folder clears
     *  the charts, log and messages of the previous one, unless a run is training. */
    void setProject(const QString& projectDir);

    /** Validates the form's config, picks a fresh run folder and starts; false (error shown) when
     *  the config is invalid or a run is going. */
    bool startTraining();
    void togglePause();
    void stopTraining();
    bool isTraining() const;
    /** When training runs: asks (if `ask`) whether to stop it, then stops and waits for the thread.
     *  Returns true when nothing runs any more (closing may go on). */
    bool stopBeforeClose(bool ask = true);

    QString currentRunDir() const { return m_runDir; }
    QString lastError() const { return m_lastError; }
    /** The runs folder of a project folder or maskforge.json path. */
    static QString runsDirFor(const QString& data);

    /** What Auto calls to plan a run (planTraining; tests give a stand-in). It runs off the GUI thread. */
    using PlanFunction = std::function<TrainingPlan(const PlanRequest&)>;
    void setPlanFunction(PlanFunction plan) { m_plan = std::move(plan); }
    bool isPlanning() const { return m_planning; }
    /** One line for the log when the project `data` has coarse images (box fills, status coarse),
     *  which train as labels as they are; empty when it has none or is not a project. */
    static QString coarseLabelsNote(const QString& data);

Q_SIGNALS:
    void runStarted(const QString& runDir);
    void runFinished(const QString& runDir, const mf::TrainResult& result);

private:
    QWidget* buildControls();
    void onStarted(const QString& runDir, const QString& device);
    void onSteps(const QVector<StepReport>& steps);
    void onEpoch(const EpochReport& epoch);
    void onFinished(const TrainResult& result);
    void showError(const QString& message);
    void updateButtons();
    void loadYaml();
    void saveYaml();
    void exportCharts();
    /** The project the form trains on: where file dialogs start the first time. */
    QString projectDir() const;
    void rememberConfig(TrainConfig config);
    void restoreLastConfig();
    void planThenStart();

    TrainingForm* m_form;
    TrainingCharts* m_charts;
    TrainingRunner* m_runner;
    QPushButton *m_start, *m_pause, *m_stop;
    QProgressBar* m_progress;
    QLabel *m_status, *m_device;
    QPlainTextEdit* m_log;
    QString m_runDir, m_lastError;
    int m_epochs = 0;
    bool m_planning = false, m_skipPlan = false;
    PlanFunction m_plan;
};

} // namespace mf
