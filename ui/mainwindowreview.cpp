// MainWindow: the review queue dock and what feeds it.
#include "mainwindow.h"

#include "batchrefiner.h"
#include "canvas.h"
#include "datasetmodel.h"
#include "datasetpanel.h"
#include "maskdocument.h"
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

void MainWindow::batchImageRefined(int row, const QString& summary) {
    m_dataset->model()->refreshRow(row);
    // The open image, if clean, still shows the coarse mask the batch just replaced on disk.
    if (row == m_document->index() && !m_document->isDirty()) {
        try {
            m_document->load(row);
        } catch (const std::exception& e) {
            showError(tr("Cannot reload the refined mask: %1").arg(e.what()));
        }
    }
    m_review->add(row, tr("GrabCut box refinement"), summary);
}

bool MainWindow::openForReview(int row) {
    if (!showImage(row)) {
        m_reviewPanel->select(m_document->index());
        return false;
    }
    m_reviewDock->show();
    if (auto* coarse = findChild<QComboBox*>("coarseViewCombo"))
        coarse->setCurrentIndex(static_cast<int>(CoarseView::Beside));
    m_reviewPanel->select(row);
    return true;
}

} // namespace mf
