#include "tools/toolsettings.h"

#include <algorithm>

namespace mf {

void ToolSettings::setActiveClass(int id) {
    if (id == m_activeClass)
        return;
    m_activeClass = id;
    Q_EMIT activeClassChanged(id);
}

void ToolSettings::setBrushRadius(float radius) {
    radius = std::clamp(radius, 0.5f, 512.0f);
    if (radius == m_brushRadius)
        return;
    m_brushRadius = radius;
    Q_EMIT brushRadiusChanged(radius);
}

void ToolSettings::setFlood(const FloodOptions& options) {
    m_flood = options;
    Q_EMIT floodChanged();
}

} // namespace mf
