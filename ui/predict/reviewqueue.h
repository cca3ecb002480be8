#pragma once
#include <QWidget>

#include <opencv2/core.hpp>

#include <map>

class QLabel;
class QListWidget;
class QPushButton;

namespace mf {

class Project;

/** The review queue of model-assisted refinement: each proposed mask waits here until a person
 *  accepts it (written as the image's mask, status refined), edits it (accepted, then opened on the
 *  canvas for the tools) or rejects it (the coarse mask stays). */
class ReviewQueue : public QWidget {
    Q_OBJECT
public:
    explicit ReviewQueue(QWidget* parent = nullptr);

    void setProject(Project* project);
    void clear();
    /** Queues a proposal for image `row`. */
    void add(int row, const cv::Mat& candidate, int changedPixels, int emptyBoxes);
    int size() const { return static_cast<int>(m_items.size()); }
    bool contains(int row) const { return m_items.count(row) > 0; }
    const cv::Mat& candidate(int row) const { return m_items.at(row).mask; }

    /** Writes the proposal as the image's mask, marks it refined and saves the project. Returns false
     *  (error shown) when writing fails. */
    bool accept(int row);
    void reject(int row);
    int acceptAll();
    int currentRow() const;
    void select(int row);

Q_SIGNALS:
    void previewRequested(int row, const cv::Mat& candidate);
    void editRequested(int row);
    void maskWritten(int row);
    void errorOccurred(const QString& message);

private:
    struct Item {
        cv::Mat mask;
        int changed = 0, emptyBoxes = 0;
    };
    void removeItem(int row);
    void updateCount();

    Project* m_project = nullptr;
    std::map<int, Item> m_items;
    QListWidget* m_list;
    QLabel* m_count;
    QPushButton *m_accept, *m_edit, *m_reject, *m_acceptAll;
};

} // namespace mf
