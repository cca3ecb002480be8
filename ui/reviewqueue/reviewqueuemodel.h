#pragma once
#include "review/reviewqueue.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>

namespace mf {

class Project;

/** The project's one review queue (core's ReviewQueue: GrabCut batch results and model proposals,
 *  each with its origin) as a list model for the Review panel. Owns the queue, loads it with the
 *  project (review.json) and saves it on every change; reads the Project MainWindow owns for image
 *  names and rows and never writes it. */
class ReviewQueueModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        ProjectRowRole = Qt::UserRole + 1,
        ReasonRole,
        SummaryRole,
        KeptRole,     ///< smallest share of a box's fill the proposal keeps (0..1), 2 when unknown (sorts last)
        FlaggedRole,  ///< true when it lost a box's object (ReviewEntry::lostABox)
        QueueOrderRole
    };
    struct Item {
        int row = -1;
        QString reason, summary;
    };

    explicit ReviewQueueModel(QObject* parent = nullptr);
    /** Loads the queue of `project` (its review.json); entries for images it no longer has are
     *  dropped. Throws FileError for a malformed review.json (the queue is then empty and the file is
     *  left alone: nothing is saved over it until the next change). */
    void setProject(const Project* project);
    /** Queues a proposal written by writeProposal() for this project, replacing an older one for the
     *  same image, and saves the queue. Ignored (false) when its image is not in this project. Throws
     *  FileError when the queue cannot be saved. */
    bool addProposal(const ReviewEntry& entry);
    /** addProposal for several entries with one save; returns how many were queued. */
    int addProposals(const QList<ReviewEntry>& entries);
    /** Takes project row `row` off the queue (its candidate deleted) and saves; false if not queued. */
    bool remove(int row);
    void clear();
    bool contains(int row) const { return indexOf(row) >= 0; }
    /** Position of project row `row` in the queue, -1 if not queued. */
    int indexOf(int row) const;
    Item item(int i) const;
    /** The queued entry of project row `row`, or null. */
    const ReviewEntry* entry(int row) const;
    QList<int> rows() const;
    int size() const { return m_queue.size(); }
    /** Entries that lost a box's object: almost nothing kept, not reaching across it (FlaggedRole true). */
    int flaggedCount() const;
    ReviewQueue& queue() { return m_queue; }
    /** Re-reads everything after the queue was changed behind the model (acceptProposal). */
    void reload();

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    int projectRow(const std::string& image) const;
    QString summary(const ReviewEntry& e) const;
    void save();

    /** Queues `entry` (model signals included) without saving; false when not this project's. */
    bool insert(const ReviewEntry& entry);

    const Project* m_project = nullptr;
    ReviewQueue m_queue;
    QHash<QString, int> m_rows;  ///< project row of each image path, built with setProject
};

} // namespace mf

Q_DECLARE_METATYPE(mf::ReviewEntry)
