#include "canvas/canvas.h"

#include "canvas/maskdocument.h"
#include "project/project.h"
#include "tools/abstracttool.h"

#include <QKeyEvent>
#include <QPainter>
#include <QPaintEvent>

#include <cmath>

namespace mf {

namespace {
constexpr double kMinZoom = 0.02, kMaxZoom = 64.0;
constexpr int kBesideGap = 16;
} // namespace

Canvas::Canvas(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 150);
}

void Canvas::setDocument(MaskDocument* document) {
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    connect(document, &MaskDocument::loaded, this, &Canvas::documentLoaded);
    connect(document, &MaskDocument::maskChanged, this, &Canvas::maskChanged);
    documentLoaded();
}

void Canvas::setTool(AbstractTool* tool) {
    if (m_tool)
        m_tool->deactivate();
    m_tool = tool;
    if (m_tool)
        m_tool->activate(this);
    updateCursor();
    update();
}

void Canvas::setClassColours(const Project& project) {
    m_lut.fill(0);
    for (const ClassInfo& c : project.classes())
        if (c.id > 0 && c.id < 255)
            m_lut[c.id] = qRgb(c.color[0], c.color[1], c.color[2]);
    m_lut[project.ignoreIndex() & 0xff] = qRgba(128, 128, 128, 255);
    m_lut[0] = 0;
    rebuildOverlays();
}

void Canvas::documentLoaded() {
    m_layers.clear();
    rebuildOverlays();
    m_fitPending = true;
    if (isVisible() && width() > 0)
        fitToWindow();
    update();
}

void Canvas::rebuildOverlays() {
    if (!m_document || !m_document->isLoaded()) {
        m_overlay = m_coarseOverlay = QImage();
        update();
        return;
    }
    const cv::Mat& mask = m_document->mask();
    m_overlay = QImage(mask.cols, mask.rows, QImage::Format_ARGB32_Premultiplied);
    colourizeMask(mask, {0, 0, mask.cols, mask.rows}, m_lut, m_outline, m_overlay);
    m_coarseOverlay = QImage();
    if (!m_document->coarse().empty()) {
        const cv::Mat& c = m_document->coarse();
        m_coarseOverlay = QImage(c.cols, c.rows, QImage::Format_ARGB32_Premultiplied);
        colourizeMask(c, {0, 0, c.cols, c.rows}, m_lut, false, m_coarseOverlay);
    }
    update();
}

void Canvas::maskChanged(const QRect& rect) {
    if (m_overlay.isNull())
        return;
    // An outline depends on the neighbours: recolour one pixel more on each side.
    const QRect r = m_outline ? rect.adjusted(-1, -1, 1, 1) : rect;
    colourizeMask(m_document->mask(), toCvRect(r), m_lut, m_outline, m_overlay);
    updateImageRect(r);
}

QRect Canvas::imageRectToWidget(const QRect& r) const {
    const QPointF tl = imageToWidget(r.topLeft()), br = imageToWidget(QPointF(r.x() + r.width(), r.y() + r.height()));
    return QRectF(tl, br).toAlignedRect().adjusted(-1, -1, 1, 1);
}

void Canvas::updateImageRect(const QRectF& r) {
    update(imageRectToWidget(r.toAlignedRect()));
    if (m_coarseView == CoarseView::Beside)
        update(imageRectToWidget(r.toAlignedRect().translated(m_overlay.width() + kBesideGap, 0)));
}

void Canvas::setZoom(double zoom, QPointF anchor) {
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    const QPointF fixed = widgetToImage(anchor);
    m_zoom = zoom;
    m_offset = anchor - fixed * m_zoom;
    m_fitPending = false;
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void Canvas::fitToWindow() {
    if (!m_document || !m_document->isLoaded())
        return;
    QSizeF content = m_document->size();
    if (m_coarseView == CoarseView::Beside)
        content.setWidth(content.width() * 2 + kBesideGap);
    const double z = std::min((width() - 20) / content.width(), (height() - 20) / content.height());
    m_zoom = std::clamp(z, kMinZoom, kMaxZoom);
    m_offset = QPointF((width() - content.width() * m_zoom) / 2, (height() - content.height() * m_zoom) / 2);
    m_fitPending = false;
    update();
    Q_EMIT zoomChanged(m_zoom);
}

void Canvas::resizeEvent(QResizeEvent*) {
    if (m_fitPending)
        fitToWindow();
}

void Canvas::setOverlayOpacity(double opacity) {
    m_opacity = std::clamp(opacity, 0.0, 1.0);
    update();
}

void Canvas::setOverlayVisible(bool visible) {
    m_overlayVisible = visible;
    update();
}

void Canvas::setOutlineOnly(bool outline) {
    if (outline == m_outline)
        return;
    m_outline = outline;
    rebuildOverlays();
}

void Canvas::setCoarseView(CoarseView view) {
    m_coarseView = view;
    update();
}

void Canvas::setLayer(const QString& name, const QImage& image, double opacity) {
    if (image.isNull())
        m_layers.remove(name);
    else
        m_layers[name] = {image, opacity};
    update();
}

void Canvas::setLayerPatch(const QString& name, QPoint at, const QImage& patch, double opacity) {
    if (!m_document || !m_document->isLoaded() || patch.isNull())
        return;
    Layer& layer = m_layers[name];
    layer.opacity = opacity;
    if (layer.image.size() != m_document->imageQ().size()) {
        layer.image = QImage(m_document->imageQ().size(), QImage::Format_ARGB32_Premultiplied);
        layer.image.fill(Qt::transparent);
    }
    QPainter p(&layer.image);
    p.setCompositionMode(QPainter::CompositionMode_Source);
    p.drawImage(at, patch);
    p.end();
    updateImageRect(QRectF(at, patch.size()));
}

QRect Canvas::visibleImageRect() const {
    if (!m_document || !m_document->isLoaded())
        return {};
    const QRectF shown(widgetToImage(QPointF(0, 0)), widgetToImage(QPointF(width(), height())));
    return shown.toAlignedRect() & m_document->imageQ().rect();
}

void Canvas::setLayerVisible(const QString& name, bool visible) {
    if (visible)
        m_hiddenLayers.remove(name);
    else
        m_hiddenLayers.insert(name);
    update();
}

void Canvas::drawImageLayers(QPainter& p, const QRectF& visible, bool coarseCopy) {
    const QRect src = visible.toAlignedRect().adjusted(-1, -1, 1, 1) & m_document->imageQ().rect();
    if (src.isEmpty())
        return;
    p.drawImage(src.topLeft(), m_document->imageQ(), src);
    if (m_overlayVisible) {
        if ((coarseCopy || m_coarseView == CoarseView::Under) && !m_coarseOverlay.isNull()) {
            p.setOpacity(coarseCopy ? m_opacity : m_opacity * 0.45);
            p.drawImage(src.topLeft(), m_coarseOverlay, src);
        }
        if (!coarseCopy) {
            p.setOpacity(m_outline ? 1.0 : m_opacity);
            p.drawImage(src.topLeft(), m_overlay, src);
        }
    }
    // The extra layers (a prediction, a refinement preview) are layers of their own: hiding the
    // mask or changing its opacity leaves them as they are.
    if (!coarseCopy)
        for (auto it = m_layers.cbegin(); it != m_layers.cend(); ++it)
            if (!m_hiddenLayers.contains(it.key())) {
                p.setOpacity(it->opacity);
                p.drawImage(src.topLeft(), it->image, src & it->image.rect());
            }
    p.setOpacity(1.0);
}

void Canvas::paintEvent(QPaintEvent* event) {
    QPainter p(this);
    p.fillRect(event->rect(), QColor(45, 45, 48));
    if (!m_document || !m_document->isLoaded())
        return;
    p.setClipRect(event->rect());
    p.translate(m_offset);
    p.scale(m_zoom, m_zoom);
    // Only the image pixels under the exposed rectangle are drawn: this is what keeps 4096² smooth.
    const QRectF visible = QRectF(widgetToImage(event->rect().topLeft()), widgetToImage(event->rect().bottomRight() + QPoint(1, 1)));
    drawImageLayers(p, visible, false);
    if (m_tool)
        m_tool->paintPreview(p);
    if (m_coarseView == CoarseView::Beside) {
        const double dx = m_document->size().width() + kBesideGap;
        p.translate(dx, 0);
        drawImageLayers(p, visible.translated(-dx, 0), true);
    }
}

} // namespace mf
