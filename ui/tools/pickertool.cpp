#include "tools/pickertool.h"

#include "canvas/maskdocument.h"
#include "common/qtcv.h"
#include "tools/toolsettings.h"

namespace mf {

void PickerTool::mousePressed(const ToolEvent& e) {
    const int cls = document()->classAt(pixelAt(e.pos));
    if (cls >= 0)
        settings()->setActiveClass(cls);
}

} // namespace mf
