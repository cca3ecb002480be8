#include "dataset/datasetmodel.h"

#include "io/imageheader.h"
#include "io/imageio.h"
#include "common/qtcv.h"

#include <QFileInfo>
#include <QPainter>
#include <QtConcurrent>
#include <opencv2/imgproc.hpp>

namespace mf {

DatasetModel::DatasetModel(QObject* parent) : QAbstractListModel(parent) {
    connect(&m_watcher, &QFutureWatcher<Thumb>::finished, this, &DatasetModel::thumbLoaded);
    connect(&m_headers, &QFutureWatcher<QVector<QString>>::finished, this, &DatasetModel::headersDone);
}

DatasetModel::~DatasetModel() {
    m_watcher.waitForFinished();
    m_headers.waitForFinished();
}

namespace {

/** What is wrong with an image (and its mask) judging by their headers only (core's readImageHeader:
 *  no pixel is decoded, truncated files are caught), so a whole project is checked in moments. Empty
 *  when both look usable. */
QString headerProblem(const QString& image, const QString& mask) {
    try {
        const ImageHeader i = readImageHeader(image.toStdString());
        if (mask.isEmpty() || !QFileInfo::exists(mask))
            return {};
        const ImageHeader m = readImageHeader(mask.toStdString());
        if (i.width > 0 && m.width > 0 && (i.width != m.width || i.height != m.height))
            return QObject::tr("%1: the mask is %2x%3, its image %4x%5")
                .arg(mask).arg(m.width).arg(m.height).arg(i.width).arg(i.height);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

void DatasetModel::checkHeaders() {
    m_headers.waitForFinished();  // a previous project's check: it is quick, and its result is dropped
    QVector<QPair<QString, QString>> files;
    if (m_project)
        for (const ImageEntry& e : m_project->images())
            files.push_back({toQString(m_project->absolute(e.image)), e.mask.empty() ? QString() : toQString(m_project->absolute(e.mask))});
    m_headers.setProperty("generation", m_generation);
    m_headers.setFuture(QtConcurrent::run([files] {
        QVector<QString> out;
        for (const auto& [image, mask] : files)
            out.push_back(headerProblem(image, mask));
        return out;
    }));
}

void DatasetModel::headersDone() {
    if (m_headers.property("generation").toInt() != m_generation)
        return;
    const QVector<QString> problems = m_headers.result();
    if (problems.size() != rowCount())
        return;
    m_problems = problems;
    int flagged = 0;
    for (int row = 0; row < problems.size(); ++row)
        if (!problems[row].isEmpty()) {
            ++flagged;
            Q_EMIT dataChanged(index(row), index(row));
        }
    Q_EMIT headersChecked(flagged);
}

void DatasetModel::setProject(const Project* project) {
    beginResetModel();
    m_project = project;
    const int n = project ? static_cast<int>(project->images().size()) : 0;
    m_thumbs = QVector<QImage>(n);
    m_classes = QVector<qint64>(n, -1);
    m_requested = QVector<bool>(n, false);
    m_queue.clear();
    m_problems = QVector<QString>(n);
    ++m_generation;
    endResetModel();
    checkHeaders();
}

int DatasetModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_project ? 0 : static_cast<int>(m_project->images().size());
}

QVariant DatasetModel::data(const QModelIndex& index, int role) const {
    if (!m_project || !index.isValid() || index.row() >= rowCount())
        return {};
    const ImageEntry& e = m_project->images()[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return (problem(index.row()).isEmpty() ? QString() : QString::fromUtf8("\u26A0 ")) + QFileInfo(toQString(e.image)).fileName();
    case Qt::ToolTipRole:
        return toQString(e.image + " (" + toString(e.status) + ")") +
               (problem(index.row()).isEmpty() ? QString() : "\n" + problem(index.row()));
    case Qt::ForegroundRole:
        return problem(index.row()).isEmpty() ? QVariant() : QVariant(QColor(200, 30, 30));
    case ProblemRole:
        return problem(index.row());
    case Qt::DecorationRole:
        if (m_thumbs[index.row()].isNull()) {
            request(index.row());
            return {};
        }
        return m_thumbs[index.row()];
    case StatusRole:
        return static_cast<int>(e.status);
    case ClassesRole:
        return m_classes[index.row()];
    default:
        return {};
    }
}

void DatasetModel::request(int row) const {
    if (m_requested[row])
        return;
    m_requested[row] = true;
    m_queue.push_back(row);
    const_cast<DatasetModel*>(this)->startNext();
}

void DatasetModel::loadAll() {
    for (int r = 0; r < rowCount(); ++r)
        request(r);
}

void DatasetModel::refreshRow(int row) {
    if (row < 0 || row >= rowCount())
        return;
    m_requested[row] = false;
    request(row);
    Q_EMIT dataChanged(index(row), index(row));
}

void DatasetModel::startNext() {
    if (m_loading || m_queue.isEmpty() || !m_project)
        return;
    const int row = m_queue.takeFirst();
    const ImageEntry& e = m_project->images()[row];
    const std::string mask = e.mask.empty() ? std::string() : m_project->absolute(e.mask);
    m_loading = true;
    m_watcher.setProperty("generation", m_generation);
    m_watcher.setFuture(QtConcurrent::run(&DatasetModel::loadThumb, row, m_project->absolute(e.image), mask, m_project->classes(),
                                                 m_project->maskEncoding()));
}

void DatasetModel::thumbLoaded() {
    m_loading = false;
    const Thumb t = m_watcher.result();
    if (m_watcher.property("generation").toInt() == m_generation && t.row >= 0 && t.row < rowCount()) {
        m_thumbs[t.row] = t.image;
        m_classes[t.row] = static_cast<qint64>(t.classes);
        Q_EMIT dataChanged(index(t.row), index(t.row));
    }
    startNext();
}

DatasetModel::Thumb DatasetModel::loadThumb(int row, std::string image, std::string mask, std::vector<ClassInfo> classes,
                                            MaskEncoding encoding) {
    Thumb t;
    t.row = row;
    try {
        cv::Mat rgb = readImageRgb(image), small;
        const double s = static_cast<double>(kThumbSize) / std::max(rgb.cols, rgb.rows);
        cv::resize(rgb, small, cv::Size(), s, s, cv::INTER_AREA);
        t.image = toQImage(small);
        if (!mask.empty() && QFileInfo::exists(QString::fromStdString(mask))) {
            cv::Mat m = readMask(mask, encoding), ms;
            for (int c = 0; c < 64; ++c)
                if (cv::countNonZero(m == c))
                    t.classes |= quint64(1) << c;
            cv::resize(m, ms, small.size(), 0, 0, cv::INTER_NEAREST);
            ClassLut lut{};
            for (const ClassInfo& c : classes)
                if (c.id > 0 && c.id < 256)
                    lut[c.id] = qPremultiply(qRgba(c.color[0], c.color[1], c.color[2], 140));
            QImage overlay(ms.cols, ms.rows, QImage::Format_ARGB32_Premultiplied);
            colourizeMask(ms, {0, 0, ms.cols, ms.rows}, lut, false, overlay);
            QPainter p(&t.image);
            p.drawImage(0, 0, overlay);
        }
    } catch (const std::exception&) {
        t.image = QImage(kThumbSize, kThumbSize, QImage::Format_RGB32);
        t.image.fill(QColor(120, 30, 30));  // unreadable: a red tile, the tooltip names the file
    }
    return t;
}

void DatasetFilter::setStatusFilter(int status) {
    m_status = status;
    invalidateFilter();
}

void DatasetFilter::setClassFilter(int classId) {
    m_class = classId;
    invalidateFilter();
}

bool DatasetFilter::filterAcceptsRow(int row, const QModelIndex& parent) const {
    const QModelIndex i = sourceModel()->index(row, 0, parent);
    const int status = i.data(DatasetModel::StatusRole).toInt();
    if (m_status == -2 && status == static_cast<int>(ImageStatus::Reviewed))
        return false;
    if (m_status >= 0 && status != m_status)
        return false;
    if (m_class >= 0) {
        const qint64 classes = i.data(DatasetModel::ClassesRole).toLongLong();
        return classes >= 0 && m_class < 64 && (classes >> m_class) & 1;
    }
    return true;
}

} // namespace mf
