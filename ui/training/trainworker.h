#pragma once
#include "training/trainingtypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

namespace mf {

/** Runs core's blocking trainer on the thread it lives on and turns its observer calls into queued
 *  signals carrying plain structs. Steps are batched (one signal per ~50 ms at most) so that a fast
 *  run on tiny images does not flood the GUI's event queue. The TrainControl is owned by the caller. */
class TrainWorker : public QObject {
    Q_OBJECT
public:
    explicit TrainWorker(TrainControl* control, QObject* parent = nullptr);

    /** Blocking: trains as `config` says; emits finished() whatever happens (exceptions included). */
    void run(const TrainConfig& config);

    static constexpr int kStepBatchMs = 50;

Q_SIGNALS:
    void started(const QString& runDir, const QString& device);
    void stepsDone(const QVector<mf::StepReport>& steps);
    void epochDone(const mf::EpochReport& report);
    void logLine(const QString& line);
    /** The trainer really stopped between steps (true) or went on (false). */
    void trainerPaused(bool paused);
    void finished(const mf::TrainResult& result);

private:
    friend class WorkerObserver;
    void queueStep(const StepReport& step);
    void flushSteps();

    TrainControl* m_control;
    QVector<StepReport> m_pending;
    QElapsedTimer m_sinceFlush;
};

} // namespace mf
