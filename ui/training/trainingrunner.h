#pragma once
#include "training/trainworker.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <memory>

namespace mf {

/** Owns one training at a time: a TrainWorker on its own QThread, the TrainControl it polls, and
 *  the start / pause / resume / stop verbs. Signals arrive queued on the GUI thread. */
class TrainingRunner : public QObject {
    Q_OBJECT
public:
    explicit TrainingRunner(QObject* parent = nullptr);
    ~TrainingRunner() override;

    /** Starts training; false (and nothing happens) while another run is going. */
    bool start(const TrainConfig& config);
    void pause();
    void resume();
    /** Asks the trainer to stop after the current step; finished() follows. */
    void stop();
    /** Stops and waits up to `timeoutMs` for the thread to end; true when it has. */
    bool shutdown(int timeoutMs = 30000);

    bool isRunning() const { return m_thread != nullptr; }
    bool isPaused() const { return m_control && m_control->pause.load(); }
    const QString& runDir() const { return m_runDir; }

Q_SIGNALS:
    void started(const QString& runDir, const QString& device);
    void stepsDone(const QVector<mf::StepReport>& steps);
    void epochDone(const mf::EpochReport& report);
    void logLine(const QString& line);
    /** A pause was asked for (true) or lifted (false); the trainer stops at the end of its step. */
    void pausedChanged(bool paused);
    /** The trainer has stopped between steps (true) or goes on (false): "Paused" is true only now. */
    void trainerPaused(bool paused);
    void finished(const mf::TrainResult& result);

private:
    void onFinished(const TrainResult& result);

    QThread* m_thread = nullptr;
    TrainWorker* m_worker = nullptr;
    std::shared_ptr<TrainControl> m_control;
    QString m_runDir;
};

} // namespace mf
