#include "tools/boxrefinetool.h"

#include "canvas/canvas.h"
#include "edit/boximport.h"
#include "canvas/maskdocument.h"
#include "predict/overlayrender.h"
#include "common/qtcv.h"
#include "tools/toolsettings.h"
#include "viz/overlay.h"

#include <QKeyEvent>
#include <QPainter>
#include <QtConcurrent>

#include <opencv2/imgproc.hpp>

namespace mf {

namespace {
const char* const kLayer = "refine-preview";

std::vector<RefineResult> runRefinement(const cv::Mat& image, const std::vector<cv::Mat>& seeds,
                                        const std::vector<DetectionBox>& boxes) {
    std::vector<RefineResult> out;
    for (std::size_t i = 0; i < boxes.size(); ++i)
        out.push_back(refineBox(image, seeds[i], boxes[i].rect, boxes[i].classId));
    return out;
}
} // namespace

BoxRefineTool::BoxRefineTool(MaskDocument* document, ToolSettings* settings, QObject* parent)
    : AbstractTool(document, settings, parent) {
    connect(&m_watcher, &QFutureWatcher<std::vector<RefineResult>>::finished, this, &BoxRefineTool::jobFinished);
    connect(document, &MaskDocument::loaded, this, &BoxRefineTool::reject);
}

BoxRefineTool::~BoxRefineTool() { m_watcher.waitForFinished(); }

QString BoxRefineTool::statusText() const {
    if (isBusy())
        return tr("Refining %n box(es)...", nullptr, static_cast<int>(m_pendingBoxes.size()));
    const QString kept = tr("GrabCut found nothing in %n box(es): kept as they are (strokes inside guide it)", nullptr, m_emptyBoxes);
    if (hasPreview())
        return tr("Preview: Enter accepts, Esc rejects") + (m_emptyBoxes > 0 ? "; " + kept : QString());
    if (m_emptyBoxes > 0)
        return kept;
    if (m_noBoxes)
        return tr("This image has no boxes to refine (no box file, no coarse mask): drag a box around the object");
    return tr("Drag a box (active class) or click a coarse box to refine it with GrabCut; strokes inside guide it");
}

void BoxRefineTool::deactivate() {
    reject();
    AbstractTool::deactivate();
}

bool BoxRefineTool::refine(const std::vector<DetectionBox>& boxes) {
    if (isBusy() || boxes.empty() || !document()->isLoaded())
        return false;
    reject();
    m_emptyBoxes = 0;
    m_noBoxes = false;
    // Seeds are taken now, on the GUI thread, so the worker never reads a mask being painted.
    std::vector<cv::Mat> seeds;
    for (const DetectionBox& b : boxes)
        seeds.push_back(strokeSeeds(document()->mask(), document()->coarse(), b.classId));
    m_pendingBoxes.clear();
    for (const DetectionBox& b : boxes)
        m_pendingBoxes.push_back(b.rect);
    m_jobImage = document()->index();
    m_watcher.setFuture(QtConcurrent::run(runRefinement, document()->image(), seeds, boxes));
    Q_EMIT busyChanged(true);
    Q_EMIT statusTextChanged(statusText());
    refresh(boxesBounds());
    return true;
}

bool BoxRefineTool::refineAllBoxes() {
    const Project* p = document()->project();
    if (!p || !document()->isLoaded() || isBusy())
        return false;
    const std::vector<DetectionBox> boxes =
        imageBoxes(*p, p->images()[document()->index()], document()->coarse(), document()->image().size());
    if (boxes.empty()) {
        reject();
        m_noBoxes = true;
        Q_EMIT statusTextChanged(statusText());
        return false;
    }
    return refine(boxes);
}

void BoxRefineTool::jobFinished() {
    Q_EMIT busyChanged(false);
    try {
        std::vector<RefineResult> results = m_watcher.result();
        if (m_jobImage != document()->index())
            return;  // the image changed while GrabCut ran: the result belongs to another mask
        // The batch's rule (grabCutProposal): a box where GrabCut finds nothing keeps its pixels. The
        // box says an object is there; an empty cut is GrabCut failing, and accepting it would erase it.
        m_emptyBoxes = 0;
        for (RefineResult& r : results)
            if (cv::countNonZero(r.foreground) == 0)
                ++m_emptyBoxes;
            else
                m_results.push_back(std::move(r));
        if (m_emptyBoxes > 0)
            Q_EMIT nothingFound(m_emptyBoxes);
        if (hasPreview()) {
            showPreview();
            Q_EMIT previewReady();
        } else {
            refresh(boxesBounds());  // the dashed outlines go: nothing waits for Enter
            m_pendingBoxes.clear();
        }
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Box refinement failed: %1").arg(e.what()));
    }
    Q_EMIT statusTextChanged(statusText());
}

void BoxRefineTool::showPreview() {
    // The preview shows, inside each box, the image blended with the result's class colour, hiding the
    // coarse fill below, so what Enter will accept is what is seen.
    const cv::Mat& image = document()->image();
    cv::Mat after = document()->mask().clone();
    for (const RefineResult& r : m_results)
        applyRefinement(after, r);
    const Project* p = document()->project();
    const cv::Mat tinted = tintLabels(image, after, classPalette(p ? p->classes() : std::vector<ClassInfo>{}));
    cv::Mat layer(image.size(), CV_8UC4, cv::Scalar::all(0));
    const cv::Rect bounds(0, 0, image.cols, image.rows);
    for (const RefineResult& r : m_results) {
        const cv::Rect box = r.box & bounds;
        cv::Mat target = layer(box);
        cv::cvtColor(tinted(box), target, cv::COLOR_RGB2RGBA);
    }
    if (canvas())
        canvas()->setLayer(kLayer, imageFromMat(layer), 1.0);
}

void BoxRefineTool::accept() {
    if (!hasPreview())
        return;
    const std::vector<RefineResult> results = std::move(m_results);
    reject();
    document()->applyRefinements(results);
}

void BoxRefineTool::reject() {
    const QRectF r = boxesBounds();
    m_results.clear();
    m_emptyBoxes = 0;
    m_noBoxes = false;
    if (!isBusy())
        m_pendingBoxes.clear();
    if (canvas() && canvas()->hasLayer(kLayer))
        canvas()->setLayer(kLayer, QImage());
    refresh(r);
    Q_EMIT statusTextChanged(statusText());
}

QRectF BoxRefineTool::boxesBounds() const {
    QRectF r;
    for (const cv::Rect& b : m_pendingBoxes)
        r = r.united(QRectF(toQRect(b)));
    return r.adjusted(-3, -3, 3, 3);
}

} // namespace mf
