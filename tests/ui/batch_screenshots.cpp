// Not a test: screenshots of "Refine all coarse boxes" choosing per class on a project's reviewed images
// (issue 18), from the running program; run it under Xvfb at 1366x768 and at 1920x1080.
// Usage: batch-screenshots <project> <out.png>
#include "screenshotutil.h"

#include "reviewqueue/batchrefinedialog.h"
#include "reviewqueue/batchrefiner.h"
#include "canvas/canvas.h"
#include "mainwindow/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScreen>

#include <cstdio>

using namespace mf;
using namespace mf::test;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: batch-screenshots <project> <out.png>\n");
        return 2;
    }
    MainWindow w;
    w.setInteractive(false);
    w.move(0, 0);
    const QSize screen = QApplication::primaryScreen()->availableSize();
    w.restoreLayout();  // before the size, as app/gui/main.cpp: the docks laid out as a user sees them
    w.resize(screen);
    w.show();
    if (!w.openProject(argv[1]) || !w.showImage(0))
        return 1;
    w.canvas()->fitToWindow();
    bool done = false;
    QObject::connect(w.batchRefiner(), &BatchRefiner::finished, [&] { done = true; });
    QElapsedTimer clock;
    clock.start();
    w.refineAllCoarse();
    if (!waitFor([&] { return done; }, 900000))
        return 1;
    std::printf("batch (%s) finished in %.1f s\n", w.batchRefiner()->mode() == BatchRefiner::Mode::Auto ? "auto" : "GrabCut",
                clock.elapsed() / 1000.0);
    BatchRefineDialog* d = w.batchRefineDialog();
    const QSize size(std::min(screen.width() - 80, 1000), std::min(screen.height() - 80, 560));
    d->resize(size);
    d->move((screen.width() - size.width()) / 2, (screen.height() - size.height()) / 2);
    d->raise();
    shot(argv[2], 800);
    return 0;
}
