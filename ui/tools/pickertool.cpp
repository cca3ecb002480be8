#include "tools/pickertool.h"

#include "maskdocument.h"
#include "toolsettings.h"

#include <cmath>

namespace mf {

void PickerTool::mousePressed(const ToolEvent& e) {
    const int cls = document()->classAt(QPoint(static_cast<int>(std::floor(e.pos.x())), static_cast<int>(std::floor(e.pos.y()))));
    if (cls >= 0)
        settings()->setActiveClass(cls);
}

} // namespace mf
