#pragma once
#include <QMainWindow>

namespace mf {

/** MaskForge's main window: the canvas in the centre, panels docked around it. */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace mf
