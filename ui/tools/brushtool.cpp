#include "tools/brushtool.h"

#include "edit/maskpainter.h"
#include "canvas/maskdocument.h"
#include "tools/toolsettings.h"

#include <QKeyEvent>
#include <QPainter>

namespace mf {

QString BrushTool::statusText() const {
    return tr("%1 radius %2 px - drag to paint, [ and ] resize, Alt+click picks a class")
        .arg(name())
        .arg(settings()->brushRadius(), 0, 'f', 1);
}

int BrushTool::paintValue() const { return settings()->activeClass(); }

void BrushTool::deactivate() {
    if (m_down)
        document()->endStroke(strokeLabel());
    m_down = false;
    refreshCursor(QPointF(-1e9, -1e9));
    AbstractTool::deactivate();
}

void BrushTool::mousePressed(const ToolEvent& e) {
    if (e.button != Qt::LeftButton)
        return;
    m_down = true;
    m_last = e.pos;
    document()->paintDab(e.pos, settings()->brushRadius(), paintValue());
}

void BrushTool::mouseMoved(const ToolEvent& e) {
    refreshCursor(e.pos);
    if (!m_down)
        return;
    document()->paintSegment(m_last, e.pos, settings()->brushRadius(), paintValue());
    m_last = e.pos;
}

void BrushTool::mouseReleased(const ToolEvent& e) {
    if (e.button != Qt::LeftButton || !m_down)
        return;
    m_down = false;
    document()->endStroke(strokeLabel());
}

bool resizeBrushByKey(ToolSettings* settings, int key) {
    const float r = settings->brushRadius();
    if (key == Qt::Key_BracketLeft)
        settings->setBrushRadius(r > 4 ? r / 1.25f : r - 1);
    else if (key == Qt::Key_BracketRight)
        settings->setBrushRadius(r >= 4 ? r * 1.25f : r + 1);
    else
        return false;
    return true;
}

bool BrushTool::keyPressed(QKeyEvent* e) {
    if (!resizeBrushByKey(settings(), e->key()))
        return false;
    Q_EMIT statusTextChanged(statusText());
    refreshCursor(m_hover);
    return true;
}

void BrushTool::refreshCursor(QPointF pos) {
    const float r = settings()->brushRadius() * 1.3f + 2;
    refresh(QRectF(m_hover - QPointF(r, r), QSizeF(2 * r, 2 * r)));
    m_hover = pos;
    refresh(QRectF(m_hover - QPointF(r, r), QSizeF(2 * r, 2 * r)));
}

void BrushTool::paintPreview(QPainter& p) {
    if (m_hover.x() < -1e8)
        return;
    drawBrushOutline(p, m_hover, settings()->brushRadius());
}

void drawBrushOutline(QPainter& p, QPointF hover, float radius) {
    const double r = brushDiameter(radius) / 2.0;
    const cv::Point2f centre = dabCentre(cv::Point2f(static_cast<float>(hover.x()), static_cast<float>(hover.y())), radius);
    const QPointF c(centre.x, centre.y);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(Qt::white, 0));
    p.drawEllipse(c, r, r);
    p.setPen(QPen(Qt::black, 0, Qt::DotLine));
    p.drawEllipse(c, r, r);
}

} // namespace mf
