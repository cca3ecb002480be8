// MainWindow: menus, tool actions and the view toolbar.
#include "mainwindow/mainwindow.h"

#include "review/statusrules.h"

#include "reviewqueue/batchrefiner.h"
#include "canvas/canvas.h"
#include "canvas/maskdocument.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "tools/toolsettings.h"
#include "tools/boxrefinetool.h"

#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QToolBar>

namespace mf {

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New project..."), QKeySequence::New, this, &MainWindow::newProjectDialog)->setObjectName("actionNewProject");
    file->addAction(tr("&Open project..."), QKeySequence::Open, this, &MainWindow::openDialog)->setObjectName("actionOpen");
    m_recentMenu = file->addMenu(tr("Recent projects"));
    rebuildRecentMenu();
    file->addAction(tr("&Save mask"), QKeySequence::Save, this, [this] { save(); })->setObjectName("actionSave");
    file->addAction(tr("&Import..."), this, &MainWindow::importDialog)->setObjectName("actionImport");
    file->addAction(tr("&Export..."), this, &MainWindow::exportDialog)->setObjectName("actionExport");
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    createEditMenu();

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Fit to window"), QKeySequence(Qt::CTRL | Qt::Key_0), m_canvas, &Canvas::fitToWindow);
    view->addAction(tr("Actual size (100%)"), QKeySequence(Qt::CTRL | Qt::Key_1), m_canvas, &Canvas::actualSize);
    view->addAction(tr("Zoom in"), QKeySequence::ZoomIn, this, [this] { m_canvas->setZoom(m_canvas->zoom() * 1.25); });
    view->addAction(tr("Zoom out"), QKeySequence::ZoomOut, this, [this] { m_canvas->setZoom(m_canvas->zoom() / 1.25); });
    view->addSeparator();
    m_viewMenu = view;
    view->addAction(QIcon(":/icons/resetlayout.svg"), tr("&Reset layout"), this, &MainWindow::resetLayout)
        ->setObjectName("actionResetLayout");

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    auto* group = new QActionGroup(this);
    for (AbstractTool* t : m_tools) {
        QAction* a = tools->addAction(t->name(), this, [this, t] { activateTool(t); });
        a->setObjectName("toolAction");
        a->setData(QVariant::fromValue<QObject*>(t));
        a->setShortcut(t->shortcut());
        a->setCheckable(true);
        group->addAction(a);
    }
    tools->addSeparator();
    tools->addAction(tr("Refine all boxes of this image"), QKeySequence(Qt::SHIFT | Qt::Key_G), this, [this] {
        activateTool(m_boxTool);
        m_boxTool->refineAllBoxes();
    });
    tools->addAction(tr("Accept refinement"), this, [this] { m_boxTool->accept(); });
    tools->addAction(tr("Reject refinement"), this, [this] { m_boxTool->reject(); });
    tools->addAction(tr("Refine all coarse boxes in the dataset..."), this, &MainWindow::refineAllCoarse);
    createLiveActions(tools);
    m_panelsMenu = menuBar()->addMenu(tr("&Panels"));
    for (QDockWidget* d : findChildren<QDockWidget*>())
        m_panelsMenu->addAction(d->toggleViewAction());
}

void MainWindow::createEditMenu() {
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = edit->addAction(tr("&Undo"), QKeySequence::Undo, m_document, &MaskDocument::undo);
    QAction* redo = edit->addAction(tr("&Redo"), m_document, &MaskDocument::redo);
    undo->setObjectName("actionUndo");
    redo->setObjectName("actionRedo");
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    connect(m_document, &MaskDocument::undoStateChanged, this, [this, undo, redo] {
        undo->setEnabled(m_document->canUndo());
        redo->setEnabled(m_document->canRedo());
    });
    edit->addSeparator();
    // Only an image with a coarse (box-filled) mask has one to go back to: disabled on the others.
    QAction* revert = edit->addAction(tr("Revert to coarse mask"), this, [this] { m_document->revertToCoarse(); });
    revert->setObjectName("actionRevertToCoarse");
    revert->setStatusTip(tr("Replace the mask by the image's coarse box fill (one undo step); images without boxes have none"));
    revert->setEnabled(!m_document->coarse().empty());
    connect(m_document, &MaskDocument::loaded, revert, [this, revert] { revert->setEnabled(!m_document->coarse().empty()); });
    edit->addAction(tr("Mark reviewed and go to next"), QKeySequence(Qt::CTRL | Qt::Key_Return), this, [this] {
        if (!save())
            return;
        try {
            m_document->applyStatusEvent(StatusEvent::MarkedReviewed);
            m_review->remove(m_document->index());
        } catch (const std::exception& e) {
            showError(tr("Could not mark the image reviewed: %1").arg(e.what()));
            return;
        }
        showNextNeedingWork();
    });
    edit->addAction(tr("Next image needing work"), QKeySequence(Qt::Key_N), this, &MainWindow::showNextNeedingWork)
        ->setObjectName("actionNextNeedingWork");
    // Digits pick classes 1..9 (0 = background), as in most labelling tools.
    for (int k = 0; k <= 9; ++k) {
        auto* a = new QAction(k == 0 ? tr("Background class") : tr("Class %1").arg(k), this);
        a->setShortcut(QKeySequence(Qt::Key_0 + k));
        connect(a, &QAction::triggered, this, [this, k] {
            if (m_project && m_project->findClass(k))
                m_settings->setActiveClass(k);
        });
        addAction(a);
    }
}

void MainWindow::createViewToolBar() {
    QToolBar* bar = addToolBar(tr("View"));
    bar->setObjectName("ViewToolBar");
    QAction* shown = bar->addAction(tr("Mask"));
    shown->setObjectName("actionShowMask");
    shown->setCheckable(true);
    shown->setChecked(true);
    shown->setShortcut(QKeySequence(Qt::Key_H));
    shown->setToolTip(tr("Show the mask overlay (H)"));
    connect(shown, &QAction::toggled, m_canvas, &Canvas::setOverlayVisible);
    m_viewMenu->insertAction(m_viewMenu->actions().value(m_viewMenu->actions().size() - 2), shown);
    auto* opacity = new QSlider(Qt::Horizontal, bar);
    opacity->setObjectName("opacitySlider");
    opacity->setRange(0, 100);
    opacity->setValue(qRound(m_canvas->overlayOpacity() * 100));
    opacity->setMaximumWidth(140);
    opacity->setFocusPolicy(Qt::NoFocus);
    opacity->setToolTip(tr("Opacity of the mask overlay"));
    connect(opacity, &QSlider::valueChanged, this, [this](int v) {
        m_canvas->setOverlayOpacity(v / 100.0);
        QSettings().setValue("view/maskOpacity", v / 100.0);
    });
    auto* outline = new QAction(tr("Outline"), bar);
    outline->setObjectName("actionOutline");
    outline->setCheckable(true);
    outline->setShortcut(QKeySequence(Qt::Key_O));
    outline->setToolTip(tr("Draw only the outline of each region (O)"));
    connect(outline, &QAction::toggled, m_canvas, &Canvas::setOutlineOnly);
    m_viewMenu->insertAction(m_viewMenu->actions().value(m_viewMenu->actions().size() - 2), outline);
    auto* coarse = new QComboBox(bar);
    coarse->setObjectName("coarseViewCombo");
    coarse->addItems({tr("Coarse: hidden"), tr("Coarse: under"), tr("Coarse: beside")});
    connect(coarse, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_canvas->setCoarseView(static_cast<CoarseView>(i));
        m_canvas->fitToWindow();
    });
    auto* floodSource = new QComboBox(bar);
    floodSource->addItems({tr("Fill by mask"), tr("Fill by colour")});
    floodSource->setCurrentIndex(m_settings->flood().source == FloodSource::ImageColour ? 1 : 0);
    floodSource->setToolTip(tr("What the flood fill follows: the mask's regions or the image's colours"));
    auto* tolerance = new QSpinBox(bar);
    tolerance->setRange(0, 255);
    tolerance->setPrefix(tr("tol "));
    tolerance->setValue(m_settings->flood().tolerance);
    tolerance->setToolTip(tr("Colour tolerance of the flood fill"));
    auto floodChanged = [this, floodSource, tolerance] {
        FloodOptions o = m_settings->flood();
        o.source = floodSource->currentIndex() == 0 ? FloodSource::MaskValue : FloodSource::ImageColour;
        o.tolerance = tolerance->value();
        m_settings->setFlood(o);
    };
    connect(floodSource, &QComboBox::currentIndexChanged, this, floodChanged);
    connect(tolerance, &QSpinBox::valueChanged, this, floodChanged);
    bar->addWidget(new QLabel(tr(" Opacity "), bar));
    bar->addWidget(opacity);
    bar->addAction(outline);
    bar->addWidget(coarse);
    bar->addSeparator();
    bar->addWidget(floodSource);
    bar->addWidget(tolerance);
}

} // namespace mf
