#include "mainwindow/mainwindow.h"

#include "reviewqueue/batchrefiner.h"
#include "canvas/canvas.h"
#include "dataset/classpalette.h"
#include "dataset/datasetmodel.h"
#include "dataset/datasetpanel.h"
#include "canvas/maskdocument.h"
#include "common/qtcv.h"
#include "tools/toolsettings.h"
#include "tools/boxrefinetool.h"
#include "tools/clicksegmenttool.h"
#include "tools/liveclassifiertool.h"
#include "tools/brushtool.h"
#include "tools/erasertool.h"
#include "tools/floodfilltool.h"
#include "tools/pickertool.h"
#include "tools/polygontool.h"
#include "tools/recttool.h"

#include <QActionGroup>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

namespace mf {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_document(new MaskDocument(this)), m_settings(new ToolSettings(this)), m_canvas(new Canvas(this)),
      m_batch(new BatchRefiner(this)), m_formatJob(new FormatJob(this)), m_autosave(new QTimer(this)) {
    setObjectName("MainWindow");
    initResources();
    setWindowIcon(appIcon());
    setCentralWidget(m_canvas);
    // The side columns run the full height; the bottom panels sit under the canvas only.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setDockOptions(dockOptions() | QMainWindow::AllowTabbedDocks | QMainWindow::GroupedDragging);
    m_canvas->setDocument(m_document);
    restoreToolSettings();
    createTools();
    createPanels();
    createReviewPanel();
    createMenus();
    createViewToolBar();
    createToolBars();
    createHelpMenu();
    createStatusBar();
    connect(m_document, &MaskDocument::dirtyChanged, this, &MainWindow::updateTitle);
    connect(m_document, &MaskDocument::entryChanged, m_dataset->model(), &DatasetModel::refreshRow);
    connect(m_canvas, &Canvas::cursorMoved, this, &MainWindow::cursorMoved);
    connect(m_canvas, &Canvas::classPicked, m_settings, &ToolSettings::setActiveClass);
    connect(m_autosave, &QTimer::timeout, this, [this] {
        try {
            m_document->autosave();
        } catch (const std::exception& e) {
            showError(tr("Autosave failed: %1").arg(e.what()));
        }
    });
    QSettings settings;
    m_autosave->start(1000 * settings.value("autosaveSeconds", 30).toInt());
    m_dirtyPolicy = settings.value("askBeforeSaving", false).toBool() ? DirtyPolicy::Ask : DirtyPolicy::Save;
    // A first start fills most of the screen but never more; a laptop's (under 900 px high) all of it:
    // at 90 % of 1366 px the Training dock between the side docks was cut off at "Export ch".
    const QRect screenArea = screen() ? screen()->availableGeometry() : QRect(0, 0, 1366, 768);
    // Shown maximised (startsMaximized), so that a window manager's title bar and frame do not push the
    // status bar off the screen; the size is for when there is no window manager to maximise.
    if (screenArea.height() < 900) {
        resize(screenArea.size());
        m_startMaximized = true;
    } else {
        resize(std::min(1400, screenArea.width() * 9 / 10), std::min(900, screenArea.height() * 9 / 10));
    }
    activateTool(m_tools.front());
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createTools() {
    m_boxTool = new BoxRefineTool(m_document, m_settings, this);
    m_clickTool = new ClickSegmentTool(m_document, m_settings, this);
    m_liveTool = new LiveClassifierTool(m_document, m_settings, this);
    m_tools = {new BrushTool(m_document, m_settings, this), new EraserTool(m_document, m_settings, this),
               new PolygonTool(m_document, m_settings, this), new RectTool(m_document, m_settings, this),
               new FloodFillTool(m_document, m_settings, this), new PickerTool(m_document, m_settings, this), m_boxTool,
               m_clickTool, m_liveTool};
    for (AbstractTool* t : m_tools)
        connect(t, &AbstractTool::statusTextChanged, this, [this, t](const QString& s) {
            if (m_canvas->tool() == t)
                statusBar()->showMessage(s);
        });
    connect(m_settings, &ToolSettings::brushRadiusChanged, this, [this] {
        if (m_canvas->tool())
            statusBar()->showMessage(m_canvas->tool()->statusText());
    });
    connect(m_boxTool, &BoxRefineTool::failed, this, &MainWindow::showError);
    connect(m_clickTool, &ClickSegmentTool::failed, this, &MainWindow::showError);
    connect(m_liveTool, &LiveClassifierTool::failed, this, &MainWindow::showError);
}

void MainWindow::activateTool(AbstractTool* tool) {
    m_canvas->setTool(tool);
    statusBar()->showMessage(tool->statusText());
    for (QAction* a : findChildren<QAction*>("toolAction"))
        if (a->data().value<QObject*>() == tool)
            a->setChecked(true);
}

void MainWindow::createPanels() {
    m_dataset = new DatasetPanel(this);
    m_palette = new ClassPalette(m_settings, this);
    auto* datasetDock = new QDockWidget(tr("Dataset"), this);
    datasetDock->setObjectName("DatasetDock");
    datasetDock->setWidget(m_dataset);
    auto* paletteDock = new QDockWidget(tr("Classes"), this);
    paletteDock->setObjectName("ClassesDock");
    paletteDock->setWidget(m_palette);
    addDockWidget(Qt::LeftDockWidgetArea, datasetDock);
    addDockWidget(Qt::RightDockWidgetArea, paletteDock);
    m_dataset->setMinimumWidth(260);
    connect(m_dataset, &DatasetPanel::imageActivated, this, &MainWindow::showImage);
    connect(m_dataset, &DatasetPanel::nextRequested, this, &MainWindow::showNextNeedingWork);
    connect(m_dataset, &DatasetPanel::statusRequested, this, &MainWindow::setImageStatus);
    connect(m_dataset->model(), &DatasetModel::headersChecked, this, [this](int problems) {
        if (problems > 0)
            statusBar()->showMessage(tr("%n image(s) cannot be used as they are: marked ⚠ in the dataset list (hover for why)",
                                        nullptr, problems));
    });
    connect(m_palette, &ClassPalette::classesChanged, this, &MainWindow::classesChanged);
    connect(m_palette, &ClassPalette::errorOccurred, this, &MainWindow::showError);
}

void MainWindow::createStatusBar() {
    m_posLabel = new QLabel(this);
    m_classLabel = new QLabel(this);
    m_zoomLabel = new QLabel(this);
    m_dirtyLabel = new QLabel(this);
    m_dirtyLabel->setObjectName("unsavedMarker");
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    for (QWidget* w : {static_cast<QWidget*>(m_progress), static_cast<QWidget*>(m_posLabel), static_cast<QWidget*>(m_classLabel),
                       static_cast<QWidget*>(m_zoomLabel), static_cast<QWidget*>(m_dirtyLabel)})
        statusBar()->addPermanentWidget(w);
    connect(m_canvas, &Canvas::zoomChanged, this, [this](double z) { m_zoomLabel->setText(QString("%1%").arg(qRound(z * 100))); });
    connect(m_batch, &BatchRefiner::progress, this, [this](int done, int total) {
        m_progress->setVisible(done < total);
        m_progress->setRange(0, total);
        m_progress->setValue(done);
    });
    connect(m_batch, &BatchRefiner::finished, this, [this](int refined, const QStringList& errors) {
        m_progress->hide();
        statusBar()->showMessage(tr("Refined %n image(s); review them in the Review queue panel", nullptr, refined));
        if (!errors.isEmpty())
            showError(errors.join('\n'));
    });
}

void MainWindow::cursorMoved(QPoint pos, int classId) {
    if (classId < 0) {
        m_posLabel->clear();
        m_classLabel->clear();
        return;
    }
    m_posLabel->setText(QString("x %1  y %2").arg(pos.x()).arg(pos.y()));
    const ClassInfo* c = m_project ? m_project->findClass(classId) : nullptr;
    m_classLabel->setText(c ? toQString(c->name) : QString::number(classId));
}

void MainWindow::classesChanged() {
    if (!m_project)
        return;
    m_canvas->setClassColours(*m_project);
    m_dataset->setProject(m_project.get());
    m_dataset->setCurrentRow(m_document->index());
}

void MainWindow::updateTitle() {
    const bool dirty = m_document->isDirty();
    m_dirtyLabel->setText(dirty ? tr("● unsaved") : QString());
    QString title = "MaskForge";
    if (m_project && m_document->isLoaded())
        title = QString("%1%2 - %3 - MaskForge")
                    .arg(toQString(m_project->images()[m_document->index()].image), dirty ? " *" : "",
                         toQString(m_project->name().empty() ? m_project->root() : m_project->name()));
    setWindowTitle(title);
}

void MainWindow::showError(const QString& message) {
    statusBar()->showMessage(message, 15000);
    if (m_interactive)
        QMessageBox::warning(this, tr("MaskForge"), message);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!resolveDirty()) {
        event->ignore();
        return;
    }
    m_formatJob->stopAndFinish();  // an import stops after its current image; the project saved agrees with its files
    m_batch->stop();
    m_document->discardAutosaved();
    saveLayout();
    event->accept();
}

} // namespace mf
