#pragma once
#include "tools/abstracttool.h"

namespace mf {

/** Class picker: a click makes the class under the cursor the active one (Alt+click does it in any tool). */
class PickerTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString name() const override { return tr("Class picker"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_I); }
    QString iconPath() const override { return ":/icons/picker.svg"; }
    QCursor cursor() const override { return Qt::PointingHandCursor; }
    QString statusText() const override { return tr("Click to pick the class under the cursor"); }
    void mousePressed(const ToolEvent& e) override;
};

} // namespace mf
