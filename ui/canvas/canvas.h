#pragma once
#include "common/qtcv.h"

#include <QImage>
#include <QMap>
#include <QPointer>
#include <QSet>
#include <QWidget>

namespace mf {

class AbstractTool;
class MaskDocument;
class Project;

/** How the coarse (box) mask is shown next to the current one. */
enum class CoarseView { Hidden, Under, Beside };

/** The image canvas: draws the document's image with its mask overlay, zooms and pans, and forwards
 *  mouse input in image coordinates to the active tool. It caches the image and a colour overlay as
 *  QImages and, on an edit, recolours and repaints only the changed rectangle, so a 4096² image
 *  stays smooth. Extra overlay layers (predictions, comparisons) can be stacked with setLayer(). */
class Canvas : public QWidget {
    Q_OBJECT
public:
    explicit Canvas(QWidget* parent = nullptr);

    void setDocument(MaskDocument* document);
    void setTool(AbstractTool* tool);
    AbstractTool* tool() const { return m_tool; }
    /** Class colours (and their count) from the project; call again when they change. */
    void setClassColours(const Project& project);

    double zoom() const { return m_zoom; }
    void setZoom(double zoom, QPointF anchor);
    void setZoom(double zoom) { setZoom(zoom, QPointF(width() / 2.0, height() / 2.0)); }
    void fitToWindow();
    void actualSize() { setZoom(1.0); }
    QPointF widgetToImage(QPointF p) const { return (p - m_offset) / m_zoom; }
    QPointF imageToWidget(QPointF p) const { return p * m_zoom + m_offset; }
    QRect imageRectToWidget(const QRect& r) const;

    double overlayOpacity() const { return m_opacity; }
    void setOverlayOpacity(double opacity);
    void setOverlayVisible(bool visible);
    bool isOverlayVisible() const { return m_overlayVisible; }
    void setOutlineOnly(bool outline);
    void setCoarseView(CoarseView view);
    CoarseView coarseView() const { return m_coarseView; }

    /** Adds or replaces a named overlay layer (image-sized, drawn above the mask with its own
     *  opacity); an empty image removes it. The extension point for prediction overlays and previews. */
    void setLayer(const QString& name, const QImage& image, double opacity = 1.0);
    bool hasLayer(const QString& name) const { return m_layers.contains(name); }
    /** Paints `patch` into layer `name` at image point `at` (replacing those pixels) and repaints only
     *  there; a layer not there yet starts transparent, the image's size. For layers that fill in piece
     *  by piece (the live classifier's tiles): the whole layer is neither copied nor redrawn. */
    void setLayerPatch(const QString& name, QPoint at, const QImage& patch, double opacity = 1.0);
    /** The image pixels the widget shows now (clipped to the image; empty without an image). */
    QRect visibleImageRect() const;
    /** Shows or hides a layer, now or whenever it is set: independent of the mask overlay's
     *  visibility and opacity. */
    void setLayerVisible(const QString& name, bool visible);
    bool isLayerVisible(const QString& name) const { return !m_hiddenLayers.contains(name); }

    const QImage& overlayImage() const { return m_overlay; }
    /** Repaints the widget area covering image rectangle `r` (tools call it for their previews). */
    void updateImageRect(const QRectF& r);

Q_SIGNALS:
    void cursorMoved(QPoint imagePos, int classId);
    void zoomChanged(double zoom);
    void classPicked(int classId);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void documentLoaded();
    void maskChanged(const QRect& rect);
    void rebuildOverlays();
    void drawImageLayers(QPainter& p, const QRectF& visible, bool coarseCopy);
    bool beginPan(QMouseEvent* event);
    void updateCursor();

    QPointer<MaskDocument> m_document;
    AbstractTool* m_tool = nullptr;
    ClassLut m_lut{};
    QImage m_overlay, m_coarseOverlay;
    struct Layer {
        QImage image;
        double opacity;
    };
    QMap<QString, Layer> m_layers;
    QSet<QString> m_hiddenLayers;
    double m_zoom = 1.0;
    QPointF m_offset;
    double m_opacity = 0.5;
    bool m_overlayVisible = true, m_outline = false, m_fitPending = true;
    CoarseView m_coarseView = CoarseView::Hidden;
    bool m_spaceHeld = false, m_panning = false;
    QPointF m_panStart;
};

} // namespace mf
