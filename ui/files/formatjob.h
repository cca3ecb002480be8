#pragma once
#include "formats/formatimport.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>

class QProgressDialog;
class QWidget;

namespace mf {

/** One import or export at a time off the GUI thread (QtConcurrent::run + QFutureWatcher), with a
 *  window-modal progress dialog as its busy indication: the window keeps repainting and its timers run,
 *  while its input waits. Owned by the main window. The work gets a cancel flag (an import stops between
 *  images) and a progress callback; its result reaches `done` on the GUI thread. */
class FormatJob : public QObject {
    Q_OBJECT
public:
    /** What a job gives back: the reports, the open project's updated copy (an import into it), or why
     *  it failed; `interrupted` when the window closed or another project opened while it ran. */
    struct Result {
        formats::ImportReport importReport;
        formats::ExportReport exportReport;
        std::optional<Project> project;
        QString error;
        bool interrupted = false;
    };
    using Progress = std::function<void(int, int)>;
    using Work = std::function<Result(const std::atomic<bool>& cancel, const Progress& progress)>;

    explicit FormatJob(QWidget* window);
    ~FormatJob() override;
    bool running() const { return m_running; }
    /** Starts `work` on a worker with a progress dialog saying `what`; `done` runs on the GUI thread
     *  with its result. False (nothing started) while another job runs. */
    bool start(const QString& what, bool cancellable, Work work, std::function<void(const Result&)> done);
    /** Runs the event loop until the running job's `done` has run: the GUI thread goes on handling
     *  events meanwhile. Returns at once when none runs. */
    void waitUntilDone();
    /** For closing the window or opening another project: asks the job to stop, waits for it (an
     *  import stops after the image it is writing, so this is bounded by one image), and runs its `done`
     *  now with `interrupted` set. */
    void stopAndFinish();
    /** The progress dialog while a job runs (null otherwise): for tests. */
    QProgressDialog* progressDialog() const;

Q_SIGNALS:
    void finished();

private:
    void finish(bool interrupted);

    QWidget* m_window;
    QFutureWatcher<Result> m_watcher;
    std::atomic<bool> m_cancel{false};
    bool m_running = false;
    QPointer<QProgressDialog> m_dialog;
    std::function<void(const Result&)> m_done;
};

} // namespace mf
