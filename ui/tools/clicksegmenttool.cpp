#include "tools/clicksegmenttool.h"

#include "canvas/canvas.h"
#include "interactive/clickmodel.h"
#include "project/project.h"
#include "canvas/maskdocument.h"
#include "predict/overlayrender.h"
#include "common/qtcv.h"
#include "tools/toolsettings.h"
#include "viz/overlay.h"
#include "io/cancelled.h"

#include <QKeyEvent>
#include <QPainter>
#include <QtConcurrent>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdlib>
#include <chrono>

namespace mf {

namespace {
const char* const kLayer = "click-preview";

/** The images of `project` the click model learns from (teachesClicks), but `skip`. */
std::vector<std::string> reviewedImages(const Project& project, const std::string& skip) {
    std::vector<std::string> out;
    for (const ImageEntry& e : project.images())
        if (teachesClicks(e, skip))
            out.push_back(e.image);
    return out;
}
} // namespace

struct ClickSegmentTool::ModelSlot {
    std::shared_ptr<const ClickModel> model;
    int image = -1;
    std::unique_ptr<ClickModelPrior> prior;
    /** The click model's state for image `index` (its filter bank: the expensive part), made unless it is
     *  there already; in a worker, one job at a time. */
    void ready(const std::shared_ptr<const ClickModel>& m, const cv::Mat& img, int index, bool fresh) {
        if (fresh || model != m || image != index || !prior) {
            // The new one is made before the old one goes: geocut knows a prior by its address.
            auto made = std::make_unique<ClickModelPrior>(m, img);
            prior = std::move(made);
            model = m, image = index;
        }
    }
};

ClickSegmentTool::ClickSegmentTool(MaskDocument* document, ToolSettings* settings, QObject* parent)
    : AbstractTool(document, settings, parent), m_segmenter(makeClickSegmenter("geocut")),
      m_modelSlot(std::make_shared<ModelSlot>()), m_modelSegmenter(makeClickModelSegmenter()) {
    connect(&m_watcher, &QFutureWatcher<Job>::finished, this, &ClickSegmentTool::jobFinished);
    connect(&m_learnWatcher, &QFutureWatcher<Learnt>::finished, this, [this] {
        m_learning = false;
        const Learnt l = m_learnWatcher.result();
        m_check = l;
        m_check.model.reset();
        if (l.model) {
            m_clickModel = l.model;
            m_clickModelImages = l.images;
        } else if (!l.error.empty()) {
            m_clickModelSources.clear();  // the next activation tries again
            Q_EMIT failed(tr("The click model could not learn from the reviewed masks: %1").arg(QString::fromStdString(l.error)));
        }
        Q_EMIT clickModelReady(l.model ? l.images : 0);
        if (canvas())
            startPrepare();  // the click model's filter bank of the open image
        Q_EMIT statusTextChanged(statusText());
    });
    connect(document, &MaskDocument::loaded, this, [this] {
        m_segmenterImage = m_modelSegmenterImage = -1;  // the next job prepares the new image
        reject();
        if (canvas())
            startPrepare();  // ...now, in a worker, so that the first click does not wait for it
    });
    connect(settings, &ToolSettings::activeClassChanged, this, [this] {
        if (hasPreview())
            showPreview();
    });
}

ClickSegmentTool::~ClickSegmentTool() {
    if (m_learnCancel)
        *m_learnCancel = true;
    m_learnWatcher.waitForFinished();
    m_watcher.waitForFinished();
}

void ClickSegmentTool::activate(Canvas* canvas) {
    AbstractTool::activate(canvas);
    learnClickModel();
    startPrepare();
}

bool ClickSegmentTool::needsPreparing() const {
    if (!document()->isLoaded() || document()->image().empty())
        return false;
    const int index = document()->index();
    const bool model = m_clickModel && m_learnsClicks;
    // The slot is only written by a job, and none runs when this is asked (startPrepare checks first).
    return m_segmenterImage != index ||
           (model && (m_modelSegmenterImage != index || m_modelSlot->model != m_clickModel || m_modelSlot->image != index));
}

void ClickSegmentTool::startPrepare() {
    if (isBusy() || !needsPreparing())
        return;  // a running job ends by calling this again
    const int index = document()->index();
    const bool plain = m_segmenterImage != index;
    const std::shared_ptr<const ClickModel> model = m_learnsClicks ? m_clickModel : nullptr;
    const bool modelImage = model && m_modelSegmenterImage != index;
    m_segmenterImage = index;
    if (model)
        m_modelSegmenterImage = index;
    m_busy = m_preparing = true;
    m_jobGeneration = m_generation;
    m_watcher.setFuture(QtConcurrent::run([segmenter = m_segmenter, modelSegmenter = m_modelSegmenter, image = document()->image(),
                                           plain, modelImage, model, slot = m_modelSlot, index]() {
        if (plain)
            segmenter->setImage(image);
        if (model) {
            if (modelImage)
                modelSegmenter->setImage(image);
            slot->ready(model, image, index, modelImage);
        }
        return Job{};
    }));
    Q_EMIT busyChanged(true);
    Q_EMIT statusTextChanged(statusText());
}

bool ClickSegmentTool::learnClickModel() {
    const Project* project = document()->project();
    if (m_learning || !project || !m_learnsClicks)
        return false;
    const std::string open = document()->isLoaded() && document()->index() >= 0 &&
                                     document()->index() < static_cast<int>(project->images().size())
                                 ? project->images()[static_cast<std::size_t>(document()->index())].image
                                 : std::string();
    std::vector<std::string> sources = reviewedImages(*project, open);
    if (static_cast<int>(sources.size()) > kClickModelImages)
        sources.resize(kClickModelImages);
    if (sources.empty() || sources == m_clickModelSources)
        return false;  // nothing to learn from (plain geocut), or learnt from these already
    m_clickModelSources = sources;
    m_learning = true;
    if (m_learnCancel)
        *m_learnCancel = true;
    m_learnCancel = std::make_shared<std::atomic<bool>>(false);
    // The worker gets its own copy of the project: the window may open another one meanwhile.
    m_learnWatcher.setFuture(QtConcurrent::run([copy = *project, open, cancel = m_learnCancel]() {
        Learnt out;
        try {
            const std::vector<ClickSample> samples = projectClickSamples(copy, open, kClickModelImages);
            if (samples.size() < 4)
                return out;  // too few to learn from and check on: plain geocut
            // Every fourth image is held out: the model is used only where it measures better on them.
            std::vector<ClickSample> fit, heldOut;
            for (std::size_t i = 0; i < samples.size(); ++i)
                (i % 4 == 3 && heldOut.size() < 8 ? heldOut : fit).push_back(samples[i]);
            ClickModelOptions o;
            o.cancel = cancel.get();
            auto model = std::make_shared<const ClickModel>(ClickModel::train(fit, o));
            if (cancel->load())
                return out;
            const ClickModelCheck check = checkClickModel(model, heldOut);
            out.heldOutObjects = check.objects;
            out.withModel = check.withModel;
            out.without = check.without;
            out.images = static_cast<int>(fit.size());
            if (check.better())
                out.model = model;
        } catch (const Cancelled&) {
        } catch (const std::exception& e) {
            out.error = e.what();
        }
        return out;
    }));
    Q_EMIT statusTextChanged(statusText());
    return true;
}

QString ClickSegmentTool::statusText() const {
    QString model;
    if (m_learning)
        model = tr(" (learning clicks from %n reviewed image(s)...)", nullptr, static_cast<int>(m_clickModelSources.size()));
    else if (!m_clickModel && m_check.heldOutObjects > 0)
        model = tr(" (click model not used: mean IoU %1 with it, %2 without, on %n held-out object(s))", nullptr,
                   m_check.heldOutObjects)
                    .arg(m_check.withModel, 0, 'f', 2)
                    .arg(m_check.without, 0, 'f', 2);
    if (m_preparing && m_clicks.empty() && m_box.isEmpty())
        return tr("Preparing the image for clicks...") + model;
    if (isBusy())
        return tr("Segmenting (%n click(s))...", nullptr, static_cast<int>(m_clicks.size()));
    if (hasPreview())
        return tr("%1 ms%2. Click to correct (left: object, right or Shift: background), Backspace undoes a click, "
                  "Enter accepts, Esc drops")
                   .arg(qRound(m_lastSeconds * 1000))
                   .arg(m_usedClickModel ? tr(", with the click model of %n reviewed image(s)", nullptr, m_clickModelImages)
                        : m_usedPrior    ? tr(", from the model's prediction")
                                         : QString()) +
               model;
    return tr("Click on an object to segment it (active class), or drag a box around it; right click or "
              "Shift+click marks background") +
           model;
}

void ClickSegmentTool::deactivate() {
    reject();
    AbstractTool::deactivate();
}

void ClickSegmentTool::mousePressed(const ToolEvent& e) {
    const bool negative = e.button == Qt::RightButton || (e.button == Qt::LeftButton && (e.modifiers & Qt::ShiftModifier));
    if (e.button != Qt::LeftButton && e.button != Qt::RightButton)
        return;
    if (negative) {
        addClick(pixelAt(e.pos), false);  // the pixel the status bar names
        return;
    }
    // An object click or the corner of a box: the release tells which.
    m_pressed = true;
    m_pressAt = m_dragTo = pixelAt(e.pos);
}

namespace {
/** A drag of a few pixels is a click that moved, not a box. */
bool isBoxDrag(const QPoint& from, const QPoint& to) {
    return std::abs(from.x() - to.x()) > 3 && std::abs(from.y() - to.y()) > 3;
}
QRect boxOf(const QPoint& a, const QPoint& b) {
    return QRect(QPoint(std::min(a.x(), b.x()), std::min(a.y(), b.y())),
                 QPoint(std::max(a.x(), b.x()), std::max(a.y(), b.y())));
}
} // namespace

void ClickSegmentTool::mouseMoved(const ToolEvent& e) {
    if (!m_pressed)
        return;
    const QRect before = boxOf(m_pressAt, m_dragTo);
    m_dragTo = pixelAt(e.pos);
    refresh(QRectF(before.united(boxOf(m_pressAt, m_dragTo))).adjusted(-2, -2, 3, 3));
}

void ClickSegmentTool::mouseReleased(const ToolEvent& e) {
    if (!m_pressed || e.button != Qt::LeftButton)
        return;
    m_pressed = false;
    m_dragTo = pixelAt(e.pos);
    if (isBoxDrag(m_pressAt, m_dragTo))
        setBox(boxOf(m_pressAt, m_dragTo));
    else
        addClick(m_pressAt, true);
}

void ClickSegmentTool::setBox(const QRect& box) {
    if (!document()->isLoaded())
        return;
    const cv::Mat& image = document()->image();
    const QRect clipped = box.intersected(QRect(0, 0, image.cols, image.rows));
    if (clipped == m_box)
        return;
    const QRect old = m_box;
    m_box = clipped;
    ++m_generation;
    refresh(QRectF(old.united(m_box)).adjusted(-2, -2, 3, 3));
    if (!hasStart()) {
        reject();
        return;
    }
    startJob();
}

void ClickSegmentTool::addClick(const QPoint& pixel, bool positive) {
    if (!document()->isLoaded())
        return;
    const cv::Mat& image = document()->image();
    if (pixel.x() < 0 || pixel.y() < 0 || pixel.x() >= image.cols || pixel.y() >= image.rows)
        return;  // outside the image: nothing to say about it
    if (!hasStart() && !positive)
        return;  // a background click before any object click or box has nothing to correct
    m_clicks.push_back({cv::Point(pixel.x(), pixel.y()), positive});
    ++m_generation;
    refresh(QRectF(pixel.x() - 8, pixel.y() - 8, 16, 16));
    startJob();
}

void ClickSegmentTool::undoClick() {
    if (m_clicks.empty())
        return;
    m_clicks.pop_back();
    ++m_generation;
    if (!hasStart()) {
        reject();
        return;
    }
    startJob();
}

void ClickSegmentTool::startJob() {
    if (isBusy()) {
        m_rerun = true;  // segment() cannot be interrupted: the newest clicks run as soon as it ends
        Q_EMIT statusTextChanged(statusText());
        return;
    }
    m_rerun = false;
    m_busy = true;
    m_jobGeneration = m_generation;
    // Everything the worker reads is copied now, on the GUI thread: the clicks, and the image by
    // reference count (a newly loaded image replaces the document's Mat, never writes into it).
    ClickQuery query;
    query.clicks = m_clicks;
    query.box = cv::Rect(m_box.x(), m_box.y(), m_box.width(), m_box.height());
    cv::Mat prior;
    if (m_priorSource) {
        prior = m_priorSource(document()->index(), settings()->activeClass());
        if (prior.size() != document()->image().size() || prior.type() != CV_32FC1)
            prior.release();  // a prediction of another image or size: not this image's evidence
    }
    // A prediction of this image, which the person asked for, comes first; else the click model, where
    // one has learnt from the project's reviewed masks.
    const std::shared_ptr<const ClickModel> model = prior.empty() && m_learnsClicks ? m_clickModel : nullptr;
    m_jobUsesPrior = !prior.empty();
    m_jobUsesClickModel = model != nullptr;
    // The click model goes with geocut at its own weight (a second segmenter, prepared for the image once).
    int& prepared = model ? m_modelSegmenterImage : m_segmenterImage;
    const bool prepare = prepared != document()->index();
    prepared = document()->index();
    m_watcher.setFuture(QtConcurrent::run([segmenter = model ? m_modelSegmenter : m_segmenter, image = document()->image(), prepare, query,
                                           prior, model, slot = m_modelSlot, index = document()->index()]() mutable {
        if (prepare)
            segmenter->setImage(image);
        if (!prior.empty())
            query.prior = &prior;
        if (model) {
            slot->ready(model, image, index, prepare);
            query.stepPrior = slot->prior.get();
        }
        const auto t = std::chrono::steady_clock::now();
        Job job;
        job.mask = segmenter->segment(query);
        job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        return job;
    }));
    Q_EMIT busyChanged(true);
    Q_EMIT statusTextChanged(statusText());
}

void ClickSegmentTool::jobFinished() {
    m_busy = false;
    const bool prepared = m_preparing;
    m_preparing = false;
    Q_EMIT busyChanged(false);
    bool ok = true;
    try {
        const Job job = m_watcher.result();
        if (!prepared && m_jobGeneration == m_generation && hasStart()) {
            m_result = job.mask;
            m_lastSeconds = job.seconds;
            m_usedPrior = m_jobUsesPrior;
            m_usedClickModel = m_jobUsesClickModel;
            showPreview();
            Q_EMIT previewReady();
        }
    } catch (const std::exception& e) {
        m_segmenterImage = m_modelSegmenterImage = -1;
        ok = false;
        Q_EMIT failed(tr("Click segmentation failed: %1").arg(e.what()));
    }
    // Clicks that came while it ran (during a preparation: every click so far), else the image opened
    // meanwhile is prepared (not after a failure: a preparation that fails would only fail again; the
    // next click tries once more).
    if (m_rerun || (m_jobGeneration != m_generation && hasStart()) || (prepared && hasStart()))
        startJob();
    else if (canvas() && ok)
        startPrepare();
    Q_EMIT statusTextChanged(statusText());
}

void ClickSegmentTool::showPreview() {
    if (!canvas() || m_result.empty())
        return;
    // The object in the active class's colour, half transparent, with an opaque outline: what Enter
    // will write, over the mask as it is.
    const Project* p = document()->project();
    const std::vector<Rgb> palette = classPalette(p ? p->classes() : std::vector<ClassInfo>{});
    const int cls = settings()->activeClass();
    const Rgb c = palette.empty() ? Rgb{255, 200, 0} : palette[static_cast<std::size_t>(cls) % palette.size()];
    cv::Mat layer(m_result.size(), CV_8UC4, cv::Scalar::all(0));
    layer.setTo(cv::Scalar(c[0], c[1], c[2], 110), m_result);
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(m_result, contours, cv::RETR_LIST, cv::CHAIN_APPROX_NONE);
    cv::drawContours(layer, contours, -1, cv::Scalar(255, 255, 0, 255), 1);
    canvas()->setLayer(kLayer, imageFromMat(layer), 1.0);
}

void ClickSegmentTool::accept() {
    if (!hasPreview() || isBusy() || m_jobGeneration != m_generation)
        return;  // only a mask that answers every click so far is written
    const cv::Mat object = m_result;
    const int cls = settings()->activeClass();
    reject();
    document()->applyObject(object, cls, tr("Click segmentation"));
}

void ClickSegmentTool::reject() {
    m_clicks.clear();
    m_box = QRect();
    m_pressed = false;
    m_usedPrior = m_usedClickModel = false;
    m_result.release();
    ++m_generation;
    m_rerun = false;
    if (canvas() && canvas()->hasLayer(kLayer))
        canvas()->setLayer(kLayer, QImage());
    if (canvas())
        canvas()->update();
    Q_EMIT statusTextChanged(statusText());
}

bool ClickSegmentTool::keyPressed(QKeyEvent* e) {
    if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) && hasPreview()) {
        accept();
        return true;
    }
    if (e->key() == Qt::Key_Escape && (hasPreview() || hasStart())) {
        reject();
        return true;
    }
    if (e->key() == Qt::Key_Backspace && !m_clicks.empty()) {
        undoClick();
        return true;
    }
    return false;
}

void ClickSegmentTool::paintPreview(QPainter& p) {
    const QRect drawn = m_pressed && isBoxDrag(m_pressAt, m_dragTo) ? boxOf(m_pressAt, m_dragTo) : m_box;
    if (!drawn.isEmpty()) {
        QPen pen(QColor(40, 200, 60), 0, Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(drawn));
    }
    for (const Click& c : m_clicks) {
        const QPointF at(c.pos.x + 0.5, c.pos.y + 0.5);
        p.setPen(QPen(Qt::white, 0));
        p.setBrush(c.positive ? QColor(40, 200, 60) : QColor(220, 40, 40));
        const double r = 4.0 / std::max(0.05, p.transform().m11());  // 4 screen pixels at any zoom
        p.drawEllipse(at, r, r);
    }
}

} // namespace mf
