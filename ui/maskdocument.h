#pragma once
#include "edit/boxrefiner.h"
#include "edit/floodfill.h"
#include "edit/maskeditor.h"
#include "project/project.h"

#include <QImage>
#include <QObject>
#include <QPolygonF>
#include <QRect>

namespace mf {

/** The image under edit: its pixels, mask, coarse mask and undo history, the dirty flag, saving and
 *  autosave. Every pixel change goes through it (tools never write pixels) and it announces the
 *  changed rectangle. It does not own the Project (MainWindow does); it reads and updates entries. */
class MaskDocument : public QObject {
    Q_OBJECT
public:
    explicit MaskDocument(QObject* parent = nullptr);

    void setProject(Project* project);
    Project* project() const { return m_project; }
    /** Loads image `index` of the project (its mask, or an empty one, and its coarse mask). Throws
     *  FileError; the previous image stays when loading fails. Does not save: callers decide. */
    void load(int index);
    void clear();
    int index() const { return m_index; }
    bool isLoaded() const { return m_index >= 0; }

    const cv::Mat& image() const { return m_image; }
    const QImage& imageQ() const { return m_imageQ; }
    const cv::Mat& mask() const { return m_editor.mask(); }
    const cv::Mat& coarse() const { return m_coarse; }
    QSize size() const { return m_imageQ.size(); }
    int classAt(QPoint p) const;

    // Edits. Strokes: dabs and segments accumulate until endStroke() makes them one undo step.
    void paintDab(QPointF centre, float radius, int value);
    void paintSegment(QPointF from, QPointF to, float radius, int value);
    void endStroke(const QString& label);
    void cancelStroke();
    void fillRect(const QRect& rect, int value);
    void fillPolygon(const QPolygonF& polygon, int value);
    /** Fills the region connected to `seed` (see floodRegion); returns the pixels filled. */
    int floodFill(QPoint seed, const FloodOptions& options, int value);
    void applyRefinements(const std::vector<RefineResult>& results);
    /** Replaces the mask with the coarse one (one undo step); false without a coarse mask. */
    bool revertToCoarse();

    bool canUndo() const { return m_editor.canUndo(); }
    bool canRedo() const { return m_editor.canRedo(); }
    void undo();
    void redo();
    MaskEditor& editor() { return m_editor; }

    bool isDirty() const { return m_dirty; }
    /** Writes the mask atomically and updates the project entry (status at least Refined, saved
     *  project). Throws FileError. */
    void save();
    void setStatus(ImageStatus status);
    ImageStatus status() const;

    /** Folder of crash-recovery masks: `<project>/.maskforge/autosave`. */
    QString autosaveDir() const;
    /** Writes the dirty mask to the autosave folder (atomic); no-op when clean. */
    void autosave();
    /** Image indices with an autosaved mask left by a session that did not end cleanly. */
    QList<int> autosavedImages() const;
    /** Moves autosaved masks into the project (they become the images' masks); returns how many. */
    int restoreAutosaved();
    void discardAutosaved();

Q_SIGNALS:
    void loaded();
    void maskChanged(const QRect& rect);
    void dirtyChanged(bool dirty);
    void undoStateChanged();
    void entryChanged(int index);

private:
    void changed(const cv::Rect& rect);
    void committed();
    void setDirty(bool dirty);
    QString autosavePath(int index) const;
    void writeProject();

    Project* m_project = nullptr;
    int m_index = -1;
    cv::Mat m_image, m_coarse;
    QImage m_imageQ;
    MaskEditor m_editor;
    bool m_dirty = false;
};

} // namespace mf
