// Screenshots of the studio for the README, taken from the running program (MainWindow + Studio,
// as app/gui/main.cpp builds them) during a real training run on a sample project. Not a test:
//   studio-screenshots <sample-project> <out-dir>
// Also prints the GUI event-loop delay measured while the run trains.
#include "screenshotutil.h"

#include "canvas/canvas.h"
#include "io/imageio.h"
#include "compare/compareview.h"
#include "mainwindow/mainwindow.h"
#include "reviewqueue/reviewpanel.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "canvas/maskdocument.h"
#include "predict/predictpanel.h"
#include "project/project.h"
#include "runs/runspanel.h"
#include "train/trainer.h"
#include "training/studio.h"
#include "training/trainingform.h"
#include "training/trainingpanel.h"
#include "training/trainingrunner.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace mf;
using namespace mf::test;

namespace {

TrainConfig baseConfig(const QString& data, const std::string& arch, int epochs) {
    TrainConfig c;
    c.data = data.toStdString();
    c.arch = arch, c.width = 16, c.depth = 3, c.size = 128, c.batch = 8, c.workers = 2;
    c.epochs = epochs, c.device = "cpu", c.lr = 3e-3;
    return c;
}

void trainOffline(const QString& data, const std::string& arch, const QString& out) {
    if (QFileInfo::exists(out + "/best.pt"))
        return;
    TrainConfig c = baseConfig(data, arch, 12);
    c.out = out.toStdString();
    const TrainResult r = train(c);
    std::printf("%s: %s\n", arch.c_str(), r.message.c_str());
}

/** Marks a few training images coarse (their mask is the box fill), as after importing boxes. */
void makeSomeCoarse(const QString& data) {
    Project p = Project::load(data.toStdString());
    int n = 0;
    for (ImageEntry& e : p.images())
        if (e.split == Split::Train && !e.coarse.empty() && n++ < 6)
            e.status = ImageStatus::Coarse;
    p.save();
}

/** The first image whose true mask holds at least `n` foreground classes (the error map says more). */
int imageWithClasses(const Project& p, int n) {
    for (int row = 0; row < static_cast<int>(p.images().size()); ++row) {
        const ImageEntry& e = p.images()[row];
        if (e.status != ImageStatus::Reviewed || e.mask.empty())
            continue;
        const cv::Mat mask = readMask(p.absolute(e.mask), MaskEncoding::Index);
        int classes = 0;
        for (int c = 1; c < 8; ++c)
            classes += cv::countNonZero(mask == c) > 0 ? 1 : 0;
        if (classes >= n)
            return row;
    }
    return 0;
}

/** The foreground class with the most predicted pixels (its heat map has something to show). */
int mostPredictedClass(const cv::Mat& labels) {
    int best = 1, bestCount = -1;
    for (int c = 1; c < 8; ++c) {
        const int count = labels.empty() ? 0 : cv::countNonZero(labels == c);
        if (count > bestCount)
            best = c, bestCount = count;
    }
    return best;
}

void save(QWidget* w, const QString& path) {
    settle(300);
    w->grab().save(path);
    std::printf("wrote %s\n", qPrintable(path));
}

/** Starts a real run from the training panel, measures the GUI event loop while it trains, and shoots
 *  the window and the panel. The run keeps going. */
void shootTraining(MainWindow& window, Studio* studio, const QString& data, const QString& out) {
    // A real training run from the panel; measure the event loop while it trains.
    studio->trainingDock()->raise();
    TrainingPanel* panel = studio->trainingPanel();
    settle(200);  // docks resize once the window is laid out
    window.resizeDocks({studio->trainingDock()}, {620}, Qt::Vertical);
    panel->form()->setConfig(baseConfig(data, "unet", 30));
    std::vector<double> late;
    QElapsedTimer clock;
    qint64 last = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last > 0) {
            late.push_back((now - last) / 1e6 - 10.0);
            if (late.back() > 40)  // name the stalls, so their cause can be found
                std::printf("  stall of %.0f ms ending at %.2f s\n", late.back(), now / 1e9);
        }
        last = now;
    });
    auto report = [&](const char* what) {
        std::sort(late.begin(), late.end());
        if (!late.empty())
            std::printf("event-loop delay %s over %zu ticks of a 10 ms timer: median %.1f ms, p95 %.1f ms, p99 %.1f ms, "
                        "worst %.1f ms\n", what, late.size(), late[late.size() / 2], late[late.size() * 95 / 100],
                        late[late.size() * 99 / 100], late.back());
        late.clear();
        last = 0;
    };
    clock.start();
    probe.start(10);
    settle(3000);  // the idle baseline: what the shared machine alone does to a timer
    report("idle (before training)");
    int epochs = 0;
    // Context objects scope the connections to this function: the run outlives it.
    QObject scope;
    QObject::connect(panel->runner(), &TrainingRunner::epochDone, &scope, [&] {
        ++epochs;
        std::printf("  epoch %d at %.2f s\n", epochs, clock.nsecsElapsed() / 1e9);
    });
    QObject::connect(panel->runner(), &TrainingRunner::started, &scope,
                     [&] { std::printf("  started at %.2f s\n", clock.nsecsElapsed() / 1e9); });
    if (!panel->startTraining())
        std::printf("could not start: %s\n", qPrintable(panel->lastError()));
    waitFor([&] { return epochs >= 3; }, 600000);
    report("during training");
    probe.stop();
    std::printf("epochs done while measuring: %d\n", epochs);
    save(&window, out + "/studio-training.png");
    QDockWidget* dock = studio->trainingDock();
    dock->setFloating(true);  // the panel at a size where the charts breathe
    dock->resize(1600, 820);
    save(dock, out + "/studio-training-panel.png");
    dock->setFloating(false);
    dock->raise();
}

/** A short run from the training panel to its end: the log's last lines say what calibration was fitted
 *  on and whether it was kept. The window at both sizes the README shows. */
void shootCalibratedRun(MainWindow& window, Studio* studio, const QString& data, const QString& out) {
    studio->trainingDock()->raise();
    TrainingPanel* panel = studio->trainingPanel();
    bool done = false;
    QObject scope;
    QObject::connect(panel->runner(), &TrainingRunner::finished, &scope, [&](const TrainResult& r) {
        std::printf("calibrated run: %s\n", r.message.c_str());
        done = true;
    });
    TrainConfig c = baseConfig(data, "unet", 2);
    c.out = (QDir(data).filePath("runs/calibrated")).toStdString();
    QDir(QString::fromStdString(c.out)).removeRecursively();
    panel->form()->setConfig(c);
    if (!panel->startTraining())
        std::printf("could not start: %s\n", qPrintable(panel->lastError()));
    waitFor([&] { return done; }, 600000);
    settle(500);
    auto* log = panel->findChild<QPlainTextEdit*>();
    for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
        window.resize(size);
        settle(300);
        // The panel as tall as the window allows, so that the log under the charts shows its last lines.
        window.resizeDocks({studio->trainingDock()}, {size.height() - 160}, Qt::Vertical);
        settle(300);
        for (int pass = 0; pass < 2; ++pass) {  // again once the charts have chosen their layout
            if (auto* area = studio->trainingDock()->findChild<QScrollArea*>("studio-training-scroll"); area && log)
                area->ensureWidgetVisible(log);
            settle(300);
        }
        if (log)
            log->verticalScrollBar()->setValue(log->verticalScrollBar()->maximum());
        save(&window, out + QString("/training-calibrated-%1x%2.png").arg(size.width()).arg(size.height()));
    }
}

/** Predictions on the canvas and the refinement review queue (training goes on meanwhile). */
void shootPredictions(MainWindow& window, Studio* studio, const QString& runs, const QString& out) {
    PredictPanel* predict = studio->predictPanel();
    predict->setRun(runs + "/unet-baseline");
    window.canvas()->setOverlayOpacity(0.0);  // the prediction alone, not the mask under it
    window.showImage(imageWithClasses(*window.project(), 3));
    QEventLoop loop;
    QObject::connect(predict->service(), &PredictionService::predicted, &loop, &QEventLoop::quit);
    predict->predictCurrent();
    loop.exec();
    predict->setMode(OverlayMode::Errors);
    predict->setOpacity(0.75);
    save(&window, out + "/studio-predict-errors.png");
    predict->setMode(OverlayMode::Heatmap);
    predict->setClassId(mostPredictedClass(predict->currentPrediction().labels));
    save(&window, out + "/studio-predict-heatmap.png");

    // Model-assisted refinement: proposals in the review queue, one previewed on the canvas.
    bool refined = false;
    QObject::connect(predict, &PredictPanel::batchDone, [&] { refined = true; });
    predict->refineCoarse();
    waitFor([&] { return refined; }, 120000);
    // The proposals join the window's one review queue; the first one is shown on the canvas.
    if (window.reviewQueue()->size() > 0)
        window.reviewPanel()->select(window.reviewQueue()->item(0).row);
    save(&window, out + "/studio-refine-review.png");

    studio->runsDock()->raise();
    studio->runsPanel()->refresh();
    save(&window, out + "/studio-runs.png");
}

/** The comparison window: encoder-decoder against U-Net. */
void shootCompare(Studio* studio, const QString& runs, const QString& out) {
    CompareView* compare = studio->compareView();
    compare->show();
    bool compared = false, shown = false;
    QObject::connect(compare, &CompareView::compared, [&] { compared = true; });
    QObject::connect(compare, &CompareView::imagesShown, [&] { shown = true; });
    compare->compare(runs + "/encdec-baseline", runs + "/unet-baseline");
    waitFor([&] { return compared; }, 300000);
    waitFor([&] { return shown; }, 60000);  // the view shows the image that differs most by itself
    save(compare, out + "/studio-compare.png");
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: studio-screenshots <sample-project> <out-dir> [calibration]\n");
        return 2;
    }
    const QString data = QDir(argv[1]).absolutePath(), out = argv[2];
    QDir().mkpath(out);
    const QString runs = QDir(data).filePath("runs");
    if (argc > 3 && QString(argv[3]) == "calibration") {  // only the calibrated-run screenshots
        MainWindow window;
        window.setInteractive(false);
        auto* studio = new Studio(&window);
        studio->setInteractive(false);
        window.show();
        window.openProject(data);
        shootCalibratedRun(window, studio, data, out);
        window.close();
        return 0;
    }
    trainOffline(data, "encdec", runs + "/encdec-baseline");
    trainOffline(data, "unet", runs + "/unet-baseline");
    makeSomeCoarse(data);

    MainWindow window;
    window.setInteractive(false);
    auto* studio = new Studio(&window);
    studio->setInteractive(false);
    window.resize(1600, 1000);
    window.show();
    window.openProject(data);

    shootTraining(window, studio, data, out);
    shootPredictions(window, studio, runs, out);
    shootCompare(studio, runs, out);
    studio->trainingPanel()->stopTraining();
    window.close();
    return 0;
}
