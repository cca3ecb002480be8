#pragma once
#include "classify/liveclassifier.h"
#include "tools/abstracttool.h"

#include <QFutureWatcher>
#include <QImage>
#include <QPolygonF>

#include <atomic>
#include <map>
#include <memory>
#include <string>

namespace mf {

/** Live pixel classifier (ilastik's live mode, core/classify's one filter bank and forest): the person
 *  paints strokes of the active class (right button: erases strokes), and after each stroke the classifier
 *  trains on the strokes of every image of the project and predicts the whole image off the GUI thread,
 *  shown as a translucent proposal. Enter accepts the proposal, Shift+Enter only the active class's part,
 *  Ctrl+drag a box (Ctrl+Shift+drag a lasso) accepts inside it: one undo step each through the document, which alone writes the mask.
 *  Escape hides the proposal. Strokes are saved per image (StrokeStore) at the end of each stroke.
 *
 *  Jobs run one at a time: the image's features when it opens (with the samples of the previous image's
 *  strokes and of other stroked images), then an update per stroke. A stroke during an update cancels it
 *  (the forest's prediction stops between chunks) and a fresh one starts when it ends; painting never waits.
 *  An update predicts tile by tile, the tiles on screen first, and shows each tile as it arrives (a large
 *  image's visible part in a fraction of the whole update; the rest fills in behind).
 *  Switching images or closing the project cancels the job and drops its result. When idle, the next
 *  image's features are computed ahead (stopped by any stroke, resumed later: computed tiles stay). */
class LiveClassifierTool : public AbstractTool {
    Q_OBJECT
public:
    LiveClassifierTool(MaskDocument* document, ToolSettings* settings, QObject* parent = nullptr);
    ~LiveClassifierTool() override;
    QString name() const override { return tr("Live classifier"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_L); }
    QString iconPath() const override { return ":/icons/liveclassifier.svg"; }
    QString statusText() const override;
    void activate(Canvas* canvas) override;
    void deactivate() override;
    void mousePressed(const ToolEvent& e) override;
    void mouseMoved(const ToolEvent& e) override;
    void mouseReleased(const ToolEvent& e) override;
    bool keyPressed(QKeyEvent* e) override;
    void paintPreview(QPainter& p) override;

    /** Paints a stroke segment of `value` (a class, or StrokeStore::kUnpainted to erase) and, with `end`,
     *  ends the stroke: saved, and an update requested. Ignored before an image is open. */
    void paintStroke(QPointF from, QPointF to, int value, bool end);
    /** Deletes every stroke of this image (saved) and updates. */
    void clearStrokes();
    const cv::Mat& strokes() const { return m_strokes; }
    bool featuresReady() const { return m_featuresReady; }
    /** Document index of the image whose features are computed ahead (the next one), -1 when none. */
    int prefetchedImage() const { return m_next ? m_nextIndex : -1; }
    /** True while a job runs (features or an update). */
    bool isBusy() const { return m_busy; }
    bool hasProposal() const { return m_proposalShown && !m_proposal.labels.empty(); }
    /** The proposal shown (CV_8UC1 class ids, image size), empty when none. */
    const cv::Mat& proposal() const { return m_proposal.labels; }
    /** Updates that completed and were shown, and ones cancelled by a newer stroke (for tests and the status bar). */
    int updatesShown() const { return m_updatesShown; }
    int updatesCancelled() const { return m_updatesCancelled; }
    double lastUpdateSeconds() const { return m_lastSeconds; }
    /** Tiles of updates shown as they arrived (for tests). */
    int tilesShown() const { return m_tilesShown; }
    /** How images opened from now on are classified (the tile size, the forest); for tests and tuning. */
    void setClassifierOptions(const LiveClassifierOptions& options) { m_options = options; }

    /** Writes the proposal into the mask: all of it, only class `cls`'s pixels, or only inside `box`. */
    void acceptAll();
    void acceptClass(int cls);
    void acceptInside(const QRect& box);
    /** Only inside the closed polygon `lasso` (image coordinates). */
    void acceptInside(const QPolygonF& lasso);
    void hideProposal();

Q_SIGNALS:
    void busyChanged(bool busy);
    void proposalReady();
    /** One tile of an update is shown (image coordinates). */
    void tileShown(const QRect& rect);
    void failed(const QString& message);

private:
    struct Job;
    void openImage();
    void dropImage();
    void startPrepare();
    void requestUpdate();
    void startUpdate();
    void startPrefetch();
    void jobFinished();
    /** A tile of the update of `generation` on `live` arrived: pasted into the proposal when both are current. */
    void showTile(int generation, const LiveClassifier* live, const LivePrediction& tile, const QImage& layer);
    void redrawStrokes(const cv::Rect& r);
    void accept(const cv::Mat& where, const QString& label);
    LabelledSamples otherSamples() const;
    std::string imageName() const;

    QFutureWatcher<std::shared_ptr<Job>> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    LiveClassifierOptions m_options;
    std::shared_ptr<LiveClassifier> m_live;   ///< of the open image; null before the tool first sees it
    int m_liveImage = -1;                     ///< document index m_live belongs to
    std::shared_ptr<LiveClassifier> m_next;   ///< the next image's, its features computed ahead while idle
    int m_nextIndex = -1;
    bool m_nextDone = false;                  ///< every tile of m_next that fits the cache is computed
    cv::Mat m_strokes;                        ///< the open image's strokes (GUI thread only)
    QImage m_strokeLayer;
    std::map<std::string, LabelledSamples> m_samples;  ///< other images' stroke samples, by image
    std::string m_projectRoot;                ///< the project m_samples came from
    LivePrediction m_proposal;
    bool m_proposalShown = false;
    bool m_featuresReady = false, m_busy = false, m_updating = false, m_prefetching = false, m_updateWanted = false, m_prepareWanted = false;
    int m_generation = 0;  ///< bumped by every stroke and image change: an older job's result is stale
    bool m_down = false, m_boxing = false;
    int m_downValue = 0;
    QPointF m_last, m_boxStart, m_boxEnd, m_hover{-1e9, -1e9};
    QPolygonF m_lasso;  ///< while Ctrl+Shift+dragging
    int m_updatesShown = 0, m_updatesCancelled = 0, m_tilesShown = 0;
    double m_lastSeconds = 0;
};

} // namespace mf
