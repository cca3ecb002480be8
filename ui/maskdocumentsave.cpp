// MaskDocument: saving, status and crash-recovery autosave.
#include "maskdocument.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "qtcv.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace mf {

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
    writeMaskAtomic(path, mask());
    if (e.status == ImageStatus::Unlabelled || (e.status == ImageStatus::Coarse && m_dirty))
        e.status = ImageStatus::Refined;
    writeProject();
    QFile::remove(autosavePath(m_index));
    setDirty(false);
    Q_EMIT entryChanged(m_index);
}

ImageStatus MaskDocument::status() const {
    return isLoaded() ? m_project->images()[m_index].status : ImageStatus::Unlabelled;
}

void MaskDocument::setStatus(ImageStatus status) {
    if (!isLoaded() || status == this->status())
        return;
    m_project->images()[m_index].status = status;
    writeProject();
    Q_EMIT entryChanged(m_index);
}

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
    if (!isLoaded() || !m_dirty)
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

int MaskDocument::restoreAutosaved() {
    int restored = 0;
    for (int i : autosavedImages()) {
        ImageEntry& e = m_project->images()[i];
        if (e.mask.empty())
            e.mask = "masks/" + QFileInfo(toQString(e.image)).completeBaseName().toStdString() + ".png";
        const std::string target = m_project->absolute(e.mask);
        makeDirs(QFileInfo(toQString(target)).absolutePath().toStdString());
        writeMaskAtomic(target, readMask(autosavePath(i).toStdString()));
        if (e.status != ImageStatus::Reviewed)
            e.status = ImageStatus::Refined;
        QFile::remove(autosavePath(i));
        ++restored;
        Q_EMIT entryChanged(i);
    }
    if (restored)
        writeProject();
    if (restored && isLoaded())
        load(m_index);
    return restored;
}

void MaskDocument::discardAutosaved() {
    for (int i : autosavedImages())
        QFile::remove(autosavePath(i));
}

} // namespace mf
