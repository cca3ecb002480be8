#include "tools/polygontool.h"

#include "canvas/maskdocument.h"
#include "tools/toolsettings.h"

#include <QKeyEvent>
#include <QPainter>

namespace mf {

QString PolygonTool::statusText() const {
    return tr("Click corners, double-click or Enter to fill; or drag a lasso. Shift fills background, Esc cancels");
}

void PolygonTool::deactivate() {
    cancel();
    AbstractTool::deactivate();
}

void PolygonTool::mousePressed(const ToolEvent& e) {
    if (e.button == Qt::RightButton) {
        cancel();
        return;
    }
    if (e.button != Qt::LeftButton)
        return;
    m_dragging = true;
    m_lasso = m_points.isEmpty();  // a drag that starts a new outline is a lasso
    m_points << e.pos;
    refreshAll();
}

void PolygonTool::mouseMoved(const ToolEvent& e) {
    m_hover = e.pos;
    // Lasso: points follow the cursor while dragging (every ~1.5 px keeps the outline smooth and short).
    if (m_dragging && m_lasso && QLineF(m_points.last(), e.pos).length() > 1.5)
        m_points << e.pos;
    if (!m_points.isEmpty())
        refreshAll();
}

void PolygonTool::mouseReleased(const ToolEvent& e) {
    if (e.button != Qt::LeftButton || !m_dragging)
        return;
    m_dragging = false;
    if (m_lasso && m_points.size() > 3)
        finish(e.modifiers & Qt::ShiftModifier);
    else
        m_lasso = false;  // a click: polygon mode, keep collecting corners
}

void PolygonTool::mouseDoubleClicked(const ToolEvent& e) {
    if (m_points.size() >= 3)
        finish(e.modifiers & Qt::ShiftModifier);
}

bool PolygonTool::keyPressed(QKeyEvent* e) {
    if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) && m_points.size() >= 3) {
        finish(e->modifiers() & Qt::ShiftModifier);
        return true;
    }
    if (e->key() == Qt::Key_Escape && !m_points.isEmpty()) {
        cancel();
        return true;
    }
    return false;
}

void PolygonTool::finish(bool background) {
    QPolygonF poly = m_points;
    // A double-click also delivered a press at the last corner: drop the duplicate.
    if (poly.size() > 3 && QLineF(poly[poly.size() - 1], poly[poly.size() - 2]).length() < 0.5)
        poly.removeLast();
    cancel();
    document()->fillPolygon(poly, background ? 0 : settings()->activeClass());
}

void PolygonTool::cancel() {
    refreshAll();
    m_points.clear();
    m_dragging = m_lasso = false;
}

void PolygonTool::refreshAll() {
    QPolygonF all = m_points;
    all << m_hover;
    refresh(all.boundingRect().adjusted(-3, -3, 3, 3));
}

void PolygonTool::paintPreview(QPainter& p) {
    if (m_points.isEmpty())
        return;
    QPolygonF outline = m_points;
    if (!m_lasso)
        outline << m_hover;
    p.setBrush(QColor(255, 255, 255, 40));
    p.setPen(QPen(Qt::yellow, 0));
    p.drawPolygon(outline);
}

} // namespace mf
