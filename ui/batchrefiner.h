#pragma once
#include "project/project.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>

namespace mf {

/** "Refine all coarse boxes": GrabCut over every coarse image of the project, off the GUI thread.
 *  Each refined mask is written (atomically) as the image's mask with status Refined and joins the
 *  review queue; the coarse mask stays for comparison and revert. Does not own the Project. */
class BatchRefiner : public QObject {
    Q_OBJECT
public:
    explicit BatchRefiner(QObject* parent = nullptr);
    ~BatchRefiner() override;

    /** Starts on the images of `project` with status Coarse and a coarse mask, except `skipRow`
     *  (the image open with unsaved edits). Returns how many were queued. */
    int start(Project* project, int skipRow = -1);
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }
    /** Rows refined and waiting for review, oldest first. */
    const QList<int>& reviewQueue() const { return m_queue; }
    /** Removes a row from the queue (reviewed or reverted). */
    void markReviewed(int row) { m_queue.removeAll(row); }

Q_SIGNALS:
    void progress(int done, int total);
    void imageRefined(int row);
    void finished(int refined, const QStringList& errors);

private:
    struct Job {
        int row = -1;
        std::string image, coarse, boxes, output;
    };
    struct Outcome {
        int row = -1;
        std::string error;
    };
    static Outcome run(const Project* project, const Job& job);
    void resultReady(int at);
    void done();

    Project* m_project = nullptr;
    QFutureWatcher<Outcome> m_watcher;
    QList<int> m_queue;
    QStringList m_errors;
    int m_refined = 0;
};

} // namespace mf
