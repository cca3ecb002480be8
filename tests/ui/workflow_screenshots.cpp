// Not a test: screenshots of the workflow states on a --workflow sample, from the running program (run it
// under Xvfb): the one review queue holding GrabCut and model proposals, and the dataset list's status
// menu. Usage: workflow-screenshots <workflow-sample> <out-dir>
#include "screenshotutil.h"

#include "reviewqueue/batchrefiner.h"
#include "canvas/canvas.h"
#include "dataset/datasetpanel.h"
#include "mainwindow/mainwindow.h"
#include "reviewqueue/batchrefinedialog.h"
#include "predict/predictpanel.h"
#include "reviewqueue/reviewpanel.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "train/trainer.h"
#include "training/studio.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QListView>
#include <QMenu>
#include <QScreen>
#include <QTimer>

#include <cstdio>

using namespace mf;
using namespace mf::test;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: workflow-screenshots <workflow-sample> <out-dir>\n");
        return 2;
    }
    const QString sample = argv[1], out = argv[2];
    QDir().mkpath(out);
    // A tiny model, so the queue also holds proposals of a run.
    TrainConfig c;
    c.data = sample.toStdString();
    c.arch = "unet";
    c.width = 16;
    c.depth = 3;
    c.size = 128;
    c.batch = 4;
    c.workers = 1;
    c.epochs = 12;
    c.lr = 3e-3;
    c.device = "cpu";
    c.threads = 2;
    c.out = QDir(sample).filePath("runs/unet-tiny").toStdString();
    if (!QDir(QString::fromStdString(c.out)).exists() && train(c).status != TrainResult::Status::Finished)
        return 1;

    MainWindow w;
    w.setInteractive(false);
    auto* studio = new Studio(&w);
    studio->setInteractive(false);
    w.move(0, 0);
    w.restoreLayout();  // before the size, as app/gui/main.cpp: the docks laid out as a user sees them
    w.resize(QApplication::primaryScreen()->availableSize());
    w.show();
    if (!w.openProject(sample))
        return 1;
    // Step 5 with a model: its proposals for the coarse images join the queue (origin: the run).
    PredictPanel* predict = studio->predictPanel();
    predict->refreshRuns();
    predict->setRun(QString::fromStdString(c.out));
    bool refined = false;
    QObject::connect(predict, &PredictPanel::batchDone, [&] { refined = true; });
    predict->refineCoarse();
    waitFor([&] { return refined; }, 120000);
    // Step 4 for the unlabelled images (boxes to coarse), then GrabCut over the new coarse ones.
    if (!w.importBoxes(QDir(sample).filePath("boxes")))
        return 1;
    bool batchDone = false;
    QObject::connect(w.batchRefiner(), &BatchRefiner::finished, [&] { batchDone = true; });
    w.refineAllCoarse();
    waitFor([&] { return batchDone; }, 120000);
    std::printf("queue: %d entries\n", w.reviewQueue()->size());
    for (int i = 0; i < w.reviewQueue()->size(); ++i)
        std::printf("  %d %s: %s\n", w.reviewQueue()->item(i).row, qPrintable(w.reviewQueue()->item(i).reason),
                    qPrintable(w.reviewQueue()->item(i).summary));
    // Room for the queue: the Predictions dock aside; a GrabCut entry open, the coarse mask beside.
    studio->predictDock()->hide();
    studio->trainingDock()->hide();
    studio->runsDock()->hide();
    if (w.batchRefineDialog())
        w.batchRefineDialog()->hide();  // its Close button: the canvas behind it is what this shot shows
    if (w.reviewQueue()->size() > 0)
        w.reviewPanel()->select(w.reviewQueue()->item(w.reviewQueue()->size() - 1).row);
    w.canvas()->fitToWindow();
    shot(out + "/07-review-queue-origins.png");

    // The status menu on a row of the dataset list.
    QListView* view = w.datasetPanel()->view();
    const QModelIndex row = view->model()->index(view->currentIndex().row() + 1, 0);  // a visible one (no filter: rows match)
    QMenu* menu = w.datasetPanel()->statusMenu(row.row());
    QTimer::singleShot(600, [&] {
        shot(out + "/08-status-menu.png");
        menu->close();
    });
    menu->exec(view->viewport()->mapToGlobal(view->visualRect(row).center()));
    return 0;
}
