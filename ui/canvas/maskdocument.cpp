#include "canvas/maskdocument.h"

#include "io/imageio.h"
#include "common/qtcv.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <limits>

#include <opencv2/imgproc.hpp>

namespace mf {

namespace {
constexpr int kUnreachable = std::numeric_limits<int>::min();
}

MaskDocument::MaskDocument(QObject* parent) : QObject(parent), m_proposalBase(kUnreachable) {}

void MaskDocument::setProject(Project* project) {
    m_project = project;
    m_restore.clear();
    clear();
}

void MaskDocument::clear() {
    m_index = -1;
    m_image = m_coarse = cv::Mat();
    m_imageQ = QImage();
    m_editor.reset(cv::Mat::zeros(0, 0, CV_8UC1));
    m_revision = 0;
    m_proposalBase = kUnreachable;
    markSaved();
    Q_EMIT loaded();
}

void MaskDocument::load(int index) {
    if (!m_project || index < 0 || index >= static_cast<int>(m_project->images().size()))
        throw std::out_of_range("MaskDocument::load: no such image");
    const ImageEntry& e = m_project->images()[index];
    cv::Mat image = readImageRgb(m_project->absolute(e.image));
    auto maskOrEmpty = [&](const std::string& rel) {
        if (rel.empty() || !QFileInfo::exists(toQString(m_project->absolute(rel))))
            return cv::Mat();
        cv::Mat m = readMask(m_project->absolute(rel), m_project->maskEncoding());
        if (m.size() != image.size())
            throw FileError(m_project->absolute(rel), "mask size differs from its image's");
        return m;
    };
    cv::Mat mask = maskOrEmpty(e.mask), coarse = maskOrEmpty(e.coarse);
    // Taken off the list before reading, so an unreadable autosave cannot keep the image from opening.
    const bool restore = m_restore.removeAll(index) > 0;
    const cv::Mat edits = restore ? readAutosave(index, image.size()) : cv::Mat();
    m_image = image;
    m_imageQ = toQImage(image);
    m_coarse = coarse;
    m_editor.reset(mask.empty() ? cv::Mat::zeros(image.size(), CV_8UC1) : mask);
    m_index = index;
    m_revision = 0;
    m_proposalBase = kUnreachable;
    markSaved();
    Q_EMIT loaded();
    if (!edits.empty())
        applyAutosave(edits);
    Q_EMIT undoStateChanged();
}

int MaskDocument::classAt(QPoint p) const {
    const cv::Mat& m = mask();
    if (p.x() < 0 || p.y() < 0 || p.x() >= m.cols || p.y() >= m.rows)
        return -1;
    return m.at<std::uint8_t>(p.y(), p.x());
}

void MaskDocument::changed(const cv::Rect& rect) {
    if (rect.empty())
        return;
    m_editor.touch(rect);
    Q_EMIT maskChanged(toQRect(rect));
}

void MaskDocument::committed() {
    setDirty(m_revision != m_savedRevision);
    Q_EMIT undoStateChanged();
}

void MaskDocument::paintDab(QPointF c, float radius, int value) {
    if (isLoaded())
        changed(m_editor.painter().dab(cv::Point2f(c.x(), c.y()), radius, static_cast<std::uint8_t>(value)));
}

void MaskDocument::paintSegment(QPointF a, QPointF b, float radius, int value) {
    if (isLoaded())
        changed(m_editor.painter().segment(cv::Point2f(a.x(), a.y()), cv::Point2f(b.x(), b.y()), radius,
                                           static_cast<std::uint8_t>(value)));
}

void MaskDocument::endStroke(const QString& label) {
    if (!m_editor.commit(label.toStdString()))
        return;
    if (m_savedRevision > m_revision)
        m_savedRevision = kUnreachable;  // the saved state was on the redo branch this commit just dropped
    ++m_revision;
    committed();
}

void MaskDocument::cancelStroke() {
    const cv::Rect r = m_editor.rollback();
    if (!r.empty())
        Q_EMIT maskChanged(toQRect(r));
}

void MaskDocument::fillRect(const QRect& rect, int value) {
    if (!isLoaded())
        return;
    changed(m_editor.painter().rect(toCvRect(rect.normalized()), static_cast<std::uint8_t>(value)));
    endStroke(tr("Rectangle fill"));
}

void MaskDocument::fillPolygon(const QPolygonF& polygon, int value) {
    if (!isLoaded() || polygon.size() < 3)
        return;
    std::vector<cv::Point> pts;
    for (const QPointF& p : polygon) {  // each corner's pixel is filled, as the status bar names it
        const QPoint px = pixelAt(p);
        pts.emplace_back(px.x(), px.y());
    }
    changed(m_editor.painter().polygon(pts, static_cast<std::uint8_t>(value)));
    endStroke(tr("Polygon fill"));
}

int MaskDocument::floodFill(QPoint seed, const FloodOptions& options, int value) {
    if (!isLoaded())
        return 0;
    const FloodRegion r = floodRegion(m_image, mask(), {seed.x(), seed.y()}, options);
    if (r.pixels == 0)
        return 0;
    changed(m_editor.painter().region(r.region, r.rect, static_cast<std::uint8_t>(value)));
    endStroke(tr("Flood fill"));
    return r.pixels;
}

void MaskDocument::applyRefinements(const std::vector<RefineResult>& results) {
    if (!isLoaded())
        return;
    cv::Mat m = mask();
    for (const RefineResult& r : results)
        changed(applyRefinement(m, r));
    endStroke(tr("Box refinement"));
}

void MaskDocument::applyObject(const cv::Mat& object, int value, const QString& label) {
    if (!isLoaded() || object.size() != mask().size() || object.type() != CV_8UC1)
        return;
    const cv::Rect r = cv::boundingRect(object);
    if (r.empty())
        return;
    cv::Mat m = mask();
    m(r).setTo(value, object(r));
    changed(r);
    endStroke(label);
}

void MaskDocument::applyLabels(const cv::Mat& labels, const cv::Mat& where, const QString& label) {
    if (!isLoaded() || labels.size() != mask().size() || labels.type() != CV_8UC1 || where.size() != mask().size() ||
        where.type() != CV_8UC1)
        return;
    const cv::Rect r = cv::boundingRect(where);
    if (r.empty())
        return;
    cv::Mat m = mask();
    labels(r).copyTo(m(r), where(r));
    changed(r);
    endStroke(label);
}

bool MaskDocument::revertToCoarse() {
    if (!isLoaded() || m_coarse.empty())
        return false;
    replaceMask(m_coarse, tr("Revert to coarse"));
    return true;
}

void MaskDocument::replaceMask(const cv::Mat& m, const QString& label) {
    m.copyTo(mask());
    changed(cv::Rect(0, 0, m.cols, m.rows));
    endStroke(label);
}

void MaskDocument::applyProposal(const cv::Mat& candidate, const QString& label) {
    if (!isLoaded())
        return;
    if (candidate.size() != mask().size() || candidate.type() != mask().type())
        throw FileError(m_project->absolute(m_project->images()[m_index].image),
                        QString("the proposed mask is %1x%2, the image %3x%4; not applied")
                            .arg(candidate.cols).arg(candidate.rows).arg(mask().cols).arg(mask().rows).toStdString());
    m_proposalBase = m_revision;
    replaceMask(candidate, label);
}

bool MaskDocument::hasProposal() const { return isLoaded() && m_proposalBase != kUnreachable; }

bool MaskDocument::withdrawProposal() {
    if (!hasProposal())
        return false;
    while (m_revision > m_proposalBase && canUndo())
        undo();
    m_proposalBase = kUnreachable;
    return true;
}

void MaskDocument::undo() {
    const cv::Rect r = m_editor.undo();
    if (!r.empty()) {
        --m_revision;
        Q_EMIT maskChanged(toQRect(r));
        committed();
    }
}

void MaskDocument::redo() {
    const cv::Rect r = m_editor.redo();
    if (!r.empty()) {
        ++m_revision;
        Q_EMIT maskChanged(toQRect(r));
        committed();
    }
}

void MaskDocument::markSaved() {
    m_savedRevision = m_revision;
    setDirty(false);
}

void MaskDocument::setDirty(bool dirty) {
    if (dirty == m_dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

} // namespace mf
