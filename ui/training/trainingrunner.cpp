#include "training/trainingrunner.h"

#include <QCoreApplication>

namespace mf {

TrainingRunner::TrainingRunner(QObject* parent) : QObject(parent) { registerTrainingMetaTypes(); }

TrainingRunner::~TrainingRunner() { shutdown(); }

bool TrainingRunner::start(const TrainConfig& config) {
    if (m_thread)
        return false;
    m_control = std::make_shared<TrainControl>();
    m_runDir = QString::fromStdString(config.out);
    m_thread = new QThread(this);
    m_thread->setObjectName("maskforge-train");
    m_worker = new TrainWorker(m_control.get());
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &TrainWorker::started, this, &TrainingRunner::started);
    connect(m_worker, &TrainWorker::stepsDone, this, &TrainingRunner::stepsDone);
    connect(m_worker, &TrainWorker::epochDone, this, &TrainingRunner::epochDone);
    connect(m_worker, &TrainWorker::logLine, this, &TrainingRunner::logLine);
    connect(m_worker, &TrainWorker::trainerPaused, this, &TrainingRunner::trainerPaused);
    connect(m_worker, &TrainWorker::finished, this, &TrainingRunner::onFinished);
    m_thread->start();
    // The worker keeps the control alive through its own copy of the shared pointer until it returns.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, config, keep = m_control] { worker->run(config); },
                              Qt::QueuedConnection);
    return true;
}

void TrainingRunner::pause() {
    if (!m_control || m_control->pause.exchange(true))
        return;
    Q_EMIT pausedChanged(true);
}

void TrainingRunner::resume() {
    if (!m_control || !m_control->pause.exchange(false))
        return;
    Q_EMIT pausedChanged(false);
}

void TrainingRunner::stop() {
    if (m_control)
        m_control->cancel = true;
}

bool TrainingRunner::shutdown(int timeoutMs) {
    if (!m_thread)
        return true;
    stop();
    m_thread->quit();  // leaves the thread's event loop once run() has returned
    if (!m_thread->wait(timeoutMs))
        return false;
    // finished() was queued to us but the thread is gone: deliver it now so listeners see the end.
    QCoreApplication::sendPostedEvents(this);
    if (m_thread) {
        delete m_thread;
        m_thread = nullptr;
        m_worker = nullptr;
    }
    return true;
}

void TrainingRunner::onFinished(const TrainResult& result) {
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
        m_thread->deleteLater();
        m_thread = nullptr;
        m_worker = nullptr;
    }
    Q_EMIT finished(result);
}

} // namespace mf
