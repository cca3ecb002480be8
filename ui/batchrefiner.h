#pragma once
#include "project/project.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>

namespace mf {

/** "Refine all coarse boxes": GrabCut over every coarse image of the project, off the GUI thread.
 *  Each refined mask is written (atomically) as the image's mask with status Refined and announced
 *  for review (MainWindow queues it); the coarse mask stays for comparison and revert. Does not own the Project. */
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

Q_SIGNALS:
    void progress(int done, int total);
    /** Row `row` was refined and written; `summary` says what changed against the coarse mask
     *  ("1 234 px changed: crack, corrosion"), for the review queue. */
    void imageRefined(int row, const QString& summary);
    void finished(int refined, const QStringList& errors);

private:
    struct Job {
        int row = -1;
        std::string image, coarse, boxes, output;
    };
    struct Outcome {
        int row = -1;
        std::string error;
        int changed = 0;             ///< pixels that differ between the coarse and the refined mask
        std::vector<int> classes;    ///< classes of those pixels, before or after
    };
    QString summary(const Outcome& o) const;
    static Outcome run(const Project* project, const Job& job);
    void resultReady(int at);
    void done();

    Project* m_project = nullptr;
    QFutureWatcher<Outcome> m_watcher;
    QStringList m_errors;
    int m_refined = 0;
};

} // namespace mf
