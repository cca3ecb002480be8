#pragma once
#include <QWidget>

class QLabel;
class QListView;
class QPushButton;

namespace mf {

class MaskDocument;
class ReviewQueueModel;

/** The review queue dock: lists the queued proposals (GrabCut batch and model runs alike, with their
 *  origin); selecting one asks for it to be opened (MainWindow shows the proposal as an unsaved edit,
 *  the coarse mask beside). Accept saves it as it stands, tool edits included, status refined; Reject
 *  takes it back (nothing written); both then move to the next queued image. Owns neither the queue
 *  nor the document. */
class ReviewPanel : public QWidget {
    Q_OBJECT
public:
    ReviewPanel(ReviewQueueModel* queue, MaskDocument* document, QWidget* parent = nullptr);
    /** Selects queued project row `row` (which asks for it to be opened). */
    void select(int row);
    /** The queued row selected, -1 if none. */
    int currentRow() const;
    bool accept();
    bool reject();

Q_SIGNALS:
    /** Open project row `row` for review (MainWindow decides about the unsaved image). */
    void openRequested(int row);
    void errorOccurred(const QString& message);
    /** The last queued image was accepted or rejected. */
    void queueEmptied();

private:
    bool openCurrent();
    /** Opens the entry that took the place of queue position `at`. */
    void finish(int at);
    void updateState();

    ReviewQueueModel* m_queue;
    MaskDocument* m_document;
    QListView* m_view;
    QLabel* m_count;
    QPushButton *m_accept, *m_reject;
};

} // namespace mf
