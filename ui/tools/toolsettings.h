#pragma once
#include "edit/floodfill.h"

#include <QObject>

namespace mf {

/** The settings tools share (active class, brush size, flood fill tolerance); panels edit them. */
class ToolSettings : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    int activeClass() const { return m_activeClass; }
    void setActiveClass(int id);
    float brushRadius() const { return m_brushRadius; }
    void setBrushRadius(float radius);
    const FloodOptions& flood() const { return m_flood; }
    void setFlood(const FloodOptions& options);

Q_SIGNALS:
    void activeClassChanged(int id);
    void brushRadiusChanged(float radius);
    void floodChanged();

private:
    int m_activeClass = 1;
    float m_brushRadius = 8.0f;
    FloodOptions m_flood;
};

} // namespace mf
