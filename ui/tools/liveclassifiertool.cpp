#include "tools/liveclassifiertool.h"

#include "canvas/canvas.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "canvas/maskdocument.h"
#include "common/qtcv.h"
#include "review/strokestore.h"
#include "tools/toolsettings.h"
#include "tools/brushtool.h"
#include "viz/overlay.h"

#include <QKeyEvent>
#include <QPainter>
#include <QtConcurrent>

#include <opencv2/imgproc.hpp>

#include <chrono>

namespace mf {

namespace {
const char* const kProposalLayer = "live-proposal";
const char* const kStrokeLayer = "live-strokes";

QRgb strokeColour(int value, const std::vector<Rgb>& palette) {
    if (value == StrokeStore::kUnpainted)
        return 0;
    if (value == 0)  // background strokes: dark, still visible on a dark image by their opacity
        return qPremultiply(qRgba(30, 30, 30, 230));
    const Rgb c = palette.empty() ? Rgb{255, 200, 0} : palette[static_cast<std::size_t>(value) % palette.size()];
    return qPremultiply(qRgba(c[0], c[1], c[2], 230));
}

/** The proposal as a layer: each class's colour, the more opaque the surer; background clear. */
QImage proposalLayer(const LivePrediction& p, const std::vector<Rgb>& palette) {
    QImage out(p.labels.cols, p.labels.rows, QImage::Format_ARGB32_Premultiplied);
    for (int y = 0; y < p.labels.rows; ++y) {
        const uchar* lab = p.labels.ptr<uchar>(y);
        const uchar* conf = p.confidence.ptr<uchar>(y);
        auto* dst = reinterpret_cast<QRgb*>(out.scanLine(y));
        for (int x = 0; x < p.labels.cols; ++x) {
            if (lab[x] == 0 || lab[x] == 255 || palette.empty()) {
                dst[x] = 0;
                continue;
            }
            const Rgb c = palette[lab[x] % palette.size()];
            dst[x] = qPremultiply(qRgba(c[0], c[1], c[2], 40 + conf[x] * 100 / 255));
        }
    }
    return out;
}

} // namespace

struct LiveClassifierTool::Job {
    enum Kind { Prepare, Update, Prefetch } kind = Prepare;
    int index = -1;        ///< Prefetch: the document index
    std::string path;      ///< Prefetch: its image file (read in the worker unless `live` is given)
    int generation = 0;
    std::shared_ptr<LiveClassifier> live;
    bool featuresDone = false;
    std::map<std::string, LabelledSamples> samples;  ///< harvested: previous image, other stroked images
    QStringList problems;
    bool trained = false;
    LivePrediction prediction;
    double seconds = 0;
};

LiveClassifierTool::LiveClassifierTool(MaskDocument* document, ToolSettings* settings, QObject* parent)
    : AbstractTool(document, settings, parent) {
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<Job>>::finished, this, &LiveClassifierTool::jobFinished);
    connect(document, &MaskDocument::loaded, this, [this] {
        dropImage();
        if (canvas())
            openImage();
    });
}

LiveClassifierTool::~LiveClassifierTool() {
    if (m_cancel)
        *m_cancel = true;
    m_watcher.waitForFinished();
}

std::string LiveClassifierTool::imageName() const {
    const Project* p = document()->project();
    return p && document()->isLoaded() ? p->images()[static_cast<std::size_t>(document()->index())].image : std::string();
}

QString LiveClassifierTool::statusText() const {
    if (!document()->isLoaded())
        return tr("Live classifier: open an image");
    if (!m_featuresReady)
        return tr("Live classifier: computing the image's features... (you can paint already)");
    const QString keys = tr("Left: paint the active class, right: erase strokes, Enter accepts, Shift+Enter the active "
                            "class only, Ctrl+drag a box (Ctrl+Shift: lasso), Esc hides");
    if (m_busy && !m_prefetching)
        return tr("Updating...  %1").arg(keys);
    if (hasProposal())
        return tr("Proposal in %1 ms.  %2").arg(qRound(m_lastSeconds * 1000)).arg(keys);
    if (!m_proposal.labels.empty())
        return tr("Proposal hidden: a stroke shows a new one.  %1").arg(keys);
    return tr("Paint strokes of at least two classes (background is class 0).  %1").arg(keys);
}

void LiveClassifierTool::activate(Canvas* c) {
    AbstractTool::activate(c);
    if (document()->isLoaded() && m_liveImage != document()->index())
        openImage();
    else if (m_live) {
        redrawStrokes(cv::Rect(0, 0, m_strokes.cols, m_strokes.rows));
        if (hasProposal())
            canvas()->setLayer(kProposalLayer, proposalLayer(m_proposal, classPalette(document()->project()->classes())));
    }
    Q_EMIT statusTextChanged(statusText());
}

void LiveClassifierTool::deactivate() {
    if (m_down)
        paintStroke(m_last, m_last, m_downValue, true);
    m_down = m_boxing = false;
    if (canvas()) {
        canvas()->setLayer(kProposalLayer, QImage());
        canvas()->setLayer(kStrokeLayer, QImage());
    }
    AbstractTool::deactivate();
}

void LiveClassifierTool::dropImage() {
    if (m_cancel)
        *m_cancel = true;  // the running job's result is dropped when it ends (m_live differs)
    ++m_generation;
    m_live.reset();
    m_liveImage = -1;
    m_strokes.release();
    m_strokeLayer = QImage();
    m_proposal = LivePrediction();
    m_proposalShown = false;
    m_featuresReady = m_updateWanted = m_prepareWanted = false;
    m_down = m_boxing = false;
    if (canvas()) {
        canvas()->setLayer(kProposalLayer, QImage());
        canvas()->setLayer(kStrokeLayer, QImage());
    }
    const Project* p = document()->project();
    if (!p || p->root() != m_projectRoot) {  // another project (or none): its samples mean nothing here
        m_samples.clear();
        m_next.reset();
        m_nextIndex = -1;
        m_projectRoot = p ? p->root() : std::string();
    }
    Q_EMIT statusTextChanged(statusText());
}

void LiveClassifierTool::openImage() {
    if (!document()->isLoaded() || !document()->project())
        return;
    const cv::Mat& image = document()->image();
    m_liveImage = document()->index();
    m_projectRoot = document()->project()->root();
    try {
        m_strokes = StrokeStore(m_projectRoot).load(imageName(), image.size());
    } catch (const std::exception& e) {
        m_strokes = cv::Mat(image.size(), CV_8UC1, cv::Scalar(StrokeStore::kUnpainted));
        Q_EMIT failed(tr("The strokes of this image cannot be read (they start afresh): %1").arg(e.what()));
    }
    m_samples.erase(imageName());  // this image's strokes are m_strokes now
    if (m_next && m_nextIndex == m_liveImage && m_next->size() == image.size())
        m_live = std::move(m_next);  // computed ahead: the prepare job finds its tiles cached
    else
        m_live = std::make_shared<LiveClassifier>(image, m_options);
    m_next.reset();
    m_nextIndex = -1;
    // A proposal at once when any image of the project has strokes: what they taught applies here too.
    m_updateWanted = !StrokeStore(m_projectRoot).imagesWithStrokes(*document()->project()).empty();
    m_strokeLayer = QImage(image.cols, image.rows, QImage::Format_ARGB32_Premultiplied);
    redrawStrokes(cv::Rect(0, 0, image.cols, image.rows));
    if (m_busy)
        m_prepareWanted = true;
    else
        startPrepare();
    Q_EMIT statusTextChanged(statusText());
}

void LiveClassifierTool::startPrepare() {
    m_prepareWanted = false;
    if (!m_live)
        return;
    // The other stroked images whose samples are not cached yet: read in the worker, by absolute path.
    std::vector<std::pair<std::string, std::string>> toRead;
    const Project* project = document()->project();
    const StrokeStore store(m_projectRoot);
    for (const std::string& image : store.imagesWithStrokes(*project))
        if (image != imageName() && !m_samples.count(image))
            toRead.emplace_back(image, project->absolute(image));
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_busy = true;
    auto job = std::make_shared<Job>();
    job->kind = Job::Prepare;
    m_updating = m_prefetching = false;
    job->live = m_live;
    job->generation = m_generation;
    m_watcher.setFuture(QtConcurrent::run([job, toRead, store, cancel = m_cancel] {
        job->featuresDone = job->live->computeFeatures(cancel.get());
        for (const auto& [image, path] : toRead) {
            if (*cancel)
                break;
            try {
                const cv::Mat pixels = readImageRgb(path);
                LiveClassifier other(pixels, job->live->options());
                job->samples[image] = other.strokeSamples(store.load(image, pixels.size()));
            } catch (const std::exception& e) {
                job->problems << QString::fromStdString(e.what());
            }
        }
        return job;
    }));
    Q_EMIT busyChanged(true);
}

LabelledSamples LiveClassifierTool::otherSamples() const {
    LabelledSamples all;
    for (const auto& entry : m_samples)
        all.append(entry.second);
    return all;
}

void LiveClassifierTool::requestUpdate() {
    ++m_generation;
    m_updateWanted = true;
    if (m_busy) {
        if ((m_updating || m_prefetching) && m_cancel)
            *m_cancel = true;  // an update of older strokes: stop it, the newest strokes run next
        return;                // (features being computed are needed by the next update: they go on)
    }
    if (m_featuresReady)
        startUpdate();
}

void LiveClassifierTool::startUpdate() {
    m_updateWanted = false;
    if (!m_live)
        return;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_busy = true;
    auto job = std::make_shared<Job>();
    job->kind = Job::Update;
    m_updating = true;
    m_prefetching = false;
    job->live = m_live;
    job->generation = m_generation;
    const std::vector<Rgb> palette = classPalette(document()->project()->classes());
    const cv::Rect visible = canvas() ? toCvRect(canvas()->visibleImageRect()) : cv::Rect();
    // The worker gets copies: the strokes (painting goes on meanwhile) and the samples' Mats (never written).
    // Each tile goes to the GUI thread as it is done (queued: this tool outlives the job, see the destructor).
    m_watcher.setFuture(QtConcurrent::run([this, job, strokes = m_strokes.clone(), samples = m_samples, palette, visible,
                                           cancel = m_cancel] {
        const auto t = std::chrono::steady_clock::now();
        LabelledSamples others;
        for (const auto& entry : samples)
            others.append(entry.second);
        job->trained = job->live->train(strokes, others);
        if (job->trained && !*cancel) {
            const LiveClassifier* live = job->live.get();
            const int generation = job->generation;
            job->prediction = job->live->predictTiles(visible, cancel.get(), [&](const LivePrediction& tile) {
                QMetaObject::invokeMethod(
                    this, [this, generation, live, tile, layer = proposalLayer(tile, palette)] { showTile(generation, live, tile, layer); },
                    Qt::QueuedConnection);
            });
        }
        job->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        return job;
    }));
    Q_EMIT busyChanged(true);
    Q_EMIT statusTextChanged(statusText());
}

void LiveClassifierTool::startPrefetch() {
    const Project* project = document()->project();
    const int next = document()->index() + 1;
    if (!project || !document()->isLoaded() || next >= static_cast<int>(project->images().size()))
        return;
    if (m_nextIndex == next && m_nextDone)
        return;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_busy = m_prefetching = true;
    m_updating = false;
    auto job = std::make_shared<Job>();
    job->kind = Job::Prefetch;
    job->index = next;
    job->path = project->absolute(project->images()[static_cast<std::size_t>(next)].image);
    job->live = m_nextIndex == next ? m_next : nullptr;  // resumed: its computed tiles stay
    m_watcher.setFuture(QtConcurrent::run([job, options = m_options, cancel = m_cancel] {
        try {
            if (!job->live)
                job->live = std::make_shared<LiveClassifier>(readImageRgb(job->path), options);
            job->featuresDone = job->live->computeFeatures(cancel.get());
        } catch (const std::exception&) {
            job->live.reset();  // unreadable: it says so when it is opened
        }
        return job;
    }));
}

void LiveClassifierTool::jobFinished() {
    m_busy = m_updating = m_prefetching = false;
    std::shared_ptr<Job> job;
    try {
        job = m_watcher.result();
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Live classifier failed: %1").arg(e.what()));
    }
    if (job && job->kind == Job::Prefetch) {
        if (job->live && document()->isLoaded() && job->index == document()->index() + 1 &&
            document()->project() && document()->project()->root() == m_projectRoot) {
            m_next = job->live;
            m_nextIndex = job->index;
            m_nextDone = job->featuresDone;
        } else if (job->live && m_prepareWanted && m_live && job->index == m_liveImage &&
                   m_live->features().cachedTiles() == 0 && job->live->size() == m_live->size()) {
            m_live = job->live;  // the image opened while its features were being computed ahead: keep them
        }
    } else if (job && job->kind == Job::Prepare) {
        // Samples are keyed by image and valid whichever image is open now (same project).
        if (document()->project() && document()->project()->root() == m_projectRoot)
            for (auto& [image, s] : job->samples)
                if (image != imageName())
                    m_samples[image] = std::move(s);
        if (!job->problems.isEmpty())
            Q_EMIT failed(tr("Strokes of other images left out: %1").arg(job->problems.join("; ")));
        if (job->live == m_live && job->featuresDone)
            m_featuresReady = true;
    } else if (job && job->live == m_live) {
        if (!job->trained) {
            m_proposal = LivePrediction();
            m_proposalShown = false;
            if (canvas())
                canvas()->setLayer(kProposalLayer, QImage());
        } else if (job->prediction.complete && job->generation == m_generation) {
            m_proposal = job->prediction;  // what its tiles showed, whole
            m_proposalShown = true;
            m_lastSeconds = job->seconds;
            ++m_updatesShown;
            if (canvas() && !canvas()->hasLayer(kProposalLayer))
                canvas()->setLayer(kProposalLayer, proposalLayer(m_proposal, classPalette(document()->project()->classes())));
            Q_EMIT proposalReady();
        } else {
            ++m_updatesCancelled;
        }
    }
    Q_EMIT busyChanged(false);
    if (m_prepareWanted)
        startPrepare();
    else if (m_updateWanted && m_featuresReady)
        startUpdate();
    else if (m_featuresReady && m_live)
        startPrefetch();
    Q_EMIT statusTextChanged(statusText());
}

void LiveClassifierTool::showTile(int generation, const LiveClassifier* live, const LivePrediction& tile, const QImage& layer) {
    if (!m_live || m_live.get() != live || generation != m_generation || m_strokes.empty())
        return;  // an older update's tile, or another image's
    if (!m_proposalShown || m_proposal.labels.size() != m_strokes.size()) {
        // What is shown is what an accept writes: a hidden proposal is not brought back under the new tiles.
        m_proposal = LivePrediction();
        m_proposal.region = cv::Rect(0, 0, m_strokes.cols, m_strokes.rows);
        m_proposal.labels = cv::Mat(m_strokes.size(), CV_8UC1, cv::Scalar(255));
        m_proposal.confidence = cv::Mat(m_strokes.size(), CV_8UC1, cv::Scalar(0));
        if (canvas())
            canvas()->setLayer(kProposalLayer, QImage());
    }
    tile.labels.copyTo(m_proposal.labels(tile.region));
    tile.confidence.copyTo(m_proposal.confidence(tile.region));
    m_proposalShown = true;
    if (canvas())
        canvas()->setLayerPatch(kProposalLayer, QPoint(tile.region.x, tile.region.y), layer);
    ++m_tilesShown;
    Q_EMIT tileShown(toQRect(tile.region));
}

void LiveClassifierTool::redrawStrokes(const cv::Rect& rect) {
    if (m_strokes.empty() || m_strokeLayer.isNull())
        return;
    const cv::Rect r = rect & cv::Rect(0, 0, m_strokes.cols, m_strokes.rows);
    const std::vector<Rgb> palette = classPalette(document()->project()->classes());
    for (int y = r.y; y < r.y + r.height; ++y) {
        const uchar* s = m_strokes.ptr<uchar>(y);
        auto* dst = reinterpret_cast<QRgb*>(m_strokeLayer.scanLine(y));
        for (int x = r.x; x < r.x + r.width; ++x)
            dst[x] = strokeColour(s[x], palette);
    }
    if (canvas())
        canvas()->setLayer(kStrokeLayer, m_strokeLayer);
}

void LiveClassifierTool::paintStroke(QPointF from, QPointF to, int value, bool end) {
    if (!m_live || m_strokes.empty())
        return;
    MaskPainter painter(m_strokes);
    const float radius = settings()->brushRadius();
    const cv::Rect r = painter.segment(cv::Point2f(static_cast<float>(from.x()), static_cast<float>(from.y())),
                                       cv::Point2f(static_cast<float>(to.x()), static_cast<float>(to.y())), radius,
                                       static_cast<std::uint8_t>(value));
    redrawStrokes(r);
    if (!end)
        return;
    try {
        StrokeStore(m_projectRoot).save(imageName(), m_strokes);
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Cannot save the strokes: %1").arg(e.what()));
    }
    requestUpdate();
    Q_EMIT statusTextChanged(statusText());
}

void LiveClassifierTool::clearStrokes() {
    if (m_strokes.empty())
        return;
    m_strokes.setTo(StrokeStore::kUnpainted);
    paintStroke(QPointF(-10, -10), QPointF(-10, -10), StrokeStore::kUnpainted, true);
    redrawStrokes(cv::Rect(0, 0, m_strokes.cols, m_strokes.rows));
}

void LiveClassifierTool::mousePressed(const ToolEvent& e) {
    if (!m_live || (e.button != Qt::LeftButton && e.button != Qt::RightButton))
        return;
    if (e.button == Qt::LeftButton && (e.modifiers & Qt::ControlModifier)) {
        m_boxing = true;
        m_boxStart = m_boxEnd = e.pos;
        m_lasso.clear();
        if (e.modifiers & Qt::ShiftModifier)
            m_lasso << e.pos;
        return;
    }
    m_down = true;
    m_downValue = e.button == Qt::RightButton ? StrokeStore::kUnpainted : settings()->activeClass();
    m_last = e.pos;
    paintStroke(e.pos, e.pos, m_downValue, false);
}

void LiveClassifierTool::mouseMoved(const ToolEvent& e) {
    const float r = settings()->brushRadius() * 1.3f + 2;
    refresh(QRectF(m_hover - QPointF(r, r), QSizeF(2 * r, 2 * r)));
    m_hover = e.pos;
    refresh(QRectF(m_hover - QPointF(r, r), QSizeF(2 * r, 2 * r)));
    if (m_boxing) {
        refresh(QRectF(m_boxStart, m_boxEnd).normalized().adjusted(-2, -2, 2, 2));
        m_boxEnd = e.pos;
        refresh(QRectF(m_boxStart, m_boxEnd).normalized().adjusted(-2, -2, 2, 2));
        if (!m_lasso.isEmpty()) {
            m_lasso << e.pos;
            refresh(m_lasso.boundingRect().adjusted(-2, -2, 2, 2));
        }
        return;
    }
    if (!m_down)
        return;
    paintStroke(m_last, e.pos, m_downValue, false);
    m_last = e.pos;
}

void LiveClassifierTool::mouseReleased(const ToolEvent& e) {
    if (m_boxing && e.button == Qt::LeftButton) {
        m_boxing = false;
        if (!m_lasso.isEmpty()) {
            m_lasso << e.pos;
            acceptInside(m_lasso);
            m_lasso.clear();
        } else {
            acceptInside(pixelSpan(pixelAt(m_boxStart), pixelAt(e.pos)));
        }
        if (canvas())
            canvas()->update();
        return;
    }
    if (!m_down)
        return;
    m_down = false;
    paintStroke(m_last, e.pos, m_downValue, true);
}

void LiveClassifierTool::accept(const cv::Mat& where, const QString& label) {
    if (!hasProposal() || where.empty())
        return;
    document()->applyLabels(m_proposal.labels, where, label);
}

void LiveClassifierTool::acceptAll() {
    if (!hasProposal())
        return;
    accept(m_proposal.labels != 255, tr("Live classifier: accept all"));
    hideProposal();  // the mask shows it now
}

void LiveClassifierTool::acceptClass(int cls) {
    if (hasProposal())
        accept(m_proposal.labels == cls, tr("Live classifier: accept class %1").arg(cls));
}

void LiveClassifierTool::acceptInside(const QRect& box) {
    if (!hasProposal())
        return;
    const cv::Rect r = toCvRect(box) & cv::Rect(0, 0, m_proposal.labels.cols, m_proposal.labels.rows);
    if (r.empty())
        return;
    cv::Mat where(m_proposal.labels.size(), CV_8UC1, cv::Scalar(0));
    where(r).setTo(255);
    accept(where, tr("Live classifier: accept inside a box"));
}

void LiveClassifierTool::acceptInside(const QPolygonF& lasso) {
    if (!hasProposal() || lasso.size() < 3)
        return;
    // The pixels whose centres the polygon holds: fillPoly's rule with the vertices moved by half a pixel.
    std::vector<cv::Point> points;
    for (const QPointF& q : lasso)
        points.emplace_back(cvRound(q.x() - 0.5), cvRound(q.y() - 0.5));
    cv::Mat where(m_proposal.labels.size(), CV_8UC1, cv::Scalar(0));
    cv::fillPoly(where, std::vector<std::vector<cv::Point>>{points}, cv::Scalar(255));
    accept(where, tr("Live classifier: accept inside a lasso"));
}

void LiveClassifierTool::hideProposal() {
    m_proposalShown = false;
    if (canvas())
        canvas()->setLayer(kProposalLayer, QImage());
    Q_EMIT statusTextChanged(statusText());
}

bool LiveClassifierTool::keyPressed(QKeyEvent* e) {
    if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) && hasProposal()) {
        if (e->modifiers() & Qt::ShiftModifier)
            acceptClass(settings()->activeClass());
        else
            acceptAll();
        return true;
    }
    if (e->key() == Qt::Key_Escape && hasProposal()) {
        hideProposal();
        return true;
    }
    return resizeBrushByKey(settings(), e->key());  // the brush's keys: strokes are painted with its size
}

void LiveClassifierTool::paintPreview(QPainter& p) {
    if (m_boxing) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(Qt::white, 0, Qt::DashLine));
        if (m_lasso.isEmpty())
            p.drawRect(QRectF(m_boxStart, m_boxEnd).normalized());
        else
            p.drawPolygon(m_lasso);
        return;
    }
    if (m_hover.x() < -1e8)
        return;
    drawBrushOutline(p, m_hover, settings()->brushRadius());  // the disc a stroke's dab paints, as the brush's
}

} // namespace mf
