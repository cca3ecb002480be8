// The README's whole-window screenshots, taken from the running program on a real X server (run it
// under xvfb-run at the screen size wanted). Not a test:
//   desktop-screenshots <sample-project> <out.png> [shortcut-sheet.png]
// Builds the window as app/gui/main.cpp does (MainWindow + Studio, layout restored), fills the
// screen, opens the sample, shows the newest run's charts when the sample has runs/, then
// grabs the whole screen.
#include "canvas/canvas.h"
#include "mainwindow/mainwindow.h"
#include "predict/predictpanel.h"
#include "runs/runspanel.h"
#include "charts/trainingcharts.h"
#include "tools/toolsettings.h"
#include "training/studio.h"
#include "training/trainingpanel.h"

#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QScreen>
#include <QSettings>
#include <QTemporaryDir>

#include <cstdio>

using namespace mf;

namespace {

void settle(int ms) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

/** The newest run folder of the sample, or empty. */
QString newestRun(const QString& sample) {
    const QFileInfoList runs = QDir(QDir(sample).filePath("runs")).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time);
    return runs.isEmpty() ? QString() : runs.first().absoluteFilePath();
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: desktop-screenshots <sample-project> <out.png>\n");
        return 2;
    }
    QTemporaryDir settingsDir;  // a first start: no layout or tool settings of anyone's
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QApplication::setOrganizationName("MaskForgeScreenshots");
    QApplication::setWindowIcon(MainWindow::appIcon());
    const QString sample = QDir(argv[1]).absolutePath();

    MainWindow window;
    window.setInteractive(false);
    auto* studio = new Studio(&window);
    studio->setInteractive(false);
    window.restoreLayout();
    window.setGeometry(QGuiApplication::primaryScreen()->availableGeometry());  // no window manager under Xvfb
    window.show();
    if (!window.openProject(sample))
        return 1;
    window.showImage(3);
    window.toolSettings()->setActiveClass(2);
    window.toolSettings()->setBrushRadius(12);
    settle(500);
    if (const QString run = newestRun(sample); !run.isEmpty()) {
        studio->trainingPanel()->charts()->loadRun(run);
        studio->runsPanel()->refresh();
        studio->predictPanel()->setRun(run);
    }
    // The brush outline follows the mouse: put the pointer over the image.
    Canvas* canvas = window.canvas();
    const QPointF at = canvas->imageToWidget(QPointF(90, 80));
    QMouseEvent move(QEvent::MouseMove, at, canvas->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(canvas, &move);
    settle(1500);
    bool ok = QGuiApplication::primaryScreen()->grabWindow(0).save(argv[2]);
    if (argc > 3) {  // also the shortcut sheet, as Help > Keyboard shortcuts shows it
        window.showShortcuts();
        settle(800);
        if (auto* sheet = window.findChild<QDialog*>("shortcutSheet"))
            ok &= sheet->grab().save(argv[3]);
    }
    std::printf("%s %dx%d: %s\n", argv[2], window.width(), window.height(), ok ? "saved" : "FAILED");
    window.close();
    return ok ? 0 : 1;
}
