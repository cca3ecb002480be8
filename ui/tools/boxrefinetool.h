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
 *  Escape rejects. A box where GrabCut finds nothing is left as it is and the status text says so,
 *  the rule of the batch (grabCutProposal). */
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
    /** Refines every box of the current image: its box file (also on an image with no mask yet), else the
     *  boxes of its coarse mask; false, the status text saying why, when it has none. */
    bool refineAllBoxes();
    bool isBusy() const { return m_watcher.isRunning(); }
    bool hasPreview() const { return !m_results.empty(); }
    void accept();
    void reject();

Q_SIGNALS:
    void busyChanged(bool busy);
    void previewReady();
    /** GrabCut found nothing in `boxes` of the boxes refined: they are left as they are (no preview). */
    void nothingFound(int boxes);
    void failed(const QString& message);

private:
    void jobFinished();
    void showPreview();
    QRectF boxesBounds() const;

    QFutureWatcher<std::vector<RefineResult>> m_watcher;
    std::vector<RefineResult> m_results;
    std::vector<cv::Rect> m_pendingBoxes;
    QRectF dragPixels() const;

    QPoint m_dragFrom, m_dragTo;
    bool m_dragging = false;
    int m_jobImage = -1;
    int m_emptyBoxes = 0;  ///< boxes of the last job where GrabCut found nothing
    bool m_noBoxes = false;  ///< "refine all boxes" found none on the image
};

} // namespace mf
