#pragma once
#include <QImage>
#include <QPointF>
#include <QString>
#include <QWidget>

namespace mf {

/** A light image viewer for predictions and comparisons: an image with one overlay at an opacity,
 *  zoom on the wheel and pan by dragging. viewChanged() lets two panes follow each other. */
class ImagePane : public QWidget {
    Q_OBJECT
public:
    explicit ImagePane(QWidget* parent = nullptr);

    void setImage(const QImage& image);
    void setOverlay(const QImage& overlay);
    void setOpacity(double opacity);
    void setTitle(const QString& title);
    const QImage& image() const { return m_image; }
    const QImage& overlay() const { return m_overlay; }
    double zoom() const { return m_zoom; }
    QPointF offset() const { return m_offset; }
    /** Sets zoom and offset without emitting viewChanged (used when following another pane). */
    void setView(double zoom, QPointF offset);
    void fit();

Q_SIGNALS:
    void viewChanged(double zoom, QPointF offset);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QImage m_image, m_overlay;
    QString m_title;
    double m_opacity = 0.6, m_zoom = 1.0;
    QPointF m_offset, m_dragStart;
    bool m_fitted = false;
};

/** Keeps the views of the given panes in step: zooming or panning one moves the others. */
void synchroniseViews(const QList<ImagePane*>& panes);

} // namespace mf
