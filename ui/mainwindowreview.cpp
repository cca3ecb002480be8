// MainWindow: the review queue dock and what feeds it.
#include "mainwindow.h"

#include "batchrefiner.h"
#include "canvas.h"
#include "datasetmodel.h"
#include "datasetpanel.h"
#include "maskdocument.h"
#include "qtcv.h"
#include "reviewpanel.h"
#include "reviewqueuemodel.h"

#include <QComboBox>
#include <QDockWidget>
#include <QStatusBar>

namespace mf {

void MainWindow::createReviewPanel() {
    m_review = new ReviewQueueModel(this);
    m_reviewPanel = new ReviewPanel(m_review, m_document, this);
    m_reviewDock = new QDockWidget(tr("Review queue"), this);
    m_reviewDock->setObjectName("ReviewDock");
    m_reviewDock->setWidget(m_reviewPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_reviewDock);
    m_reviewDock->hide();  // shown once something is queued
    connect(m_reviewPanel, &ReviewPanel::openRequested, this, &MainWindow::openForReview);
    connect(m_reviewPanel, &ReviewPanel::errorOccurred, this, &MainWindow::showError);
    connect(m_reviewPanel, &ReviewPanel::queueEmptied, this, [this] { statusBar()->showMessage(tr("Review queue done"), 5000); });
    connect(m_review, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_reviewDock->isVisible())
            return;
        m_reviewDock->show();
        resizeDocks({m_reviewDock}, {height() / 2}, Qt::Vertical);  // room for the list beside the palette
    });
    connect(m_batch, &BatchRefiner::imageRefined, this, &MainWindow::batchImageRefined);
}

void MainWindow::batchImageRefined(int, const ReviewEntry& entry) { queueProposal(entry); }

bool MainWindow::queueProposal(const ReviewEntry& entry) {
    if (!m_project)
        return false;
    try {
        return m_review->addProposal(entry);
    } catch (const std::exception& e) {
        showError(tr("Cannot save the review queue: %1").arg(e.what()));
        return false;
    }
}

bool MainWindow::openForReview(int row) {
    if (!showImage(row)) {
        m_reviewPanel->select(m_document->index());
        return false;
    }
    m_reviewDock->show();
    if (auto* coarse = findChild<QComboBox*>("coarseViewCombo"))
        coarse->setCurrentIndex(static_cast<int>(CoarseView::Beside));
    showProposal(row);
    m_reviewPanel->select(row);
    return true;
}

// The proposal goes through the open document as an unsaved edit: the document stays the one writer
// of the open image's mask, and the person's own unsaved edits stay one undo step away.
void MainWindow::showProposal(int row) {
    const ReviewEntry* entry = m_review->entry(row);
    if (!entry || m_document->index() != row || m_document->hasProposal())
        return;
    try {
        const cv::Mat candidate = m_review->queue().readCandidate(*entry, {m_document->size().width(), m_document->size().height()});
        m_document->applyProposal(candidate, tr("Proposal from %1").arg(toQString(entry->origin)));
    } catch (const std::exception& e) {
        showError(tr("Cannot show the proposal: %1").arg(e.what()));
    }
}

} // namespace mf
