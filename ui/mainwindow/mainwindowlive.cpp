// MainWindow: the live classifier's menu actions and "Predict all unlabelled images" (a worker whose
// proposals join the one review queue).
#include "mainwindow/mainwindow.h"

#include "canvas/maskdocument.h"
#include "common/qtcv.h"
#include "review/liveproposals.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "tools/liveclassifiertool.h"
#include "tools/toolsettings.h"

#include <QMenu>
#include <QProgressBar>
#include <QStatusBar>
#include <QtConcurrent>

namespace mf {

void MainWindow::createLiveActions(QMenu* tools) {
    tools->addSeparator();
    QAction* all = tools->addAction(tr("Accept live proposal"), this, [this] { m_liveTool->acceptAll(); });
    all->setObjectName("actionLiveAcceptAll");
    tools->addAction(tr("Accept live proposal of the active class"), this,
                     [this] { m_liveTool->acceptClass(m_settings->activeClass()); })
        ->setObjectName("actionLiveAcceptClass");
    tools->addAction(tr("Clear live-classifier strokes of this image"), this, [this] { m_liveTool->clearStrokes(); })
        ->setObjectName("actionLiveClearStrokes");
    QAction* predict = tools->addAction(tr("Predict all unlabelled images (live classifier)"), this,
                                        &MainWindow::predictAllUnlabelled);
    predict->setObjectName("actionLivePredictAll");
    predict->setToolTip(tr("Trains the live classifier on the strokes of every image and queues a proposal for each "
                           "unlabelled image for review"));
    m_livePredict = new QFutureWatcher<std::shared_ptr<LiveProposals>>(this);
    connect(m_livePredict, &QFutureWatcherBase::finished, this, &MainWindow::livePredictionFinished);
    // Another project (or none): the running prediction stops, and what it wrote is not queued here.
    connect(this, &MainWindow::projectChanged, this, [this] {
        if (m_livePredictCancel)
            *m_livePredictCancel = true;
    });
}

// Until its result is handled, not merely until the worker ends: the queue is filled in the handler.
bool MainWindow::isPredictingUnlabelled() const { return !m_livePredictRoot.empty(); }

bool MainWindow::predictAllUnlabelled() {
    if (!m_project || isPredictingUnlabelled())
        return false;
    m_livePredictCancel = std::make_shared<std::atomic<bool>>(false);
    m_livePredictRoot = m_project->root();
    statusBar()->showMessage(tr("Live classifier: predicting the unlabelled images..."));
    m_progress->setRange(0, 0);
    m_progress->show();
    // Copies: the worker never sees the open project or queue, which the GUI goes on changing.
    m_livePredict->setFuture(QtConcurrent::run([project = *m_project, queue = m_review->queue(), cancel = m_livePredictCancel] {
        auto out = std::make_shared<LiveProposals>();
        *out = proposeUnlabelled(project, queue, {}, cancel.get());
        return out;
    }));
    return true;
}

void MainWindow::livePredictionFinished() {
    m_progress->hide();
    const std::string root = m_livePredictRoot;
    m_livePredictRoot.clear();
    std::shared_ptr<LiveProposals> p;
    try {
        p = m_livePredict->result();
    } catch (const std::exception& e) {
        showError(tr("Predict all unlabelled images: %1").arg(e.what()));
        return;
    }
    if (!m_project || m_project->root() != root || p->cancelled) {
        statusBar()->showMessage(tr("Live prediction stopped; nothing queued"), 5000);
        return;
    }
    QList<ReviewEntry> entries(p->entries.begin(), p->entries.end());
    queueProposals(entries);
    QString msg = tr("Live classifier (strokes on %n image(s)): ", nullptr, p->strokedImages) +
                  tr("%n proposal(s) queued for review", nullptr, static_cast<int>(entries.size()));
    if (!p->problems.empty())
        msg += tr("; %n image(s) skipped, first: %1", nullptr, static_cast<int>(p->problems.size()))
                   .arg(toQString(p->problems.front().file + ": " + p->problems.front().message));
    statusBar()->showMessage(msg, 10000);
}

} // namespace mf
