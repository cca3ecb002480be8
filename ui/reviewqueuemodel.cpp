#include "reviewqueuemodel.h"

#include "project/project.h"
#include "qtcv.h"

#include <QFileInfo>
#include <QLocale>

namespace mf {

ReviewQueueModel::ReviewQueueModel(QObject* parent) : QAbstractListModel(parent) {}

void ReviewQueueModel::setProject(const Project* project) {
    beginResetModel();
    m_project = project;
    m_queue = ReviewQueue(project ? project->root() : std::string());
    endResetModel();
    if (!project)
        return;
    ReviewQueue loaded = ReviewQueue::load(project->root());
    beginResetModel();
    m_queue = std::move(loaded);
    const bool pruned = !m_queue.prune(*project).empty();
    endResetModel();
    if (pruned)
        save();
}

void ReviewQueueModel::save() { m_queue.save(); }

bool ReviewQueueModel::addProposal(const ReviewEntry& e) {
    if (!m_project || projectRow(e.image) < 0)
        return false;
    const int row = projectRow(e.image);
    const int at = indexOf(row);
    if (at >= 0) {
        m_queue.add(e);
        Q_EMIT dataChanged(index(at), index(at));
    } else {
        beginInsertRows({}, size(), size());
        m_queue.add(e);
        endInsertRows();
    }
    save();
    return true;
}

bool ReviewQueueModel::remove(int row) {
    const int at = indexOf(row);
    if (at < 0)
        return false;
    beginRemoveRows({}, at, at);
    m_queue.remove(m_queue.entries()[at].image);
    endRemoveRows();
    save();
    return true;
}

void ReviewQueueModel::clear() {
    beginResetModel();
    m_queue.clear();
    endResetModel();
}

void ReviewQueueModel::reload() {
    beginResetModel();
    endResetModel();
}

int ReviewQueueModel::projectRow(const std::string& image) const {
    if (!m_project)
        return -1;
    const auto& images = m_project->images();
    for (int i = 0; i < static_cast<int>(images.size()); ++i)
        if (images[i].image == image)
            return i;
    return -1;
}

int ReviewQueueModel::indexOf(int row) const {
    if (!m_project || row < 0 || row >= static_cast<int>(m_project->images().size()))
        return -1;
    const std::string& image = m_project->images()[row].image;
    for (int i = 0; i < size(); ++i)
        if (m_queue.entries()[i].image == image)
            return i;
    return -1;
}

const ReviewEntry* ReviewQueueModel::entry(int row) const {
    const int at = indexOf(row);
    return at >= 0 ? &m_queue.entries()[at] : nullptr;
}

ReviewQueueModel::Item ReviewQueueModel::item(int i) const {
    const ReviewEntry& e = m_queue.entries().at(i);
    return {projectRow(e.image), toQString(e.origin), summary(e)};
}

QList<int> ReviewQueueModel::rows() const {
    QList<int> out;
    for (const ReviewEntry& e : m_queue.entries())
        out.push_back(projectRow(e.image));
    return out;
}

QString ReviewQueueModel::summary(const ReviewEntry& e) const {
    QStringList names;
    for (int c : e.classes) {
        const ClassInfo* info = m_project ? m_project->findClass(c) : nullptr;
        names << (info ? toQString(info->name) : QString::number(c));
    }
    QString text = tr("%1 px changed").arg(QLocale().toString(e.changedPixels));
    if (!names.isEmpty())
        text += ": " + names.join(", ");
    if (e.emptyBoxes > 0)
        text += tr("; %n box(es) kept coarse", nullptr, e.emptyBoxes);
    return text;
}

int ReviewQueueModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : size(); }

QVariant ReviewQueueModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= size() || !m_project)
        return {};
    const ReviewEntry& e = m_queue.entries()[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return QString("%1  [%2]\n%3").arg(QFileInfo(toQString(e.image)).fileName(), toQString(e.origin), summary(e));
    case Qt::ToolTipRole:
        return tr("Proposed by %1: %2").arg(toQString(e.origin), summary(e));
    case ProjectRowRole:
        return projectRow(e.image);
    case ReasonRole:
        return toQString(e.origin);
    case SummaryRole:
        return summary(e);
    default:
        return {};
    }
}

} // namespace mf
