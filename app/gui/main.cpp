#include "mainwindow.h"

#include <QApplication>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("MaskForge");
    QApplication::setOrganizationName("MaskForge");
    mf::MainWindow window;
    window.show();
    return QApplication::exec();
}
