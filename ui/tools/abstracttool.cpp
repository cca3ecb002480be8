#include "tools/abstracttool.h"

#include "canvas/canvas.h"

namespace mf {

AbstractTool::AbstractTool(MaskDocument* document, ToolSettings* settings, QObject* parent)
    : QObject(parent), m_document(document), m_settings(settings) {}

void AbstractTool::refresh(const QRectF& r) const {
    if (m_canvas)
        m_canvas->updateImageRect(r);
}

} // namespace mf
