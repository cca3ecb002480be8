#pragma once
#include "tools/abstracttool.h"

namespace mf {

/** Flood fill of the connected region under the click, comparing the mask's class (default) or the
 *  image's colour with the tolerance from ToolSettings. */
class FloodFillTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString name() const override { return tr("Flood fill"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_F); }
    QString iconPath() const override { return ":/icons/floodfill.svg"; }
    QString statusText() const override;
    void mousePressed(const ToolEvent& e) override;
};

} // namespace mf
