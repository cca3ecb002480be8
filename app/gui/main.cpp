#include "mainwindow/mainwindow.h"
#include "training/studio.h"
#include "machine/cpucache.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv) {
    mf::installCpuCache();  // before any thread: activations reused instead of page-faulted in again
    QApplication app(argc, argv);
    QApplication::setApplicationName("MaskForge");
    QApplication::setOrganizationName("MaskForge");
    QApplication::setApplicationVersion(MF_VERSION);
    QApplication::setDesktopFileName("io.github.maskforge.MaskForge");
    QApplication::setWindowIcon(mf::MainWindow::appIcon());
    QCommandLineParser args;
    args.setApplicationDescription("MaskForge: paint, fix and review segmentation masks.");
    args.addHelpOption();
    args.addVersionOption();
    args.addPositionalArgument("path", "A project folder, its maskforge.json, or a dataset folder to open.", "[PATH]");
    args.process(app);
    mf::MainWindow window;
    new mf::Studio(&window);  // owned by the window
    window.restoreLayout();   // every dock exists now, the studio's included
    if (window.startsMaximized())
        window.showMaximized();
    else
        window.show();
    if (!args.positionalArguments().isEmpty())
        window.openProject(args.positionalArguments().first());
    return QApplication::exec();
}
