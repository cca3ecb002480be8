#include "tools/recttool.h"

#include "canvas/maskdocument.h"
#include "common/qtcv.h"
#include "tools/toolsettings.h"

#include <QPainter>

namespace mf {

void RectTool::mousePressed(const ToolEvent& e) {
    if (e.button != Qt::LeftButton)
        return;
    m_down = true;
    m_from = m_to = pixelAt(e.pos);
}

void RectTool::mouseMoved(const ToolEvent& e) {
    if (!m_down)
        return;
    const QRectF old = pixels();
    m_to = pixelAt(e.pos);
    refresh(old.united(pixels()).adjusted(-2, -2, 2, 2));
}

void RectTool::mouseReleased(const ToolEvent& e) {
    if (e.button != Qt::LeftButton || !m_down)
        return;
    m_down = false;
    m_to = pixelAt(e.pos);
    refresh(pixels().adjusted(-2, -2, 2, 2));
    // The pixels under the press and the release (as the status bar names them) and those between.
    document()->fillRect(pixelSpan(m_from, m_to), (e.modifiers & Qt::ShiftModifier) ? 0 : settings()->activeClass());
}

QRectF RectTool::pixels() const { return QRectF(pixelSpan(m_from, m_to)); }

void RectTool::paintPreview(QPainter& p) {
    if (!m_down)
        return;
    p.setBrush(QColor(255, 255, 255, 40));
    p.setPen(QPen(Qt::yellow, 0));
    p.drawRect(pixels());
}

} // namespace mf
