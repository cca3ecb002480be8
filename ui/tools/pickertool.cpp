#include "tools/pickertool.h"

#include "maskdocument.h"
#include "qtcv.h"
#include "toolsettings.h"

namespace mf {

void PickerTool::mousePressed(const ToolEvent& e) {
    const int cls = document()->classAt(pixelAt(e.pos));
    if (cls >= 0)
        settings()->setActiveClass(cls);
}

} // namespace mf
