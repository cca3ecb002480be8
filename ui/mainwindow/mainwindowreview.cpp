// MainWindow: the review queue dock and what feeds it.
#include "mainwindow/mainwindow.h"

#include "reviewqueue/batchrefiner.h"
#include "canvas/canvas.h"
#include "dataset/datasetmodel.h"
#include "dataset/datasetpanel.h"
#include "canvas/maskdocument.h"
#include "common/qtcv.h"
#include "review/keptboxes.h"
#include "reviewqueue/reviewpanel.h"
#include "reviewqueue/reviewqueuemodel.h"

#include <QComboBox>
#include <QDockWidget>
#include <QStatusBar>

#include <set>

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
    // Shown, in front of the docks it shares a place with, once something waits for review: when a
    // batch queues the first proposal, and when a project opens with a queue left from last time.
    const auto showQueue = [this] {
        if (m_review->size() == 0 || (m_reviewDock->isVisible() && !m_reviewDock->visibleRegion().isEmpty()))
            return;
        m_reviewDock->show();
        m_reviewDock->raise();
        // The list gets most of the height beside the palette: a queue of hundreds wants rows, the
        // palette only its classes (it scrolls when there are many).
        resizeDocks({m_reviewDock}, {height() * 3 / 5}, Qt::Vertical);
    };
    connect(m_review, &QAbstractItemModel::rowsInserted, this, showQueue);
    connect(m_review, &QAbstractItemModel::modelReset, this, showQueue);
    connect(m_batch, &BatchRefiner::imagesRefined, this, &MainWindow::queueProposals);
    // Images whose every class kept its boxes on the reviewed images: refined, as `refine --accept` marks them
    // (their masks stay the box fills; the open document reads its status from the same project).
    connect(m_batch, &BatchRefiner::boxesKept, this, [this](const QStringList& images) {
        if (!m_project)
            return;
        std::vector<std::string> list;
        for (const QString& i : images)
            list.push_back(i.toStdString());
        try {
            markBoxesKept(*m_project, list);
        } catch (const std::exception& e) {
            showError(tr("Could not mark the images whose boxes were kept as refined: %1").arg(e.what()));
            return;
        }
        const std::set<std::string> marked(list.begin(), list.end());
        for (int row = 0; row < static_cast<int>(m_project->images().size()); ++row)
            if (marked.count(m_project->images()[static_cast<std::size_t>(row)].image))
                m_dataset->model()->refreshRow(row);
    });
}

bool MainWindow::queueProposals(const QList<ReviewEntry>& entries) {
    if (!m_project)
        return false;
    try {
        return m_review->addProposals(entries) > 0;
    } catch (const std::exception& e) {
        showError(tr("Cannot save the review queue: %1").arg(e.what()));
        return false;
    }
}

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
