#pragma once
#include <QWidget>

class QComboBox;
class QListView;

namespace mf {

class DatasetFilter;
class DatasetModel;
class Project;

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

Q_SIGNALS:
    void imageActivated(int row);
    void nextRequested();

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
