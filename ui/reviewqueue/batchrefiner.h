#pragma once
#include "project/project.h"
#include "reviewqueue/reviewqueuemodel.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>

#include <memory>
#include <set>

namespace mf {

/** "Refine all coarse boxes": GrabCut over every coarse image of the project, on a thread pool of its
 *  own (the global pool stays free for the GUI's thumbnails and previews). Each result becomes a
 *  proposal of the review queue (its candidate under .maskforge/review/, see writeProposal): no mask
 *  and no status is written here, so an image open with unsaved edits is never overwritten.
 *  Results reach the GUI in batches of at most kMaxBatch per timer tick, so the event loop keeps
 *  running on hundreds of images; the GUI thread never waits for a GrabCut. Every candidate file
 *  written is either handed over (imagesRefined) or deleted: files and review.json agree. The jobs
 *  work on their own copy of the project, never on the caller's. */
class BatchRefiner : public QObject {
    Q_OBJECT
public:
    /** Most results handed to the GUI per tick (one review.json save each). */
    static constexpr int kMaxBatch = 16;

    explicit BatchRefiner(QObject* parent = nullptr);
    /** Waits for the GrabCut jobs still running (at most one per pool thread) and deletes the
     *  candidates of results never handed over. */
    ~BatchRefiner() override;

    /** Starts on the images of `project` that refinementSource() refines (status coarse), except `skip` (images
     *  whose proposal already waits for review). Returns how many were queued. */
    int start(const Project& project, const std::set<std::string>& skip = {});
    /** Ends the batch now, without waiting: jobs not begun are dropped; the results already finished
     *  are handed over (imagesRefined), then finished(). A job still running finishes in the
     *  background and deletes its candidate. Afterwards nothing of this batch arrives any more. */
    void stop();
    bool isRunning() const { return m_state != nullptr; }
    /** Threads the batch uses: one core less than the machine has, at least one. */
    int threadCount() const { return m_pool.maxThreadCount(); }

Q_SIGNALS:
    void progress(int done, int total);
    /** Proposals written for the project given to start (at most kMaxBatch at a time). */
    void imagesRefined(const QList<mf::ReviewEntry>& entries);
    void finished(int refined, const QStringList& errors);

private:
    struct State;
    void deliver(int limit);

    QThreadPool m_pool;
    QTimer m_poll;
    std::shared_ptr<State> m_state;
    QStringList m_errors;
    int m_refined = 0, m_done = 0, m_total = 0;
};

} // namespace mf
