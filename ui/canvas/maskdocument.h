#pragma once
#include "edit/boxrefiner.h"
#include "edit/floodfill.h"
#include "edit/maskeditor.h"
#include "project/project.h"
#include "review/statusrules.h"

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
    /** Gives the nonzero pixels of `object` (CV_8UC1, image size) class `value`: one undo step named
     *  `label`; other pixels stay. Ignored when the size differs or nothing is set. */
    void applyObject(const cv::Mat& object, int value, const QString& label);
    /** Copies `labels` (CV_8UC1, image size) into the mask where `where` (CV_8UC1, image size) is set:
     *  one undo step named `label`. Ignored when a size or type differs or nothing is set. */
    void applyLabels(const cv::Mat& labels, const cv::Mat& where, const QString& label);
    /** Replaces the mask with the coarse one (one undo step); false without a coarse mask. */
    bool revertToCoarse();
    /** Shows a queued proposal as one undo step over the mask: unsaved, so nothing is written until
     *  the person saves (the document is the one writer of the open image's mask). Throws FileError
     *  when its size is not the image's. */
    void applyProposal(const cv::Mat& candidate, const QString& label);
    /** Takes the applied proposal back, with any edit made on top of it; false when none is applied. */
    bool withdrawProposal();
    bool hasProposal() const;
    /** True when edits were made on top of the applied proposal. */
    bool proposalEdited() const { return hasProposal() && m_revision > m_proposalBase + 1; }

    bool canUndo() const { return m_editor.canUndo(); }
    bool canRedo() const { return m_editor.canRedo(); }
    void undo();
    void redo();
    MaskEditor& editor() { return m_editor; }

    /** True while the mask differs from the saved file, i.e. the undo position is not the one of the
     *  last save (undoing back to it makes the document clean again). */
    bool isDirty() const { return m_dirty; }
    /** Writes the mask atomically and updates the project entry (status at least Refined, saved
     *  project). Throws FileError. */
    void save();
    /** Sets the status by hand (any status) and saves the project; on failure the status stays. */
    void setStatus(ImageStatus status);
    /** Sets the status the rules give for `event` (see nextStatus) and saves the project. */
    void applyStatusEvent(StatusEvent event);
    ImageStatus status() const;

    /** Folder of crash-recovery masks: `<project>/.maskforge/autosave`. */
    QString autosaveDir() const;
    /** Writes the dirty mask to the autosave folder (atomic); no-op when clean. */
    void autosave();
    /** Image indices with an autosaved mask left by a session that did not end cleanly. */
    QList<int> autosavedImages() const;
    /** Restores the autosaved edits of `rows` as unsaved edits: each is applied when its image is
     *  loaded (at once for the open one), as one undo step over the mask on disk, so the document is
     *  dirty and masks/ stays untouched until saved. The autosave files stay until then. */
    void restoreAutosaved(const QList<int>& rows);
    /** Rows whose autosaved edits are still waiting for their image to be loaded. */
    const QList<int>& pendingRestores() const { return m_restore; }
    /** Deletes the autosaved masks, except those still waiting to be restored. */
    void discardAutosaved();
    /** Deletes the autosaved mask of one image (its edits were discarded). */
    void discardAutosaved(int index);

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
    void markSaved();
    QString autosavePath(int index) const;
    void writeProject();
    cv::Mat readAutosave(int index, cv::Size size) const;
    void applyAutosave(const cv::Mat& edits);
    void replaceMask(const cv::Mat& mask, const QString& label);

    Project* m_project = nullptr;
    int m_index = -1;
    cv::Mat m_image, m_coarse;
    QImage m_imageQ;
    MaskEditor m_editor;
    bool m_dirty = false;
    QList<int> m_restore;
    // Undo position: +1 per commit or redo, -1 per undo. The saved state is the position at the last
    // save or load, unreachable (INT_MIN) once a commit after undoing past it drops its redo branch.
    int m_revision = 0;
    int m_savedRevision = 0;
    int m_proposalBase;  ///< revision before the applied proposal; kUnreachable when none
};

} // namespace mf
