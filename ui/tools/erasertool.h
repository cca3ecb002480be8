#pragma once
#include "tools/brushtool.h"

namespace mf {

/** The brush painting background (0): erases labels. */
class EraserTool : public BrushTool {
    Q_OBJECT
public:
    using BrushTool::BrushTool;
    QString name() const override { return tr("Eraser"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_E); }
    QString iconPath() const override { return ":/icons/eraser.svg"; }

protected:
    int paintValue() const override { return 0; }
    QString strokeLabel() const override { return tr("Erase stroke"); }
};

} // namespace mf
