#pragma once
#include "project/project.h"

#include <QWidget>

class QComboBox;
class QListView;
class QMenu;

namespace mf {

class DatasetFilter;
class DatasetModel;

/** The dataset panel: thumbnails with status badges, filters by status and class, and "next image
 *  needing work". Emits the project row to show; owns its model and filter. */
class DatasetPanel : public QWidget {
    Q_OBJECT
public:
    explicit DatasetPanel(QWidget* parent = nullptr);
    void setProject(const Project* project);
    DatasetModel* model() const { return m_model; }
    DatasetFilter* filter() const { return m_filter; }
    /** Selects project row `row` without emitting imageActivated. */
    void setCurrentRow(int row);
    /** The first image after `row` (wrapping) that is not reviewed, among the filtered ones; -1 if none. */
    int nextNeedingWork(int row) const;
    void setStatusFilter(int status);
    void setClassFilter(int classId);
    /** The context menu of project row `row`: any status, the current one checked (the list's
     *  right-click shows it; the caller owns it). */
    QMenu* statusMenu(int row);
    QListView* view() const { return m_view; }

Q_SIGNALS:
    void imageActivated(int row);
    void nextRequested();
    /** The person chose `status` for project row `row` from the context menu. */
    void statusRequested(int row, mf::ImageStatus status);

private:
    void fillClassFilter(const Project* project);

    DatasetModel* m_model;
    DatasetFilter* m_filter;
    QListView* m_view;
    QComboBox* m_status;
    QComboBox* m_classes;
    bool m_silent = false;
};

} // namespace mf
