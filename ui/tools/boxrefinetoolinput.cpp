// BoxRefineTool: drawing or picking a box with the mouse, and the accept/reject keys.
#include "tools/boxrefinetool.h"

#include "edit/boximport.h"
#include "canvas/maskdocument.h"
#include "common/qtcv.h"
#include "tools/toolsettings.h"

#include <QKeyEvent>
#include <QPainter>

namespace mf {

void BoxRefineTool::mousePressed(const ToolEvent& e) {
    if (e.button != Qt::LeftButton || isBusy())
        return;
    m_dragging = true;
    m_dragFrom = m_dragTo = pixelAt(e.pos);
}

void BoxRefineTool::mouseMoved(const ToolEvent& e) {
    if (!m_dragging)
        return;
    const QRectF old = dragPixels();
    m_dragTo = pixelAt(e.pos);
    refresh(old.united(dragPixels()).adjusted(-2, -2, 2, 2));
}

void BoxRefineTool::mouseReleased(const ToolEvent& e) {
    if (e.button != Qt::LeftButton || !m_dragging)
        return;
    m_dragging = false;
    m_dragTo = pixelAt(e.pos);
    // The pixels under the press and the release and those between, as the rectangle tool fills them.
    const QRect r = pixelSpan(m_dragFrom, m_dragTo);
    refresh(dragPixels().adjusted(-2, -2, 2, 2));
    if (r.width() >= 3 && r.height() >= 3) {
        refine({{settings()->activeClass(), cv::Rect(r.x(), r.y(), r.width(), r.height())}});
        return;
    }
    // A click: refine the coarse box under it.
    const cv::Point p = toCvPoint(pixelAt(e.pos));
    const Project* project = document()->project();
    if (!project)
        return;
    for (const DetectionBox& b : imageBoxes(*project, project->images()[document()->index()], document()->coarse(),
                                               document()->image().size()))
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

QRectF BoxRefineTool::dragPixels() const { return QRectF(pixelSpan(m_dragFrom, m_dragTo)); }

void BoxRefineTool::paintPreview(QPainter& p) {
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(QColor(255, 220, 0), 0, Qt::DashLine));
    if (m_dragging)
        p.drawRect(dragPixels());
    for (const cv::Rect& b : m_pendingBoxes)
        p.drawRect(QRectF(b.x, b.y, b.width, b.height));
}

} // namespace mf
