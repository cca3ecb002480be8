// Opening a large project in the GUI: how long until the first image is on the canvas. Generates
// the synthetic sample project (10,000 images of 64² by default) once in the temporary folder, then
// times MainWindow::openProject (which reads the project, shows image 0 and returns; thumbnails load
// later, one background job at a time, as rows are shown) plus the event processing that paints it.
// Usage: QT_QPA_PLATFORM=offscreen build/benchmarks/bench_open [count] [side]
#include "mainwindow/mainwindow.h"
#include "sample/samplegenerator.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int side = argc > 2 ? std::atoi(argv[2]) : 64;
    const QString dir = QDir::temp().filePath(QString("mf_bench_open_%1_%2").arg(count).arg(side));
    if (!QFileInfo::exists(QDir(dir).filePath("maskforge.json"))) {
        QElapsedTimer make;
        make.start();
        mf::SampleOptions o;
        o.outDir = dir.toStdString();
        o.count = count;
        o.size = side;
        mf::makeSampleProject(o);
        std::printf("generated %d images of %d² in %.1f s: %s\n", count, side, make.elapsed() / 1000.0,
                    qPrintable(dir));
    }
    for (int round = 0; round < 3; ++round) {
        mf::MainWindow window;
        window.setInteractive(false);
        window.resize(1200, 800);
        window.show();
        QApplication::processEvents();
        QElapsedTimer t;
        t.start();
        const bool ok = window.openProject(dir);
        const double opened = t.nsecsElapsed() / 1e6;
        QApplication::processEvents();  // the first paint of the canvas and of the visible list rows
        const double painted = t.nsecsElapsed() / 1e6;
        std::printf("round %d: openProject %s in %.0f ms, first image painted after %.0f ms\n", round + 1,
                    ok ? "succeeded" : "FAILED", opened, painted);
        if (!ok)
            return 1;
    }
    return 0;
}
