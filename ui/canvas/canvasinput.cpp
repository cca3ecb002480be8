// Canvas: mouse, wheel and key handling (pan, zoom, alt-click class picking, forwarding to the tool).
#include "canvas/canvas.h"

#include "canvas/maskdocument.h"
#include "tools/abstracttool.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

namespace mf {

namespace {
ToolEvent toolEvent(const Canvas& c, const QMouseEvent* e) {
    return {c.widgetToImage(e->position()), e->button(), e->buttons(), e->modifiers()};
}
} // namespace

void Canvas::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        setZoom(m_zoom * std::pow(1.25, steps), event->position());
    event->accept();
}

bool Canvas::beginPan(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_panning = true;
        m_panStart = event->position();
        setCursor(Qt::ClosedHandCursor);
        return true;
    }
    return false;
}

void Canvas::mousePressEvent(QMouseEvent* event) {
    setFocus();
    if (beginPan(event) || !m_document || !m_document->isLoaded())
        return;
    if (event->button() == Qt::LeftButton && (event->modifiers() & Qt::AltModifier)) {
        const int cls = m_document->classAt(pixelAt(widgetToImage(event->position())));
        if (cls >= 0)
            Q_EMIT classPicked(cls);
        return;
    }
    if (m_tool)
        m_tool->mousePressed(toolEvent(*this, event));
}

void Canvas::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        m_offset += event->position() - m_panStart;
        m_panStart = event->position();
        update();
        return;
    }
    if (!m_document || !m_document->isLoaded())
        return;
    const QPoint px = pixelAt(widgetToImage(event->position()));
    Q_EMIT cursorMoved(px, m_document->classAt(px));
    if (m_tool)
        m_tool->mouseMoved(toolEvent(*this, event));
}

void Canvas::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        m_panning = false;
        updateCursor();
        return;
    }
    if (m_tool && m_document && m_document->isLoaded())
        m_tool->mouseReleased(toolEvent(*this, event));
}

void Canvas::mouseDoubleClickEvent(QMouseEvent* event) {
    if (m_tool && m_document && m_document->isLoaded())
        m_tool->mouseDoubleClicked(toolEvent(*this, event));
}

void Canvas::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        setCursor(Qt::OpenHandCursor);
        return;
    }
    if (m_tool && m_tool->keyPressed(event))
        return;
    QWidget::keyPressEvent(event);
}

void Canvas::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        updateCursor();
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void Canvas::leaveEvent(QEvent*) {
    Q_EMIT cursorMoved(QPoint(-1, -1), -1);
}

void Canvas::updateCursor() {
    setCursor(m_spaceHeld ? QCursor(Qt::OpenHandCursor) : m_tool ? m_tool->cursor() : QCursor(Qt::ArrowCursor));
}

} // namespace mf
