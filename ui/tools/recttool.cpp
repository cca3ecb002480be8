#include "tools/recttool.h"

#include "maskdocument.h"
#include "toolsettings.h"

#include <QPainter>

namespace mf {

void RectTool::mousePressed(const ToolEvent& e) {
    if (e.button != Qt::LeftButton)
        return;
    m_down = true;
    m_rect = QRectF(e.pos, e.pos);
}

void RectTool::mouseMoved(const ToolEvent& e) {
    if (!m_down)
        return;
    const QRectF old = m_rect.normalized();
    m_rect.setBottomRight(e.pos);
    refresh(old.united(m_rect.normalized()).adjusted(-2, -2, 2, 2));
}

void RectTool::mouseReleased(const ToolEvent& e) {
    if (e.button != Qt::LeftButton || !m_down)
        return;
    m_down = false;
    m_rect.setBottomRight(e.pos);
    const QRectF r = m_rect.normalized();
    refresh(r.adjusted(-2, -2, 2, 2));
    // Pixel centres inside the dragged rectangle are filled.
    const QRect px(QPoint(qRound(r.left()), qRound(r.top())), QPoint(qRound(r.right()) - 1, qRound(r.bottom()) - 1));
    if (px.width() > 0 && px.height() > 0)
        document()->fillRect(px, (e.modifiers & Qt::ShiftModifier) ? 0 : settings()->activeClass());
}

void RectTool::paintPreview(QPainter& p) {
    if (!m_down)
        return;
    p.setBrush(QColor(255, 255, 255, 40));
    p.setPen(QPen(Qt::yellow, 0));
    p.drawRect(m_rect.normalized());
}

} // namespace mf
