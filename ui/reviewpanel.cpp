#include "reviewpanel.h"

#include "maskdocument.h"
#include "review/statusrules.h"
#include "reviewqueuemodel.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

namespace mf {

ReviewPanel::ReviewPanel(ReviewQueueModel* queue, MaskDocument* document, QWidget* parent)
    : QWidget(parent), m_queue(queue), m_document(document), m_view(new QListView(this)), m_count(new QLabel(this)),
      m_accept(new QPushButton(tr("Accept"), this)), m_reject(new QPushButton(tr("Reject"), this)) {
    m_view->setModel(m_queue);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(true);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_accept->setToolTip(tr("Save the proposal as it is now (with your edits), mark it refined, open the next"));
    m_reject->setToolTip(tr("Drop the proposal: the mask on disk and the status stay as they were; open the next"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_accept);
    buttons->addWidget(m_reject);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_count);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    connect(m_accept, &QPushButton::clicked, this, &ReviewPanel::accept);
    connect(m_reject, &QPushButton::clicked, this, &ReviewPanel::reject);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        if (current.isValid())
            Q_EMIT openRequested(current.data(ReviewQueueModel::ProjectRowRole).toInt());
        updateState();
    });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_queue, signal, this, &ReviewPanel::updateState);
    connect(m_queue, &QAbstractItemModel::modelReset, this, &ReviewPanel::updateState);
    updateState();
}

void ReviewPanel::select(int row) {
    const int at = m_queue->indexOf(row);
    if (at >= 0)
        m_view->setCurrentIndex(m_queue->index(at));
}

int ReviewPanel::currentRow() const {
    const QModelIndex i = m_view->currentIndex();
    return i.isValid() ? i.data(ReviewQueueModel::ProjectRowRole).toInt() : -1;
}

// The buttons act on the image on the canvas, so what is saved is what the person saw and edited.
bool ReviewPanel::openCurrent() {
    const int row = currentRow();
    if (row < 0)
        return false;
    if (m_document->index() != row)
        Q_EMIT openRequested(row);
    return m_document->index() == row;
}

bool ReviewPanel::accept() {
    if (!openCurrent())
        return false;
    if (!m_document->hasProposal()) {
        Q_EMIT errorOccurred(tr("The proposal is not shown on the canvas, so it cannot be accepted"));
        return false;
    }
    const int row = m_document->index(), at = m_queue->indexOf(row);
    try {
        m_document->save();
        m_document->applyStatusEvent(StatusEvent::ProposalAccepted);
        m_queue->remove(row);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Could not accept: %1").arg(e.what()));
        return false;
    }
    finish(at);
    return true;
}

// The proposal was never written: taking it back leaves the mask on disk, the status and any edit
// the person had made before it as they were.
bool ReviewPanel::reject() {
    if (!openCurrent())
        return false;
    const int row = m_document->index(), at = m_queue->indexOf(row);
    try {
        m_document->withdrawProposal();
        m_document->applyStatusEvent(StatusEvent::ProposalRejected);
        m_queue->remove(row);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Could not reject: %1").arg(e.what()));
        return false;
    }
    finish(at);
    return true;
}

// Moves on to the item that took the finished one's place (or the new last), like a mail client.
void ReviewPanel::finish(int at) {
    if (m_queue->size() == 0) {
        Q_EMIT queueEmptied();
        return;
    }
    const QModelIndex next = m_queue->index(std::min(at, m_queue->size() - 1));
    m_view->setCurrentIndex(next);
    // Removing the current row may already have moved the view to `next` without announcing a change.
    if (m_document->index() != next.data(ReviewQueueModel::ProjectRowRole).toInt())
        Q_EMIT openRequested(next.data(ReviewQueueModel::ProjectRowRole).toInt());
}

void ReviewPanel::updateState() {
    m_count->setText(tr("%n image(s) to review", nullptr, m_queue->size()));
    const bool any = currentRow() >= 0;
    m_accept->setEnabled(any);
    m_reject->setEnabled(any);
}

} // namespace mf
