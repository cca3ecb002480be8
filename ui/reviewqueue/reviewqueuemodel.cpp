#include "reviewqueue/reviewqueuemodel.h"

#include "project/project.h"
#include "common/qtcv.h"

#include "review/boxkeep.h"

#include <QColor>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>

namespace mf {

ReviewQueueModel::ReviewQueueModel(QObject* parent) : QAbstractListModel(parent) {}

void ReviewQueueModel::setProject(const Project* project) {
    beginResetModel();
    m_project = project;
    m_queue = ReviewQueue(project ? project->root() : std::string());
    m_rows.clear();
    if (project)
        for (int i = 0; i < static_cast<int>(project->images().size()); ++i)
            m_rows.insert(toQString(project->images()[i].image), i);
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

bool ReviewQueueModel::insert(const ReviewEntry& e) {
    const int row = projectRow(e.image);
    if (row < 0)
        return false;
    const int at = indexOf(row);
    if (at >= 0) {
        m_queue.add(e);
        Q_EMIT dataChanged(index(at), index(at));
    } else {
        beginInsertRows({}, size(), size());
        m_queue.add(e);
        endInsertRows();
    }
    return true;
}

bool ReviewQueueModel::addProposal(const ReviewEntry& e) {
    if (!insert(e))
        return false;
    save();
    return true;
}

int ReviewQueueModel::addProposals(const QList<ReviewEntry>& entries) {
    int added = 0;
    for (const ReviewEntry& e : entries)
        added += insert(e) ? 1 : 0;
    if (added > 0)
        save();
    return added;
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
    // The project's image list may have grown (an import) since setProject: fall back to a search.
    const auto& images = m_project->images();
    const int cached = m_rows.value(toQString(image), -1);
    if (cached >= 0 && cached < static_cast<int>(images.size()) && images[cached].image == image)
        return cached;
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

namespace {
bool flagged(const ReviewEntry& e) { return e.lostABox(); }
QString percent(double share) { return QLocale().toString(share * 100, 'f', share < 0.1 ? 1 : 0) + " %"; }
} // namespace

int ReviewQueueModel::flaggedCount() const {
    const auto& entries = m_queue.entries();
    return static_cast<int>(std::count_if(entries.begin(), entries.end(), flagged));
}

QString ReviewQueueModel::summary(const ReviewEntry& e) const {
    QStringList names;
    for (int c : e.classes) {
        const ClassInfo* info = m_project ? m_project->findClass(c) : nullptr;
        names << (info ? toQString(info->name) : QString::number(c));
    }
    QString text;
    if (e.leastKept >= 0) {
        if (flagged(e))
            text = tr("keeps almost nothing (%1) of a box");
        else if (e.leastKept < kAlmostNothingKept)  // thin objects: little of the box, but across all of it
            text = tr("keeps ≥ %1 of each box, reaching across it");
        else
            text = tr("keeps ≥ %1 of each box");
        text = text.arg(percent(e.leastKept)) + " · ";
    }
    text += tr("%1 px changed").arg(QLocale().toString(e.changedPixels));
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
        return QString("%1%2  [%3]\n%4")
            .arg(flagged(e) ? QString::fromUtf8("\u26A0 ") : QString(), QFileInfo(toQString(e.image)).fileName(),
                 toQString(e.origin), summary(e));
    case Qt::ForegroundRole:
        return flagged(e) ? QVariant(QColor(170, 40, 20)) : QVariant();
    case Qt::ToolTipRole:
        return tr("Proposed by %1: %2").arg(toQString(e.origin), summary(e));
    case ProjectRowRole:
        return projectRow(e.image);
    case ReasonRole:
        return toQString(e.origin);
    case SummaryRole:
        return summary(e);
    case KeptRole:
        return e.leastKept >= 0 ? e.leastKept : 2.0;
    case FlaggedRole:
        return flagged(e);
    case QueueOrderRole:
        return index.row();
    default:
        return {};
    }
}

} // namespace mf
