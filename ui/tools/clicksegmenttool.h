#pragma once
#include "interactive/clicksegmenter.h"
#include "tools/abstracttool.h"

#include <QFutureWatcher>

#include <memory>
#include <vector>

namespace mf {

/** Click-to-segment: a left click marks the object, a right click (or Shift+click) marks background;
 *  after each click the segmenter (core/interactive, "geocut") runs off the GUI thread (QtConcurrent)
 *  and its mask is previewed in the active class's colour with an outline. Enter accepts (the object's
 *  pixels take the active class: one undo step), Escape drops the clicks, Backspace takes the last one
 *  back. A click during an update queues a fresh update with every click when the running one ends
 *  (its stale mask is never shown). Switching images drops everything. */
class ClickSegmentTool : public AbstractTool {
    Q_OBJECT
public:
    ClickSegmentTool(MaskDocument* document, ToolSettings* settings, QObject* parent = nullptr);
    ~ClickSegmentTool() override;
    QString name() const override { return tr("Click segmentation"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_K); }
    QString iconPath() const override { return ":/icons/clicksegment.svg"; }
    QString statusText() const override;
    void deactivate() override;
    void mousePressed(const ToolEvent& e) override;
    bool keyPressed(QKeyEvent* e) override;
    void paintPreview(QPainter& p) override;

    /** Adds a click at an image pixel; ignored outside the image. */
    void addClick(const QPoint& pixel, bool positive);
    void undoClick();
    /** True from a click until its mask (or its failure) is in: QFutureWatcher's own state lags behind. */
    bool isBusy() const { return m_busy; }
    bool hasPreview() const { return !m_result.empty(); }
    const std::vector<Click>& clicks() const { return m_clicks; }
    /** The previewed object (CV_8UC1 0/255), empty when none. */
    const cv::Mat& result() const { return m_result; }
    void accept();
    void reject();

Q_SIGNALS:
    void busyChanged(bool busy);
    void previewReady();
    void failed(const QString& message);

private:
    struct Job {
        cv::Mat mask;
        double seconds = 0;
    };
    void startJob();
    void jobFinished();
    void showPreview();

    QFutureWatcher<Job> m_watcher;
    std::shared_ptr<ClickSegmenter> m_segmenter;  ///< used by one job at a time
    int m_segmenterImage = -1;                    ///< the image setImage() was given (-1: none)
    std::vector<Click> m_clicks;
    cv::Mat m_result;
    int m_generation = 0;     ///< bumped by every change of clicks or image; a job of an older one is stale
    int m_jobGeneration = -1;
    bool m_rerun = false;     ///< clicks arrived while a job ran
    bool m_busy = false;
    double m_lastSeconds = 0;
};

} // namespace mf
