#pragma once
#include "edit/boxrefiner.h"
#include "tools/abstracttool.h"

#include <QFutureWatcher>
#include <QRectF>

#include <vector>

namespace mf {

struct DetectionBox;

/** Box refinement: drag a box (active class) or click a coarse box to pick it, or refine all boxes
 *  of the image; GrabCut runs off the GUI thread (QtConcurrent) seeded by the box and the strokes
 *  already painted in it. The result is previewed as a canvas layer; Enter accepts (one undo step),
 *  Escape rejects. */
class BoxRefineTool : public AbstractTool {
    Q_OBJECT
public:
    BoxRefineTool(MaskDocument* document, ToolSettings* settings, QObject* parent = nullptr);
    ~BoxRefineTool() override;
    QString name() const override { return tr("Box refinement"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_G); }
    QString iconPath() const override { return ":/icons/boxrefine.svg"; }
    QString statusText() const override;
    void deactivate() override;
    void mousePressed(const ToolEvent& e) override;
    void mouseMoved(const ToolEvent& e) override;
    void mouseReleased(const ToolEvent& e) override;
    bool keyPressed(QKeyEvent* e) override;
    void paintPreview(QPainter& p) override;

    /** Starts refining `boxes` of the current image (ignored while a job runs); false if none. */
    bool refine(const std::vector<DetectionBox>& boxes);
    /** Refines every coarse box of the current image. */
    bool refineAllBoxes();
    bool isBusy() const { return m_watcher.isRunning(); }
    bool hasPreview() const { return !m_results.empty(); }
    void accept();
    void reject();

Q_SIGNALS:
    void busyChanged(bool busy);
    void previewReady();
    void failed(const QString& message);

private:
    void jobFinished();
    void showPreview();
    QRectF boxesBounds() const;

    QFutureWatcher<std::vector<RefineResult>> m_watcher;
    std::vector<RefineResult> m_results;
    std::vector<cv::Rect> m_pendingBoxes;
    QRectF m_drag;
    bool m_dragging = false;
    int m_jobImage = -1;
};

} // namespace mf
