// MainWindow: the desktop around the canvas. Tool bars with icons, a dock layout that fits a laptop
// screen and comes back as it was left, remembered tool settings, and the keys that reach the window.
#include "mainwindow/mainwindow.h"

#include "canvas/canvas.h"
#include "dataset/classpalette.h"
#include "canvas/maskdocument.h"
#include "project/project.h"
#include "common/qtcv.h"
#include "tools/toolsettings.h"
#include "tools/abstracttool.h"

#include <QDockWidget>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QScreen>
#include <QCoreApplication>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QShowEvent>
#include <QSlider>
#include <QSpinBox>
#include <QToolBar>
#include <QToolButton>

#include <algorithm>

#include <cmath>

// Resources of a static library are registered by hand (the linker may drop their initialiser).
static void initMaskForgeResources() { Q_INIT_RESOURCE(maskforge); }

namespace mf {
namespace {

/** Brush sizes offered on the slider; the spin box goes further. */
constexpr int kSliderMaxSize = 200;
constexpr int kSpinMaxSize = 1024;

QPixmap swatch(const QColor& colour, int size) {
    QPixmap p(size, size);
    p.fill(colour);
    QPainter painter(&p);
    painter.setPen(QColor(40, 40, 40));
    painter.drawRect(0, 0, size - 1, size - 1);
    return p;
}

/** A dock's scroll area. In a side column (or floating) it scrolls down, never sideways: its minimum
 *  width is the content's plus the vertical scroll bar, so the bar appearing on a short screen does not
 *  take the content's last pixels (which showed a sideways bar under the Predictions dock at 1366x768).
 *  Along the bottom, where the run table and the charts are wider than a laptop's column, it keeps
 *  scrolling sideways. */
class DockScrollArea : public QScrollArea {
public:
    DockScrollArea(QDockWidget* dock) : QScrollArea(dock), m_dock(dock) {}
    QSize minimumSizeHint() const override {
        QSize s = QScrollArea::minimumSizeHint();
        const QWidget* content = widget();
        const auto* window = qobject_cast<const QMainWindow*>(m_dock->parentWidget());
        const Qt::DockWidgetArea area = window ? window->dockWidgetArea(m_dock) : Qt::NoDockWidgetArea;
        const bool column = m_dock->isFloating() || area == Qt::LeftDockWidgetArea || area == Qt::RightDockWidgetArea;
        if (content && column)
            s.setWidth(std::max(s.width(), content->minimumSizeHint().width() +
                                               verticalScrollBar()->sizeHint().width() + 2 * frameWidth()));
        return s;
    }

protected:
    /** QScrollArea re-fits its content when it is resized, not when the content's own layout changes: a
     *  word-wrapped message that grew to two lines kept one line's height (the Predictions dock's "Choose a
     *  trained run" at 1366x768, cut off at top and bottom). The content's layout requests are passed on. */
    bool eventFilter(QObject* o, QEvent* e) override {
        if (o == widget() && e->type() == QEvent::LayoutRequest)
            QCoreApplication::postEvent(this, new QEvent(QEvent::LayoutRequest));
        return QScrollArea::eventFilter(o, e);
    }

private:
    QDockWidget* m_dock;
};

/** Puts a dock's content in a scroll area, so a dock asks for little room and scrolls when the
 *  screen is small instead of forcing the window taller. */
void makeScrollable(QDockWidget* dock) {
    QWidget* content = dock->widget();
    if (!content || qobject_cast<QScrollArea*>(content))
        return;
    auto* scroll = new DockScrollArea(dock);
    scroll->setObjectName(dock->objectName() + "-scroll");
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    dock->setWidget(scroll);
    scroll->setWidget(content);
    content->installEventFilter(scroll);
}

} // namespace

void MainWindow::initResources() { initMaskForgeResources(); }

QIcon MainWindow::appIcon() {
    initMaskForgeResources();
    return QIcon(":/icons/maskforge.svg");
}

void MainWindow::createToolBars() {
    m_mainBar = addToolBar(tr("Main"));
    m_mainBar->setObjectName("MainToolBar");
    const std::pair<const char*, const char*> mainActions[] = {
        {"actionOpen", "open"}, {"actionSave", "save"}, {"actionUndo", "undo"}, {"actionRedo", "redo"},
        {"actionNextNeedingWork", "next"}};
    for (const auto& [name, icon] : mainActions)
        if (QAction* a = findChild<QAction*>(name)) {
            a->setIcon(QIcon(QString(":/icons/%1.svg").arg(icon)));
            m_mainBar->addAction(a);
        }
    m_mainBar->addSeparator();

    m_toolBar = addToolBar(tr("Tools"));
    m_toolBar->setObjectName("ToolsToolBar");
    for (QAction* a : findChildren<QAction*>("toolAction")) {
        auto* tool = qobject_cast<AbstractTool*>(a->data().value<QObject*>());
        a->setIcon(QIcon(tool->iconPath()));
        a->setToolTip(QString("%1 (%2)").arg(tool->name(), tool->shortcut().toString(QKeySequence::NativeText)));
        m_toolBar->addAction(a);
    }
    m_toolBar->addSeparator();
    createBrushSizeControl(m_toolBar);
    m_toolBar->addSeparator();
    m_classButton = new QToolButton(m_toolBar);
    m_classButton->setObjectName("activeClassButton");
    m_classButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_classButton->setPopupMode(QToolButton::InstantPopup);
    m_classButton->setFocusPolicy(Qt::NoFocus);
    m_classButton->setMenu(new QMenu(m_classButton));
    m_toolBar->addWidget(m_classButton);
    connect(m_settings, &ToolSettings::activeClassChanged, this, &MainWindow::updateClassSwatch);
    connect(m_document, &MaskDocument::loaded, this, &MainWindow::updateClassSwatch);
    connect(m_palette, &ClassPalette::classesChanged, this, &MainWindow::updateClassSwatch);
    updateClassSwatch();
    // Main actions and tools on the first row, the view settings on a second: on a 1366 px screen
    // nothing hides behind a tool bar's overflow arrow.
    if (auto* view = findChild<QToolBar*>("ViewToolBar")) {
        removeToolBar(view);
        addToolBarBreak();
        addToolBar(view);
        view->show();
    }
}

// Size in image pixels (the brush's diameter), as on the canvas outline.
void MainWindow::createBrushSizeControl(QToolBar* bar) {
    auto* label = new QLabel(tr(" Size "), bar);
    auto* slider = new QSlider(Qt::Horizontal, bar);
    slider->setObjectName("brushSizeSlider");
    slider->setRange(1, kSliderMaxSize);
    slider->setMaximumWidth(120);
    slider->setFocusPolicy(Qt::NoFocus);
    auto* spin = new QSpinBox(bar);
    spin->setObjectName("brushSizeSpin");
    spin->setRange(1, kSpinMaxSize);
    spin->setSuffix(tr(" px"));
    spin->setKeyboardTracking(false);
    const QString tip = tr("Brush size in image pixels (the circle under the cursor)");
    for (QWidget* w : {static_cast<QWidget*>(label), static_cast<QWidget*>(slider), static_cast<QWidget*>(spin)})
        w->setToolTip(tip);
    auto show = [slider, spin](float radius) {
        const int size = brushDiameter(radius);  // what a dab paints across
        const QSignalBlocker a(slider), b(spin);
        slider->setValue(std::min(size, kSliderMaxSize));
        spin->setValue(size);
    };
    show(m_settings->brushRadius());
    connect(m_settings, &ToolSettings::brushRadiusChanged, bar, show);
    connect(slider, &QSlider::valueChanged, this, [this](int size) { m_settings->setBrushRadius(size / 2.0f); });
    connect(spin, &QSpinBox::valueChanged, this, [this](int size) { m_settings->setBrushRadius(size / 2.0f); });
    bar->addWidget(label);
    bar->addWidget(slider);
    bar->addWidget(spin);
}

void MainWindow::updateClassSwatch() {
    if (!m_classButton)
        return;
    QMenu* menu = m_classButton->menu();
    menu->clear();
    const int active = m_settings->activeClass();
    const ClassInfo* current = m_project ? m_project->findClass(active) : nullptr;
    const int side = m_classButton->iconSize().height();
    if (current) {
        m_classButton->setIcon(QIcon(swatch(QColor(current->color[0], current->color[1], current->color[2]), side)));
        m_classButton->setText(toQString(current->name));
    } else {
        m_classButton->setIcon(QIcon(swatch(Qt::transparent, side)));
        m_classButton->setText(tr("class %1").arg(active));
    }
    m_classButton->setToolTip(tr("Active class: what the brush, polygon and fill paint (keys 0-9)"));
    if (!m_project)
        return;
    for (const ClassInfo& c : m_project->classes()) {
        QAction* a = menu->addAction(QIcon(swatch(QColor(c.color[0], c.color[1], c.color[2]), 16)), toQString(c.name));
        const int id = c.id;
        connect(a, &QAction::triggered, this, [this, id] { m_settings->setActiveClass(id); });
    }
}

// Tool settings outlive the session: brush size and fill options are what a person sets once.
void MainWindow::restoreToolSettings() {
    QSettings s;
    m_settings->setBrushRadius(s.value("tools/brushRadius", m_settings->brushRadius()).toFloat());
    FloodOptions flood = m_settings->flood();
    flood.source = s.value("tools/floodByColour", flood.source == FloodSource::ImageColour).toBool()
                       ? FloodSource::ImageColour
                       : FloodSource::MaskValue;
    flood.tolerance = s.value("tools/floodTolerance", flood.tolerance).toInt();
    m_settings->setFlood(flood);
    m_canvas->setOverlayOpacity(s.value("view/maskOpacity", m_canvas->overlayOpacity()).toDouble());
    connect(m_settings, &ToolSettings::brushRadiusChanged, this, [](float r) { QSettings().setValue("tools/brushRadius", r); });
    connect(m_settings, &ToolSettings::floodChanged, this, [this] {
        QSettings settings;
        settings.setValue("tools/floodByColour", m_settings->flood().source == FloodSource::ImageColour);
        settings.setValue("tools/floodTolerance", m_settings->flood().tolerance);
    });
}

void MainWindow::addPanel(QDockWidget* dock, Qt::DockWidgetArea area) {
    makeScrollable(dock);
    addDockWidget(area, dock);
    if (m_panelsMenu)
        m_panelsMenu->addAction(dock->toggleViewAction());
}

// Called once every dock exists (the studio adds its own after the window is built): the layout as
// built is the default that View > Reset layout returns to, then the saved one is applied.
void MainWindow::restoreLayout() {
    if (m_layoutRestored)
        return;
    m_layoutRestored = true;
    for (QDockWidget* d : findChildren<QDockWidget*>())
        if (d->objectName() != "ClassesDock")  // the palette shows all its classes, unscrolled
            makeScrollable(d);
    arrangeDefaultDocks();
    m_defaultState = saveState();
    m_defaultSize = size();
    QSettings s;
    if (restoreGeometry(s.value("window/geometry").toByteArray()))
        m_startMaximized = false;  // the last session's size and state win
    restoreState(s.value("window/state").toByteArray());
}

// The default arrangement, before any saved one: the review queue shares the place under the palette
// with the other right-hand docks (one tab each, the whole height, not a third of it), and on a screen
// under 900 px high (1366x768) the bottom docks start closed so the canvas keeps the window's height;
// Studio > Training panel (or starting a run) opens them.
void MainWindow::arrangeDefaultDocks() {
    for (QDockWidget* d : findChildren<QDockWidget*>())
        if (d != m_reviewDock && d->objectName() != "ClassesDock" && dockWidgetArea(d) == Qt::RightDockWidgetArea &&
            dockWidgetArea(m_reviewDock) == Qt::RightDockWidgetArea) {
            tabifyDockWidget(d, m_reviewDock);
            d->raise();
            break;
        }
    const QScreen* s = screen();
    if (!s || s->availableGeometry().height() >= 900)
        return;
    for (QDockWidget* d : findChildren<QDockWidget*>())
        if (dockWidgetArea(d) == Qt::BottomDockWidgetArea)
            d->hide();
}

void MainWindow::saveLayout() const {
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/state", saveState());
}

void MainWindow::resetLayout() {
    if (m_defaultState.isEmpty())
        return;
    restoreState(m_defaultState);
    if (!isMaximized() && !isFullScreen())
        resize(m_defaultSize);
    saveLayout();
}

void MainWindow::showEvent(QShowEvent* event) {
    restoreLayout();
    QMainWindow::showEvent(event);
}

// Enter, Escape and the like that no control took (a tool bar's spin box or combo box lets them
// through) go to the active tool, as if the canvas had focus: Enter accepts a GrabCut preview.
void MainWindow::keyPressEvent(QKeyEvent* event) {
    const int key = event->key();
    const bool toolKey = key == Qt::Key_Return || key == Qt::Key_Enter || key == Qt::Key_Escape;
    if (toolKey && m_canvas->tool() && m_canvas->tool()->keyPressed(event)) {
        event->accept();
        return;
    }
    QMainWindow::keyPressEvent(event);
}

} // namespace mf
