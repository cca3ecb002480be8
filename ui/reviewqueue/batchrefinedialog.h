#pragma once
#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace mf {

class BatchRefiner;
struct RefinementReport;

/** "Refine all coarse boxes", as it runs: which mode the batch took and why (auto on the reviewed
 *  images, or GrabCut, the default, without them), its progress with a Stop button, and, once auto has
 *  chosen, a table per class of the IoU of the boxes and of each method on the reviewed images, which one
 *  the class takes and why; classes that keep their boxes because no method beats them are named under
 *  the table. Non-modal: the person goes on labelling; closing it leaves the batch running
 *  (Stop stops it). Shows what the BatchRefiner it watches says; owns nothing of it. */
class BatchRefineDialog : public QDialog {
    Q_OBJECT
public:
    explicit BatchRefineDialog(BatchRefiner* batch, QWidget* parent = nullptr);

    /** Resets the dialog for a batch that just started with `reviewed` reviewed images as evidence. */
    void batchStarted(int reviewed, int images);

    QTableWidget* table() const { return m_table; }
    QLabel* modeLabel() const { return m_mode; }
    QLabel* notesLabel() const { return m_notes; }
    QPushButton* stopButton() const { return m_stop; }

    /** The short reason shown beside a class's choice (the full one is the cell's tool tip). */
    static QString shortReason(const RefinementReport& report, int row);

private:
    void showReport();
    void showTable(bool shown);
    void batchFinished(int refined, const QStringList& errors);

    BatchRefiner* m_batch;
    QLabel* m_mode;
    QLabel* m_state;
    QProgressBar* m_progress;
    QPushButton* m_stop;
    QTableWidget* m_table;
    QLabel* m_notes;
    QPlainTextEdit* m_log;
};

} // namespace mf
