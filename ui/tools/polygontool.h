#pragma once
#include "tools/abstracttool.h"

#include <QPolygonF>

namespace mf {

/** Polygon fill (click the corners, double-click or Enter closes) and lasso fill (drag a free outline,
 *  release closes). Right-click or Escape cancels. Fills with the active class; Shift fills background. */
class PolygonTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString name() const override { return tr("Polygon / lasso"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_P); }
    QString iconPath() const override { return ":/icons/polygon.svg"; }
    QString statusText() const override;
    void deactivate() override;
    void mousePressed(const ToolEvent& e) override;
    void mouseMoved(const ToolEvent& e) override;
    void mouseReleased(const ToolEvent& e) override;
    void mouseDoubleClicked(const ToolEvent& e) override;
    bool keyPressed(QKeyEvent* e) override;
    void paintPreview(QPainter& p) override;
    const QPolygonF& points() const { return m_points; }

private:
    void finish(bool background);
    void cancel();
    void refreshAll();
    QPolygonF m_points;
    QPointF m_hover;
    bool m_dragging = false, m_lasso = false;
};

} // namespace mf
