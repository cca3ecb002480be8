#pragma once
#include "project/project.h"
#include "reviewqueuemodel.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QSet>

#include <memory>
#include <set>

namespace mf {

/** "Refine all coarse boxes": GrabCut over every coarse image of the project, off the GUI thread.
 *  Each result becomes a proposal of the review queue (its candidate under .maskforge/review/, see
 *  writeProposal): no mask and no status is written here, so an image open with unsaved edits is never
 *  overwritten. The jobs work on their own copy of the project, never on the caller's. */
class BatchRefiner : public QObject {
    Q_OBJECT
public:
    explicit BatchRefiner(QObject* parent = nullptr);
    ~BatchRefiner() override;

    /** Starts on the images of `project` that refinementSource() refines (status coarse), except `skip` (images
     *  whose proposal already waits for review). Returns how many were queued. */
    int start(const Project& project, const std::set<std::string>& skip = {});
    /** Cancels the jobs not yet begun, waits for the running ones, announces the results that were
     *  ready (imageRefined) and then finished(): afterwards nothing of this batch arrives any more. */
    void stop();
    void cancel() { m_watcher.cancel(); }
    bool isRunning() const { return m_active; }

Q_SIGNALS:
    void progress(int done, int total);
    /** Project row `row` (of the project given to start) has a proposal, written as `entry` describes. */
    void imageRefined(int row, const mf::ReviewEntry& entry);
    void finished(int refined, const QStringList& errors);

private:
    struct Job {
        int row = -1;
        ImageEntry entry;  ///< as it was when the batch started
    };
    struct Outcome {
        int row = -1;
        std::string error;
        ReviewEntry entry;
    };
    static Outcome run(const Project& project, const Job& job);
    void resultReady(int at);
    void done();

    QFutureWatcher<Outcome> m_watcher;
    QSet<int> m_handled;
    QStringList m_errors;
    int m_refined = 0;
    bool m_active = false;
};

} // namespace mf
