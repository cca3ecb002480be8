#include "training/trainworker.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace mf {

/** Forwards the trainer's callbacks (on the worker thread) to the worker's signals. */
class WorkerObserver : public TrainObserver {
public:
    explicit WorkerObserver(TrainWorker* worker) : m_worker(worker) {}
    void onStart(const std::string& runDir, const std::string& device) override {
        Q_EMIT m_worker->started(QString::fromStdString(runDir), QString::fromStdString(device));
    }
    void onStep(const StepReport& report) override { m_worker->queueStep(report); }
    void onEpoch(const EpochReport& report) override {
        m_worker->flushSteps();  // the epoch's last steps belong before its validation point
        Q_EMIT m_worker->epochDone(report);
    }
    void onLog(const std::string& line) override { Q_EMIT m_worker->logLine(QString::fromStdString(line)); }
    void onPaused(bool paused) override {
        m_worker->flushSteps();  // the steps before the pause are shown while it lasts
        Q_EMIT m_worker->trainerPaused(paused);
    }

private:
    TrainWorker* m_worker;
};

namespace {

/** Nice value of the training threads: 5 weighs them about a third of the GUI thread, enough for the
 *  GUI to win the CPU whenever it has work, while other programs at the default do not starve training
 *  as much as nice 10 did (4x slower epochs on the loaded build machine). */
constexpr int kTrainerNice = 5;

/** Lowers the calling thread's scheduling weight. On Linux the nice value is per thread and inherited by
 *  the threads it starts (the loader's workers, the OpenMP team), so the whole training yields to the
 *  GUI thread whenever the GUI has work; alone on the machine it still gets all the CPU. */
void yieldToGui() {
#ifdef __linux__
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kTrainerNice);
#endif
}

} // namespace

void registerTrainingMetaTypes() {
    qRegisterMetaType<mf::StepReport>();
    qRegisterMetaType<mf::EpochReport>();
    qRegisterMetaType<mf::TrainResult>();
    qRegisterMetaType<mf::TrainConfig>();
    qRegisterMetaType<QVector<mf::StepReport>>();
}

TrainWorker::TrainWorker(TrainControl* control, QObject* parent) : QObject(parent), m_control(control) {}

void TrainWorker::queueStep(const StepReport& step) {
    m_pending.push_back(step);
    if (!m_sinceFlush.isValid() || m_sinceFlush.elapsed() >= kStepBatchMs)
        flushSteps();
}

void TrainWorker::flushSteps() {
    m_sinceFlush.restart();
    if (m_pending.isEmpty())
        return;
    Q_EMIT stepsDone(m_pending);
    m_pending.clear();
}

void TrainWorker::run(const TrainConfig& config) {
    yieldToGui();
    WorkerObserver observer(this);
    TrainResult result;
    result.runDir = config.out;
    // The ui boundary: core reports bad configs and I/O problems by exceptions; they become a
    // failed result that the panel shows, never an escape into Qt's event loop.
    try {
        result = train(config, &observer, m_control);
    } catch (const std::exception& e) {
        result.status = TrainResult::Status::Failed;
        result.message = e.what();
    } catch (...) {
        result.status = TrainResult::Status::Failed;
        result.message = "unknown error in the trainer";
    }
    flushSteps();
    Q_EMIT finished(result);
}

} // namespace mf
