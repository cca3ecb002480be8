#include "tools/floodfilltool.h"

#include "canvas/maskdocument.h"
#include "common/qtcv.h"
#include "tools/toolsettings.h"

namespace mf {

QString FloodFillTool::statusText() const {
    const FloodOptions& o = settings()->flood();
    return tr("Click to fill the connected region (by %1, tolerance %2); Shift fills background")
        .arg(o.source == FloodSource::MaskValue ? tr("mask class") : tr("image colour"))
        .arg(o.tolerance);
}

void FloodFillTool::mousePressed(const ToolEvent& e) {
    if (e.button != Qt::LeftButton)
        return;
    const QPoint seed = pixelAt(e.pos);
    document()->floodFill(seed, settings()->flood(), (e.modifiers & Qt::ShiftModifier) ? 0 : settings()->activeClass());
}

} // namespace mf
