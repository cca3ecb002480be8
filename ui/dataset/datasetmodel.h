#pragma once
#include "project/project.h"

#include <QAbstractListModel>
#include <QFutureWatcher>
#include <QImage>
#include <QSortFilterProxyModel>
#include <QVector>

namespace mf {

/** The project's images as a list model: name, status and a thumbnail with its mask, loaded lazily off
 *  the GUI thread when first shown. It reads the Project MainWindow owns and never writes it. */
class DatasetModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { StatusRole = Qt::UserRole + 1, ClassesRole, ProblemRole };
    static constexpr int kThumbSize = 72;

    explicit DatasetModel(QObject* parent = nullptr);
    ~DatasetModel() override;
    void setProject(const Project* project);
    /** The row's entry changed on disk (mask saved, status set): reload its thumbnail. */
    void refreshRow(int row);
    /** Queues every thumbnail (class filters need each mask's classes). */
    void loadAll();
    /** Why row `row`'s files cannot be used (from the header check run when the project is set), or empty. */
    QString problem(int row) const { return row >= 0 && row < m_problems.size() ? m_problems[row] : QString(); }

Q_SIGNALS:
    /** The header check of every image and mask of the project is done; `problems` rows are flagged. */
    void headersChecked(int problems);

public:

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    struct Thumb {
        int row = -1;
        QImage image;
        quint64 classes = 0;
    };
    static Thumb loadThumb(int row, std::string image, std::string mask, std::vector<ClassInfo> classes,
                           MaskEncoding encoding);
    void request(int row) const;
    void startNext();
    void thumbLoaded();
    void checkHeaders();
    void headersDone();

    const Project* m_project = nullptr;
    QVector<QImage> m_thumbs;
    QVector<qint64> m_classes;  ///< bit k set: class k present; -1 unknown yet
    mutable QVector<bool> m_requested;
    mutable QList<int> m_queue;
    QFutureWatcher<Thumb> m_watcher;
    QVector<QString> m_problems;
    QFutureWatcher<QVector<QString>> m_headers;
    int m_generation = 0;
    bool m_loading = false;  ///< own flag: isRunning() turns false before `finished` is delivered
};

/** Filters the dataset by status and by a class present in the mask. */
class DatasetFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    /** -1: any status; -2: needing work (not reviewed). */
    void setStatusFilter(int status);
    /** -1: any class. */
    void setClassFilter(int classId);

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    int m_status = -1, m_class = -1;
};

} // namespace mf
