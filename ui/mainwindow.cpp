#include "mainwindow.h"

#include <QLabel>
#include <QStatusBar>

namespace mf {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("MaskForge");
    auto* canvas = new QLabel(tr("Open a project to start labelling"), this);
    canvas->setAlignment(Qt::AlignCenter);
    setCentralWidget(canvas);
    statusBar()->showMessage(tr("Ready"));
    resize(1280, 800);
}

} // namespace mf
