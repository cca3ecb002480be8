#pragma once
#include "project/project.h"
#include "review/autorefinement.h"
#include "reviewqueue/reviewqueuemodel.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>

#include <map>
#include <memory>
#include <set>

namespace mf {

/** "Refine all coarse boxes": every coarse image of the project refined off the GUI thread, on a thread
 *  pool of its own (the global pool stays free for the GUI's thumbnails and previews). Two modes:
 *  - Auto, when the project has reviewed images that kept their boxes: the refinement pass of the CLI
 *    (review/autorefinement.h) scores the boxes and every method per class on those reviewed images,
 *    gives each class the best method, or its boxes when none beats them, and proposes the labels as
 *    chosen; report() then holds the per-class scores and choices.
 *  - GrabCut (the default without such evidence): GrabCut over every coarse image, an image per job.
 *  Each result becomes a proposal of the review queue (its candidate under .maskforge/review/, see
 *  writeProposal): no mask and no status is written here (auto's images whose boxes won on the evidence are
 *  handed over by boxesKept for the GUI thread to mark), so an image open with unsaved edits is never
 *  overwritten. Results reach the GUI in batches of at most kMaxBatch per timer tick, so the event loop
 *  keeps running on hundreds of images; the GUI thread never waits for a refinement. Every candidate
 *  file written is either handed over (imagesRefined) or deleted: files and review.json agree. The jobs
 *  work on their own copy of the project, never on the caller's. */
class BatchRefiner : public QObject {
    Q_OBJECT
public:
    /** Most results handed to the GUI per tick (one review.json save each). */
    static constexpr int kMaxBatch = 16;

    /** How the batch refines. */
    enum class Mode { GrabCut, Auto };

    explicit BatchRefiner(QObject* parent = nullptr);
    /** Cancels and waits for the jobs still running (each stops at its next image or forest split: well
     *  under a second) and deletes the candidates of results never handed over. */
    ~BatchRefiner() override;

    /** Starts on the images of `project` that refinementSource() refines (status coarse), except `skip` (images
     *  whose proposal already waits for review). Auto when `project` has reviewed images that kept their
     *  boxes (reviewedEvidence), else GrabCut. Returns how many were queued. */
    int start(const Project& project, const std::set<std::string>& skip = {});
    /** The reviewed images of `project` that kept their coarse mask: the evidence auto chooses by. */
    static int reviewedEvidence(const Project& project);
    /** Ends the batch now, without waiting: jobs not begun are dropped; the results already finished
     *  are handed over (imagesRefined), then finished(). A job still running finishes in the
     *  background and deletes its candidate. Afterwards nothing of this batch arrives any more. */
    void stop();
    bool isRunning() const { return m_state != nullptr; }
    /** The mode of the batch running or last run. */
    Mode mode() const { return m_mode; }
    /** Auto's per-class scores on the reviewed images and its choices, once made (hasReport()). */
    bool hasReport() const { return m_hasReport; }
    const RefinementReport& report() const { return m_report; }
    /** Threads the batch uses: one core less than the machine has, at least one. */
    int threadCount() const { return m_pool.maxThreadCount(); }

Q_SIGNALS:
    void progress(int done, int total);
    /** Proposals written for the project given to start (at most kMaxBatch at a time). */
    void imagesRefined(const QList<mf::ReviewEntry>& entries);
    /** Auto: images of the project given to start where every class kept its boxes on the reviewed images
     *  (review/keptboxes.h); the receiver marks them refined (markBoxesKept): decided labels. */
    void boxesKept(const QStringList& images);
    void finished(int refined, const QStringList& errors);
    /** Auto chose per class: report() holds the scores and choices. */
    void reportReady();
    /** A line of what the batch does (auto: each method's time, notes on boxes skipped...). */
    void message(const QString& text);

private:
    struct State;
    void deliver(int limit);
    void startWorkers(const std::shared_ptr<State>& s);

    QThreadPool m_pool;
    QTimer m_poll;
    std::shared_ptr<State> m_state;
    QStringList m_errors;
    int m_refined = 0, m_done = 0, m_total = 0;
    Mode m_mode = Mode::GrabCut;
    RefinementReport m_report;
    bool m_hasReport = false;
};

} // namespace mf
