// BoxRefineTool: drawing or picking a box with the mouse, and the accept/reject keys.
#include "tools/boxrefinetool.h"

#include "edit/boximport.h"
#include "maskdocument.h"
#include "toolsettings.h"

#include <QKeyEvent>
#include <QPainter>

#include <cmath>

namespace mf {

void BoxRefineTool::mousePressed(const ToolEvent& e) {
    if (e.button != Qt::LeftButton || isBusy())
        return;
    m_dragging = true;
    m_drag = QRectF(e.pos, e.pos);
}

void BoxRefineTool::mouseMoved(const ToolEvent& e) {
    if (!m_dragging)
        return;
    const QRectF old = m_drag.normalized();
    m_drag.setBottomRight(e.pos);
    refresh(old.united(m_drag.normalized()).adjusted(-2, -2, 2, 2));
}

void BoxRefineTool::mouseReleased(const ToolEvent& e) {
    if (e.button != Qt::LeftButton || !m_dragging)
        return;
    m_dragging = false;
    m_drag.setBottomRight(e.pos);
    const QRect r = m_drag.normalized().toRect();
    refresh(m_drag.normalized().adjusted(-2, -2, 2, 2));
    if (r.width() >= 3 && r.height() >= 3) {
        refine({{settings()->activeClass(), cv::Rect(r.x(), r.y(), r.width(), r.height())}});
        return;
    }
    // A click: refine the coarse box under it.
    const cv::Point p(static_cast<int>(std::floor(e.pos.x())), static_cast<int>(std::floor(e.pos.y())));
    const Project* project = document()->project();
    if (!project)
        return;
    for (const DetectionBox& b : imageBoxes(*project, project->images()[document()->index()], document()->coarse()))
        if (b.rect.contains(p)) {
            refine({b});
            return;
        }
}

bool BoxRefineTool::keyPressed(QKeyEvent* e) {
    if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) && hasPreview()) {
        accept();
        return true;
    }
    if (e->key() == Qt::Key_Escape && (hasPreview() || m_dragging)) {
        m_dragging = false;
        reject();
        return true;
    }
    return false;
}

void BoxRefineTool::paintPreview(QPainter& p) {
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(QColor(255, 220, 0), 0, Qt::DashLine));
    if (m_dragging)
        p.drawRect(m_drag.normalized());
    for (const cv::Rect& b : m_pendingBoxes)
        p.drawRect(QRectF(b.x, b.y, b.width, b.height));
}

} // namespace mf
