#include "predict/imagepane.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cmath>

namespace mf {

ImagePane::ImagePane(QWidget* parent) : QWidget(parent) {
    setMinimumSize(160, 160);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ImagePane::setImage(const QImage& image) {
    const bool newSize = image.size() != m_image.size();
    m_image = image;
    if (newSize)
        m_fitted = false;
    update();
}

void ImagePane::setOverlay(const QImage& overlay) {
    m_overlay = overlay;
    update();
}

void ImagePane::setOpacity(double opacity) {
    m_opacity = opacity;
    update();
}

void ImagePane::setTitle(const QString& title) {
    m_title = title;
    update();
}

void ImagePane::setView(double zoom, QPointF offset) {
    m_zoom = zoom, m_offset = offset, m_fitted = true;
    update();
}

void ImagePane::fit() {
    if (m_image.isNull() || width() <= 0 || height() <= 0)
        return;
    m_zoom = std::min(width() / double(m_image.width()), height() / double(m_image.height()));
    m_offset = QPointF((width() - m_image.width() * m_zoom) / 2, (height() - m_image.height() * m_zoom) / 2);
    m_fitted = true;
    update();
}

void ImagePane::paintEvent(QPaintEvent*) {
    if (!m_fitted)
        fit();
    QPainter p(this);
    p.fillRect(rect(), QColor(40, 40, 40));
    if (!m_image.isNull()) {
        const QRectF target(m_offset, QSizeF(m_image.width() * m_zoom, m_image.height() * m_zoom));
        // Nearest-neighbour when zoomed in: label pixels should look like pixels.
        p.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 1.0);
        p.drawImage(target, m_image);
        if (!m_overlay.isNull()) {
            p.setOpacity(m_opacity);
            p.drawImage(target, m_overlay);
            p.setOpacity(1.0);
        }
    }
    if (!m_title.isEmpty()) {
        const QRect box(4, 4, fontMetrics().horizontalAdvance(m_title) + 10, fontMetrics().height() + 4);
        p.fillRect(box, QColor(0, 0, 0, 160));
        p.setPen(Qt::white);
        p.drawText(box, Qt::AlignCenter, m_title);
    }
}

void ImagePane::wheelEvent(QWheelEvent* event) {
    const double factor = std::pow(1.0015, event->angleDelta().y());
    const QPointF anchor = event->position();
    const double zoom = std::clamp(m_zoom * factor, 0.05, 64.0);
    m_offset = anchor - (anchor - m_offset) * (zoom / m_zoom);
    m_zoom = zoom;
    update();
    Q_EMIT viewChanged(m_zoom, m_offset);
}

void ImagePane::mousePressEvent(QMouseEvent* event) { m_dragStart = event->position() - m_offset; }

void ImagePane::mouseMoveEvent(QMouseEvent* event) {
    if (!(event->buttons() & (Qt::LeftButton | Qt::MiddleButton)))
        return;
    m_offset = event->position() - m_dragStart;
    update();
    Q_EMIT viewChanged(m_zoom, m_offset);
}

void ImagePane::resizeEvent(QResizeEvent*) {
    if (!m_fitted)
        fit();
}

void synchroniseViews(const QList<ImagePane*>& panes) {
    for (ImagePane* from : panes)
        for (ImagePane* to : panes)
            if (from != to)
                QObject::connect(from, &ImagePane::viewChanged, to, &ImagePane::setView);
}

} // namespace mf
