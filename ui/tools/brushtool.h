#pragma once
#include "tools/abstracttool.h"

class QPainter;

namespace mf {

/** Draws the outline of exactly the disc a brush dab of `radius` paints at image position `hover`
 *  (core's dabCentre and brushDiameter): white with a dotted black line over it. Every round brush's cursor. */
void drawBrushOutline(QPainter& p, QPointF hover, float radius);
class ToolSettings;
/** `[` shrinks and `]` grows the brush of `settings` (by 1 px under radius 4, by a quarter above);
 *  false for any other key. Every round brush's keys. */
bool resizeBrushByKey(ToolSettings* settings, int key);

/** Round brush painting the active class; `[` and `]` shrink and grow it. One undo step per stroke. */
class BrushTool : public AbstractTool {
    Q_OBJECT
public:
    using AbstractTool::AbstractTool;
    QString name() const override { return tr("Brush"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_B); }
    QString iconPath() const override { return ":/icons/brush.svg"; }
    QString statusText() const override;
    void deactivate() override;
    void mousePressed(const ToolEvent& e) override;
    void mouseMoved(const ToolEvent& e) override;
    void mouseReleased(const ToolEvent& e) override;
    bool keyPressed(QKeyEvent* e) override;
    void paintPreview(QPainter& p) override;

protected:
    /** The class value this brush paints. */
    virtual int paintValue() const;
    virtual QString strokeLabel() const { return tr("Brush stroke"); }

private:
    void refreshCursor(QPointF pos);
    bool m_down = false;
    QPointF m_last, m_hover{-1e9, -1e9};
};

} // namespace mf
