#include "training/studio.h"

#include "canvas/canvas.h"
#include "compare/compareview.h"
#include "interactive/clickprior.h"
#include "mainwindow/mainwindow.h"
#include "canvas/maskdocument.h"
#include "predict/predictpanel.h"
#include "runs/runspanel.h"
#include "tools/clicksegmenttool.h"
#include "training/trainingpanel.h"
#include "training/trainingrunner.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QStatusBar>
#include <QToolBar>

#include <algorithm>
#include <filesystem>

namespace mf {
namespace {

QDockWidget* dock(const QString& title, const QString& name, QWidget* content, QWidget* parent) {
    auto* d = new QDockWidget(title, parent);
    d->setObjectName(name);
    d->setWidget(content);
    return d;
}

} // namespace

Studio::Studio(MainWindow* window)
    : QObject(window), m_window(window), m_training(new TrainingPanel), m_runs(new RunsPanel), m_predict(new PredictPanel) {
    createDocks();
    createMenu();
    connectPanels();
    m_window->installEventFilter(this);
    connect(m_window->document(), &MaskDocument::loaded, this, &Studio::followDocument);
    connect(m_window, &MainWindow::projectChanged, this, &Studio::setProject);
    if (m_window->project())
        setProject(m_window->project());
}

void Studio::createDocks() {
    m_trainingDock = dock(tr("Training"), "studio-training", m_training, m_window);
    m_runsDock = dock(tr("Runs"), "studio-runs", m_runs, m_window);
    m_predictDock = dock(tr("Predictions"), "studio-predictions", m_predict, m_window);
    m_window->addPanel(m_trainingDock, Qt::BottomDockWidgetArea);
    m_window->addPanel(m_runsDock, Qt::BottomDockWidgetArea);
    m_window->addPanel(m_predictDock, Qt::RightDockWidgetArea);
    m_window->tabifyDockWidget(m_trainingDock, m_runsDock);
    m_trainingDock->raise();
}

void Studio::createMenu() {
    auto* menu = new QMenu(tr("&Studio"), m_window->menuBar());
    QMenu* help = m_window->helpMenu();
    m_window->menuBar()->insertMenu(help ? help->menuAction() : nullptr, menu);
    menu->addAction(tr("&Training panel"), this, [this] { m_trainingDock->show(), m_trainingDock->raise(); });
    menu->addAction(tr("&Runs"), this, [this] { m_runsDock->show(), m_runsDock->raise(); });
    menu->addAction(tr("&Predictions"), this, [this] { m_predictDock->show(), m_predictDock->raise(); });
    menu->addSeparator();
    QAction* predict = menu->addAction(QIcon(":/icons/predict.svg"), tr("Predict current image"), QKeySequence(tr("Ctrl+P")),
                                       m_predict, &PredictPanel::predictCurrent);
    QAction* compare = menu->addAction(QIcon(":/icons/compare.svg"), tr("&Compare runs…"), this, [this] { showCompare({}, {}); });
    QAction* start = menu->addAction(QIcon(":/icons/train.svg"), tr("Start training"), m_training, [this] {
        m_trainingDock->show(), m_trainingDock->raise();
        m_training->startTraining();
    });
    QAction* stop = menu->addAction(QIcon(":/icons/stop.svg"), tr("Stop training"), m_training, &TrainingPanel::stopTraining);
    // The prediction is a layer of its own on the canvas, shown or hidden apart from the mask.
    QAction* layer = new QAction(tr("Prediction layer"), this);
    layer->setObjectName("actionShowPrediction");
    layer->setCheckable(true);
    layer->setChecked(true);
    layer->setShortcut(QKeySequence(Qt::Key_J));
    layer->setToolTip(tr("Show the prediction layer (J); its opacity is set in the Predictions panel"));
    connect(layer, &QAction::toggled, this, [this](bool on) { m_window->canvas()->setLayerVisible("prediction", on); });
    menu->addAction(layer);
    if (auto* view = m_window->findChild<QToolBar*>("ViewToolBar"))
        view->insertAction(view->actions().value(1), layer);
    if (QToolBar* bar = m_window->mainToolBar()) {
        start->setObjectName("actionStartTraining");
        for (QAction* a : {start, stop, predict, compare})
            bar->addAction(a);
    }
}

void Studio::connectPanels() {
    // Model-assisted clicks: the model's probability of the active class, where the Predictions panel
    // holds its prediction of the image the click tool works on, is the click cut's prior.
    m_window->clickSegmentTool()->setPriorSource([this](int row, int classId) -> cv::Mat {
        const ImagePrediction& p = m_predict->currentPrediction();
        if (p.row != row || !p.error.isEmpty() || !m_window->document()->isLoaded())
            return {};
        return classPrior(p.probabilities, classId, m_window->document()->image().size());
    });
    connect(m_predict, &PredictPanel::overlayChanged, this, [this](const QImage& overlay, double opacity) {
        m_window->canvas()->setLayer("prediction", overlay, opacity);
    });
    connect(m_predict, &PredictPanel::openImageRequested, m_window, &MainWindow::showImage);
    connect(m_predict, &PredictPanel::proposalReady, m_window, &MainWindow::queueProposal);
    connect(m_predict, &PredictPanel::trainOnRequested, this, [this](const QString& data) {
        m_training->setProject(data);
        m_trainingDock->show(), m_trainingDock->raise();
    });
    connect(m_predict, &PredictPanel::message, m_window->statusBar(), [this](const QString& t) {
        m_window->statusBar()->showMessage(t, 5000);
    });
    connect(m_training, &TrainingPanel::runFinished, this, [this] {
        m_runs->setActiveRun({});
        m_predict->refreshRuns();
    });
    connect(m_training, &TrainingPanel::runStarted, m_runs, &RunsPanel::setActiveRun);
    // The trainer writes config.yaml before it says it started: from then on the run is listed.
    connect(m_training->runner(), &TrainingRunner::started, m_runs, &RunsPanel::refresh);
    connect(m_training->runner(), &TrainingRunner::epochDone, m_runs, &RunsPanel::refresh);
    connect(m_runs, &RunsPanel::compareRequested, this, &Studio::showCompare);
    connect(m_runs, &RunsPanel::predictRequested, this, [this](const QString& run) {
        m_predict->setRun(run);
        m_predictDock->show(), m_predictDock->raise();
    });
    connect(m_runs, &RunsPanel::errorOccurred, this, [this](const QString& t) { m_window->statusBar()->showMessage(t, 8000); });
}

void Studio::followDocument() {
    MaskDocument* doc = m_window->document();
    if (doc->project() != m_project)
        setProject(doc->project());
    m_predict->setCurrentRow(doc->index());
}

void Studio::setProject(Project* project) {
    m_project = project;
    m_predict->setProject(project);
    m_window->canvas()->setLayer("prediction", QImage());
    if (!project)
        return;
    const QString root = QString::fromStdString(project->root());
    m_training->setProject(root);
    m_runs->setRunsDir(QDir(root).filePath("runs"));
    if (m_compare)
        m_compare->setRunsDir(QDir(root).filePath("runs"));
}

CompareView* Studio::compareView() {
    if (!m_compare) {
        m_compare = new CompareView(m_window);
        m_compare->setWindowFlag(Qt::Window);
        m_compare->setWindowTitle(tr("MaskForge — compare runs"));
        // As large as it was designed for, but never larger than the screen it opens on (1366x768).
        const QRect screen = m_window->screen() ? m_window->screen()->availableGeometry() : QRect(0, 0, 1500, 950);
        m_compare->resize(std::min(1500, screen.width() * 9 / 10), std::min(950, screen.height() * 9 / 10));
        if (m_project)
            m_compare->setRunsDir(QDir(QString::fromStdString(m_project->root())).filePath("runs"));
    }
    return m_compare;
}

void Studio::showCompare(const QString& runA, const QString& runB) {
    CompareView* view = compareView();
    view->show();
    view->raise();
    if (!runA.isEmpty() && !runB.isEmpty())
        view->compare(runA, runB);
}

bool Studio::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_window && event->type() == QEvent::Close && m_training->isTraining()) {
        if (!m_training->stopBeforeClose(m_interactive)) {
            event->ignore();
            return true;  // the person chose to keep training: the window stays
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace mf
