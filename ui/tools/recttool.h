#pragma once
#include "tools/abstracttool.h"

#include <QRectF>

namespace mf {

/** Rectangle fill: drag a rectangle; it fills with the active class (Shift: background). */
class RectTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString name() const override { return tr("Rectangle fill"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_R); }
    QString iconPath() const override { return ":/icons/rectangle.svg"; }
    QString statusText() const override { return tr("Drag a rectangle to fill it; Shift fills background"); }
    void mousePressed(const ToolEvent& e) override;
    void mouseMoved(const ToolEvent& e) override;
    void mouseReleased(const ToolEvent& e) override;
    void paintPreview(QPainter& p) override;

private:
    /** The pixel rectangle from m_from to m_to, both included, in image coordinates. */
    QRectF pixels() const;

    QPoint m_from, m_to;
    bool m_down = false;
};

} // namespace mf
