// MaskDocument: saving, status and crash-recovery autosave.
#include "canvas/maskdocument.h"

#include "io/atomicfile.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "common/qtcv.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <limits>

namespace mf {

namespace {
constexpr int kUnreachableProposal = std::numeric_limits<int>::min();
}

void MaskDocument::writeProject() {
    if (m_project)
        m_project->save();
}

void MaskDocument::save() {
    if (!isLoaded())
        return;
    ImageEntry& e = m_project->images()[m_index];
    if (e.mask.empty())
        e.mask = "masks/" + QFileInfo(toQString(e.image)).completeBaseName().toStdString() + ".png";
    const std::string path = m_project->absolute(e.mask);
    makeDirs(QFileInfo(toQString(path)).absolutePath().toStdString());
    writeMaskAtomic(path, mask(), m_project->maskEncoding());
    const ImageStatus before = e.status;
    e.status = nextStatus(e.status, saveEvent(mask(), m_coarse, m_dirty));
    try {
        writeProject();
    } catch (...) {
        e.status = before;
        throw;
    }
    QFile::remove(autosavePath(m_index));
    m_proposalBase = kUnreachableProposal;
    markSaved();
    Q_EMIT entryChanged(m_index);
}

ImageStatus MaskDocument::status() const {
    return isLoaded() ? m_project->images()[m_index].status : ImageStatus::Unlabelled;
}

void MaskDocument::setStatus(ImageStatus status) {
    if (!isLoaded() || status == this->status())
        return;
    ImageStatus& s = m_project->images()[m_index].status;
    const ImageStatus before = s;
    s = status;
    try {
        writeProject();
    } catch (...) {
        s = before;
        throw;
    }
    Q_EMIT entryChanged(m_index);
}

void MaskDocument::applyStatusEvent(StatusEvent event) { setStatus(nextStatus(status(), event)); }

QString MaskDocument::autosaveDir() const {
    return m_project ? QDir(toQString(m_project->root())).filePath(".maskforge/autosave") : QString();
}

QString MaskDocument::autosavePath(int index) const {
    if (!m_project || index < 0)
        return {};
    const QString stem = QFileInfo(toQString(m_project->images()[index].image)).completeBaseName();
    return QDir(autosaveDir()).filePath(QString("%1_%2.png").arg(index).arg(stem));
}

void MaskDocument::autosave() {
    // A proposal only looked at is no edit of the person's: it waits in the review queue, and a crash
    // must not bring it back as "restored edits".
    if (!isLoaded() || !m_dirty || (hasProposal() && !proposalEdited()))
        return;
    makeDirs(autosaveDir().toStdString());
    writeMaskAtomic(autosavePath(m_index).toStdString(), mask());
}

QList<int> MaskDocument::autosavedImages() const {
    QList<int> out;
    if (!m_project)
        return out;
    for (int i = 0; i < static_cast<int>(m_project->images().size()); ++i)
        if (QFileInfo::exists(autosavePath(i)))
            out.push_back(i);
    return out;
}

void MaskDocument::restoreAutosaved(const QList<int>& rows) {
    for (int row : rows)
        if (!m_restore.contains(row) && QFileInfo::exists(autosavePath(row)))
            m_restore.push_back(row);
    if (isLoaded() && m_restore.removeAll(m_index) > 0)
        applyAutosave(readAutosave(m_index, m_image.size()));
}

cv::Mat MaskDocument::readAutosave(int index, cv::Size size) const {
    const std::string path = autosavePath(index).toStdString();
    cv::Mat m = readMask(path, MaskEncoding::Index);  // autosaves are ours, index PNG
    if (m.size() != size)
        throw FileError(path, "autosaved mask size differs from its image's");
    return m;
}

void MaskDocument::applyAutosave(const cv::Mat& edits) {
    edits.copyTo(mask());
    changed(cv::Rect(0, 0, edits.cols, edits.rows));
    endStroke(tr("Restore autosaved edits"));
}

void MaskDocument::discardAutosaved() {
    for (int i : autosavedImages())
        if (!m_restore.contains(i))
            QFile::remove(autosavePath(i));
}

void MaskDocument::discardAutosaved(int index) {
    m_restore.removeAll(index);
    QFile::remove(autosavePath(index));
}

} // namespace mf
