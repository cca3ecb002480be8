// Screenshots for the docs, taken from the running MainWindow: mf_screenshots SAMPLE_DIR OUT_DIR.
#include "reviewqueue/batchrefiner.h"
#include "canvas/canvas.h"
#include "dataset/datasetpanel.h"
#include "mainwindow/mainwindow.h"
#include "canvas/maskdocument.h"
#include "reviewqueue/reviewpanel.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "tools/toolsettings.h"
#include "tools/boxrefinetool.h"
#include "training/studio.h"

#include <QApplication>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QMouseEvent>
#include <QTimer>

using namespace mf;

namespace {
void settle(int ms = 300) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);  // lets lazy thumbnails arrive before the grab
    loop.exec();
}
void shot(MainWindow& w, const QString& file) {
    settle();
    w.grab().save(file);
}
void mouse(Canvas* c, QEvent::Type type, QPointF image, Qt::MouseButtons buttons) {
    const QPointF p = c->imageToWidget(image);
    QMouseEvent e(type, p, c->mapToGlobal(p), type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons, Qt::NoModifier);
    QApplication::sendEvent(c, &e);
}
AbstractTool* tool(MainWindow& w, const QString& name) {
    for (AbstractTool* t : w.tools())
        if (t->name() == name)
            return t;
    return nullptr;
}
} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("MaskForgeScreenshots");
    if (argc < 3)
        return 2;
    const QString out = argv[2];
    QDir().mkpath(out);
    MainWindow w;
    w.setInteractive(false);
    // Laid out as app/gui/main.cpp does (the studio's docks exist, then the layout), the studio's docks then
    // hidden: without them the Dataset dock was squeezed to 155 px and scrolled sideways.
    auto* studio = new Studio(&w);
    studio->setInteractive(false);
    w.restoreLayout();
    studio->predictDock()->hide();
    studio->trainingDock()->hide();
    studio->runsDock()->hide();
    w.resize(1500, 940);
    w.show();
    if (!w.openProject(argv[1]))
        return 1;
    // The first ten images are taken back to unlabelled so the import makes them coarse:
    // they need work (05) and feed the batch refinement and its review queue (06).
    for (int row = 0; row < 10; ++row) {
        w.project()->images()[row].mask.clear();
        w.project()->images()[row].status = ImageStatus::Unlabelled;
    }
    if (!w.importBoxes(QString(argv[1]) + "/boxes"))
        return 1;
    w.showImage(3);
    w.canvas()->fitToWindow();
    shot(w, out + "/01-project-open.png");

    // Brush stroke in progress (mouse still down, brush outline visible).
    w.activateTool(tool(w, "Brush"));
    w.toolSettings()->setActiveClass(2);
    w.toolSettings()->setBrushRadius(6);
    mouse(w.canvas(), QEvent::MouseButtonPress, {40, 200}, Qt::LeftButton);
    for (int i = 1; i <= 30; ++i)
        mouse(w.canvas(), QEvent::MouseMove, {40.0 + i * 4, 200.0 + 12 * std::sin(i / 4.0)}, Qt::LeftButton);
    shot(w, out + "/02-brush.png");
    mouse(w.canvas(), QEvent::MouseButtonRelease, {160, 200}, Qt::NoButton);
    w.document()->undo();

    // Box refinement: coarse boxes beside, GrabCut preview on the left.
    w.document()->revertToCoarse();
    for (QComboBox* c : w.findChildren<QComboBox*>())
        if (c->itemText(2).startsWith("Coarse"))
            c->setCurrentIndex(2);
    w.activateTool(w.boxRefineTool());
    QEventLoop wait;
    QObject::connect(w.boxRefineTool(), &BoxRefineTool::previewReady, &wait, &QEventLoop::quit);
    w.boxRefineTool()->refineAllBoxes();
    wait.exec();
    shot(w, out + "/03-box-refinement-preview.png");
    w.boxRefineTool()->accept();
    w.findChild<QAction*>("actionOutline")->setChecked(true);
    shot(w, out + "/04-refined-outline.png");
    w.document()->undo();
    w.document()->undo();
    w.findChild<QAction*>("actionOutline")->setChecked(false);
    for (QComboBox* c : w.findChildren<QComboBox*>())
        if (c->itemText(2).startsWith("Coarse"))
            c->setCurrentIndex(0);
    w.datasetPanel()->setStatusFilter(-2);
    w.canvas()->setZoom(4.0, w.canvas()->imageToWidget({128, 128}));
    shot(w, out + "/05-zoomed-needing-work.png");

    // Batch refinement of the imported boxes, then the review queue with the coarse mask beside.
    w.datasetPanel()->setStatusFilter(-1);
    QEventLoop batch;
    QObject::connect(w.batchRefiner(), &BatchRefiner::finished, &batch, &QEventLoop::quit);
    w.refineAllCoarse();
    if (!w.batchRefiner()->isRunning())
        return 1;
    batch.exec();
    w.reviewPanel()->select(w.reviewQueue()->item(2).row);
    w.canvas()->fitToWindow();
    shot(w, out + "/06-review-queue.png");
    return 0;
}
