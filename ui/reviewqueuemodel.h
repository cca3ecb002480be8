#pragma once
#include <QAbstractListModel>
#include <QList>
#include <QString>

namespace mf {

class Project;

/** Images waiting for a person's review: project rows, each with why it is queued ("GrabCut
 *  refinement", "model prediction") and a short summary of the change. Any producer (batch box
 *  refinement, model-assisted refinement) feeds it; ReviewPanel works through it. Reads the Project
 *  MainWindow owns for the image names and never writes it. */
class ReviewQueueModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { ProjectRowRole = Qt::UserRole + 1, ReasonRole, SummaryRole };
    struct Item {
        int row = -1;
        QString reason, summary;
    };

    explicit ReviewQueueModel(QObject* parent = nullptr);
    /** A new project empties the queue (its rows mean nothing there). */
    void setProject(const Project* project);
    /** Queues project row `row`, or updates its reason and summary if already queued. */
    void add(int row, const QString& reason, const QString& summary = {});
    /** Takes `row` off the queue (accepted, rejected, reviewed elsewhere); false if it was not queued. */
    bool remove(int row);
    void clear();
    bool contains(int row) const { return indexOf(row) >= 0; }
    /** Position of project row `row` in the queue, -1 if not queued. */
    int indexOf(int row) const;
    const Item& item(int i) const { return m_items.at(i); }
    QList<int> rows() const;
    int size() const { return static_cast<int>(m_items.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    const Project* m_project = nullptr;
    QList<Item> m_items;
};

} // namespace mf
