#include "files/formatjob.h"

#include <QEventLoop>
#include <QProgressDialog>
#include <QtConcurrent>

namespace mf {

FormatJob::FormatJob(QWidget* window) : QObject(window), m_window(window) {
    connect(&m_watcher, &QFutureWatcher<Result>::finished, this, [this] {
        if (m_running)
            finish(false);
    });
}

FormatJob::~FormatJob() {
    // A job never outlives its window: it may be writing into the project the window shows.
    if (m_running) {
        m_cancel = true;
        m_watcher.waitForFinished();
    }
}

bool FormatJob::start(const QString& what, bool cancellable, Work work, std::function<void(const Result&)> done) {
    if (m_running)
        return false;
    m_running = true;
    m_cancel = false;
    m_done = std::move(done);
    auto* dialog = new QProgressDialog(what, cancellable ? tr("Stop") : QString(), 0, 0, m_window);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);  // a short job passes without a flash
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    if (!cancellable)
        dialog->setCancelButton(nullptr);
    connect(dialog, &QProgressDialog::canceled, this, [this, dialog] {
        m_cancel = true;
        dialog->setLabelText(tr("Stopping after the image being written..."));
        dialog->show();  // canceled() hides it; it stays until the worker has stopped
    });
    m_dialog = dialog;
    // Progress crosses to the GUI as queued calls on the dialog: dropped if it is gone by then.
    const Progress progress = [dialog = QPointer<QProgressDialog>(dialog)](int doneCount, int total) {
        if (dialog)
            QMetaObject::invokeMethod(
                dialog.data(),
                [dialog, doneCount, total] {
                    if (dialog && !dialog->wasCanceled()) {
                        dialog->setMaximum(total);
                        dialog->setValue(doneCount);
                    }
                },
                Qt::QueuedConnection);
    };
    const std::atomic<bool>* cancel = &m_cancel;
    m_watcher.setFuture(QtConcurrent::run([work = std::move(work), cancel, progress] {
        try {
            return work(*cancel, progress);
        } catch (const std::exception& e) {  // the UI boundary: shown by `done`, never thrown across threads
            Result r;
            r.error = QString::fromStdString(e.what());
            return r;
        }
    }));
    return true;
}

QProgressDialog* FormatJob::progressDialog() const { return m_dialog.data(); }

void FormatJob::waitUntilDone() {
    if (!m_running)
        return;
    QEventLoop loop;
    connect(this, &FormatJob::finished, &loop, &QEventLoop::quit);
    loop.exec();
}

void FormatJob::stopAndFinish() {
    if (!m_running)
        return;
    m_cancel = true;
    m_watcher.waitForFinished();
    finish(true);
}

void FormatJob::finish(bool interrupted) {
    m_running = false;
    Result result = m_watcher.result();
    result.interrupted = interrupted;
    if (m_dialog) {
        m_dialog->hide();
        m_dialog->deleteLater();
    }
    m_dialog = nullptr;
    const auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(result);
    Q_EMIT finished();
}

} // namespace mf
