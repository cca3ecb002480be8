#pragma once
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QListView;
class QPushButton;
class QSortFilterProxyModel;

namespace mf {

class MaskDocument;
class ReviewQueueModel;

/** The review queue dock: lists the queued proposals (GrabCut batch and model runs alike, with their
 *  origin and the share of each box they keep, flagging those that keep almost nothing); selecting one
 *  asks for it to be opened (MainWindow shows the proposal as an unsaved edit, the coarse mask beside).
 *  Accept saves it as it stands, tool edits included, status refined; Reject takes it back (nothing
 *  written); both then move to the next one; Skip moves on without deciding. Sorted by queue order or
 *  least kept first, optionally only the flagged ones. Keys in the panel: A or Enter accepts, X or
 *  Delete rejects, S or Space skips, the arrows move. Owns neither the queue nor the document. */
class ReviewPanel : public QWidget {
    Q_OBJECT
public:
    enum class Order { Queue, LeastKeptFirst };

    ReviewPanel(ReviewQueueModel* queue, MaskDocument* document, QWidget* parent = nullptr);
    /** Selects queued project row `row` (which asks for it to be opened). */
    void select(int row);
    /** The queued row selected, -1 if none. */
    int currentRow() const;
    bool accept();
    bool reject();
    /** Moves to the next proposal in the list's order without deciding; false at the end. */
    bool skip();
    void setOrder(Order order);
    /** Lists only the proposals that keep almost nothing of a box. */
    void setOnlyFlagged(bool only);
    /** Project rows in the order the list shows them. */
    QList<int> shownRows() const;
    QListView* view() const { return m_view; }

Q_SIGNALS:
    /** Open project row `row` for review (MainWindow decides about the unsaved image). */
    void openRequested(int row);
    void errorOccurred(const QString& message);
    /** The last queued image was accepted or rejected. */
    void queueEmptied();

private:
    bool openCurrent();
    /** Opens the entry that took the place of list position `at`. */
    void finish(int at);
    void updateState();
    QAction* addKeyAction(const QString& text, const QList<QKeySequence>& keys, bool (ReviewPanel::*slot)());

    ReviewQueueModel* m_queue;
    QSortFilterProxyModel* m_sorted;
    MaskDocument* m_document;
    QListView* m_view;
    QLabel* m_count;
    QComboBox* m_order;
    QCheckBox* m_onlyFlagged;
    QPushButton *m_accept, *m_reject, *m_skip;
};

} // namespace mf
