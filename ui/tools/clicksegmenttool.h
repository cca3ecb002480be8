#pragma once
#include "interactive/clicksegmenter.h"
#include "tools/abstracttool.h"

#include <QFutureWatcher>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mf {

class ClickModel;

/** Click-to-segment: a left click marks the object, a right click (or Shift+click) marks background, a
 *  left drag draws a box the object lies in (a start instead of, or beside, the clicks); after each click
 *  the segmenter (core/interactive, "geocut") runs off the GUI thread (QtConcurrent) and its mask is
 *  previewed in the active class's colour with an outline. Where a trained model's prediction of the
 *  image is at hand (setPriorSource: the Predictions panel's), its probability of the active class is
 *  the cut's prior, so a click starts from what the model sees and the next clicks correct it. Where the
 *  project has reviewed masks, a click model (core/interactive/clickmodel.h) learns from them in a worker
 *  when the tool is activated and then answers every click's step where no prediction of the image is at
 *  hand (it knows the clicks). Enter accepts (the object's
 *  pixels take the active class: one undo step), Escape drops the clicks, Backspace takes the last one
 *  back. A click during an update queues a fresh update with every click when the running one ends
 *  (its stale mask is never shown). Switching images drops everything; the image opened is prepared for
 *  clicks in a worker right away (isPreparing). */
class ClickSegmentTool : public AbstractTool {
    Q_OBJECT
public:
    ClickSegmentTool(MaskDocument* document, ToolSettings* settings, QObject* parent = nullptr);
    ~ClickSegmentTool() override;
    QString name() const override { return tr("Click segmentation"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_K); }
    QString iconPath() const override { return ":/icons/clicksegment.svg"; }
    QString statusText() const override;
    void activate(Canvas* canvas) override;
    void deactivate() override;
    void mousePressed(const ToolEvent& e) override;
    void mouseMoved(const ToolEvent& e) override;
    void mouseReleased(const ToolEvent& e) override;
    bool keyPressed(QKeyEvent* e) override;
    void paintPreview(QPainter& p) override;

    /** Adds a click at an image pixel; ignored outside the image. */
    void addClick(const QPoint& pixel, bool positive);
    void undoClick();
    /** Sets (or, with an empty rectangle, clears) the box the object lies in, clipped to the image. */
    void setBox(const QRect& box);
    QRect box() const { return m_box; }
    /** Where the prior of image `row` for class `classId` comes from: a CV_32FC1 probability map of the
     *  image's size, or an empty Mat when there is none. Asked on the GUI thread when a job starts. */
    using PriorSource = std::function<cv::Mat(int row, int classId)>;
    void setPriorSource(PriorSource source) { m_priorSource = std::move(source); }
    /** True when the preview shown was cut with a model's prior. */
    bool usedPrior() const { return m_usedPrior; }
    /** Starts learning the click model from the project's reviewed masks (all but the open image's, at
     *  most kClickModelImages) in a worker, unless one is learning or the reviewed images are those it
     *  learnt from; without reviewed masks the tool keeps plain geocut. Called by activate(). Returns true
     *  when a training started. */
    bool learnClickModel();
    static constexpr int kClickModelImages = 120;
    /** false: no click model is learnt or used (plain geocut, or the prediction's prior). Default true. */
    void setLearnsClicks(bool on) { m_learnsClicks = on; }
    bool isLearning() const { return m_learning; }
    /** The reviewed images the click model in use learnt from (0: no click model). */
    int clickModelImages() const { return m_clickModel ? m_clickModelImages : 0; }
    /** The last training's check on held-out reviewed images (every fourth, at most 8, 10 simulated clicks
     *  each): the objects and the mean IoU over clicks with and without the model. The model is used only
     *  where it measured better; with fewer than 4 reviewed images there is no check and no model. */
    int clickModelCheckedObjects() const { return m_check.heldOutObjects; }
    double clickModelCheckWith() const { return m_check.withModel; }
    double clickModelCheckWithout() const { return m_check.without; }
    /** True when the preview shown was cut with the click model. */
    bool usedClickModel() const { return m_usedClickModel; }
    /** True from a click until its mask (or its failure) is in, and while an image is prepared:
     *  QFutureWatcher's own state lags behind. */
    bool isBusy() const { return m_busy; }
    /** True while the open image is prepared in a worker (geocut's colour levels and, with a click model,
     *  its filter bank): started when an image opens with the tool active, when the tool is activated and
     *  when a click model is ready, so that the first click does not wait for it. A click meanwhile is
     *  answered as soon as it ends. */
    bool isPreparing() const { return m_preparing; }
    /** The image the segmenters were last readied for (-1: none since the last load). */
    int preparedImage() const { return m_segmenterImage; }
    bool hasPreview() const { return !m_result.empty(); }
    const std::vector<Click>& clicks() const { return m_clicks; }
    /** The previewed object (CV_8UC1 0/255), empty when none. */
    const cv::Mat& result() const { return m_result; }
    void accept();
    void reject();

Q_SIGNALS:
    void busyChanged(bool busy);
    /** The click model's training ended: `images` reviewed images learnt from (0: no model in use: failed,
     *  cancelled, too few reviewed images, or it measured worse than plain geocut). */
    void clickModelReady(int images);
    void previewReady();
    void failed(const QString& message);

private:
    struct Job {
        cv::Mat mask;
        double seconds = 0;
    };
    struct Learnt {
        std::shared_ptr<const ClickModel> model;  ///< null unless it measured better than plain geocut
        int images = 0;
        int heldOutObjects = 0;
        double withModel = 0, without = 0;
        std::string error;
    };
    /** The click model's per-image state, used by one segmentation job at a time. */
    struct ModelSlot;
    void startJob();
    /** Prepares the open image in a worker unless it is prepared or a job runs (which calls it when done). */
    void startPrepare();
    bool needsPreparing() const;
    void jobFinished();
    void showPreview();
    bool hasStart() const { return !m_clicks.empty() || !m_box.isEmpty(); }

    QFutureWatcher<Job> m_watcher;
    std::shared_ptr<ClickSegmenter> m_segmenter;  ///< used by one job at a time
    int m_segmenterImage = -1;                    ///< the image setImage() was given (-1: none)
    std::vector<Click> m_clicks;
    QRect m_box;                ///< the object's box (empty: none)
    PriorSource m_priorSource;
    bool m_usedPrior = false, m_jobUsesPrior = false;
    bool m_usedClickModel = false, m_jobUsesClickModel = false;
    QFutureWatcher<Learnt> m_learnWatcher;
    std::shared_ptr<std::atomic<bool>> m_learnCancel;
    std::shared_ptr<const ClickModel> m_clickModel;
    std::shared_ptr<ModelSlot> m_modelSlot;
    std::shared_ptr<ClickSegmenter> m_modelSegmenter;  ///< geocut with the click model's weight
    int m_modelSegmenterImage = -1;
    Learnt m_check;                                     ///< the last training's outcome (its model aside)
    std::vector<std::string> m_clickModelSources;  ///< the reviewed images it learnt from (or is learning)
    int m_clickModelImages = 0;
    bool m_learning = false;
    bool m_learnsClicks = true;
    bool m_pressed = false;     ///< a left press waiting to become a click (release) or a box (drag)
    QPoint m_pressAt, m_dragTo;
    cv::Mat m_result;
    int m_generation = 0;     ///< bumped by every change of clicks or image; a job of an older one is stale
    int m_jobGeneration = -1;
    bool m_rerun = false;     ///< clicks arrived while a job ran
    bool m_busy = false;
    bool m_preparing = false;  ///< the running job prepares the image (no mask)
    double m_lastSeconds = 0;
};

} // namespace mf
