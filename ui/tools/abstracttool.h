#pragma once
#include <QCursor>
#include <QKeySequence>
#include <QObject>
#include <QPointF>

class QKeyEvent;
class QPainter;

namespace mf {

class Canvas;
class MaskDocument;
class ToolSettings;

/** A mouse event as tools see it: the position in image coordinates (fractional) and its buttons. */
struct ToolEvent {
    QPointF pos;
    Qt::MouseButton button = Qt::NoButton;
    Qt::MouseButtons buttons;
    Qt::KeyboardModifiers modifiers;
};

/** Base of the canvas tools (Tiled's pattern): activated on a canvas, fed mouse events in image
 *  coordinates, may draw a preview over the image. A tool never writes pixels: it asks the
 *  MaskDocument, which keeps undo and the dirty flag right. Tools do not own document or canvas. */
class AbstractTool : public QObject {
    Q_OBJECT
public:
    AbstractTool(MaskDocument* document, ToolSettings* settings, QObject* parent = nullptr);
    ~AbstractTool() override = default;

    virtual QString name() const = 0;
    virtual QKeySequence shortcut() const = 0;
    /** Resource path of the tool's icon (resources/icons/, drawn for 16 and 24 px). */
    virtual QString iconPath() const = 0;
    virtual QCursor cursor() const { return Qt::CrossCursor; }
    virtual QString statusText() const = 0;

    virtual void activate(Canvas* canvas) { m_canvas = canvas; }
    virtual void deactivate() { m_canvas = nullptr; }
    virtual void mousePressed(const ToolEvent&) {}
    virtual void mouseMoved(const ToolEvent&) {}
    virtual void mouseReleased(const ToolEvent&) {}
    virtual void mouseDoubleClicked(const ToolEvent&) {}
    /** Keys the tool understands while active (Enter, Escape...); true when handled. */
    virtual bool keyPressed(QKeyEvent*) { return false; }
    /** Draws the tool's preview; the painter maps image coordinates to the widget. */
    virtual void paintPreview(QPainter&) {}

Q_SIGNALS:
    void statusTextChanged(const QString& text);

protected:
    MaskDocument* document() const { return m_document; }
    ToolSettings* settings() const { return m_settings; }
    Canvas* canvas() const { return m_canvas; }
    /** Asks the canvas to repaint image rect `r` (for previews). */
    void refresh(const QRectF& r) const;

private:
    MaskDocument* m_document;
    ToolSettings* m_settings;
    Canvas* m_canvas = nullptr;
};

} // namespace mf
