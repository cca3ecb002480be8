#include "reviewqueuemodel.h"

#include "project/project.h"
#include "qtcv.h"

#include <QFileInfo>

namespace mf {

ReviewQueueModel::ReviewQueueModel(QObject* parent) : QAbstractListModel(parent) {}

void ReviewQueueModel::setProject(const Project* project) {
    m_project = project;
    clear();
}

void ReviewQueueModel::add(int row, const QString& reason, const QString& summary) {
    if (!m_project || row < 0 || row >= static_cast<int>(m_project->images().size()))
        return;
    const int at = indexOf(row);
    if (at >= 0) {
        m_items[at] = {row, reason, summary};
        Q_EMIT dataChanged(index(at), index(at));
        return;
    }
    beginInsertRows({}, size(), size());
    m_items.push_back({row, reason, summary});
    endInsertRows();
}

bool ReviewQueueModel::remove(int row) {
    const int at = indexOf(row);
    if (at < 0)
        return false;
    beginRemoveRows({}, at, at);
    m_items.removeAt(at);
    endRemoveRows();
    return true;
}

void ReviewQueueModel::clear() {
    beginResetModel();
    m_items.clear();
    endResetModel();
}

int ReviewQueueModel::indexOf(int row) const {
    for (int i = 0; i < size(); ++i)
        if (m_items[i].row == row)
            return i;
    return -1;
}

QList<int> ReviewQueueModel::rows() const {
    QList<int> out;
    for (const Item& it : m_items)
        out.push_back(it.row);
    return out;
}

int ReviewQueueModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : size(); }

QVariant ReviewQueueModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= size() || !m_project)
        return {};
    const Item& it = m_items[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return QString("%1\n%2").arg(QFileInfo(toQString(m_project->images()[it.row].image)).fileName(), it.summary);
    case Qt::ToolTipRole:
        return QString("%1: %2").arg(it.reason, it.summary);
    case ProjectRowRole:
        return it.row;
    case ReasonRole:
        return it.reason;
    case SummaryRole:
        return it.summary;
    default:
        return {};
    }
}

} // namespace mf
