#pragma once
#include "edit/maskdiff.h"
#include "edit/maskpainter.h"

#include <deque>
#include <string>

namespace mf {

/** A mask under edit with its undo history. Paint operations change the mask at once and widen the
 *  pending rectangle; commit() turns everything since the last commit into one undo step (one per
 *  stroke). A shadow copy of the committed mask lets commit() diff only the touched rectangle, so no
 *  per-stroke snapshot of the whole mask is taken. The history holds at most memoryCap() bytes:
 *  the oldest steps are dropped first. */
class MaskEditor {
public:
    explicit MaskEditor(std::size_t memoryCap = 256u << 20) : m_cap(memoryCap) {}

    /** Starts editing `mask` (CV_8UC1, taken over); clears the history. */
    void reset(const cv::Mat& mask);
    const cv::Mat& mask() const { return m_mask; }
    MaskPainter painter() const { return MaskPainter(m_mask); }

    /** Records that `rect` was painted (by painter() or by hand) since the last commit. */
    void touch(const cv::Rect& rect);
    /** Makes one undo step of the pending changes; false when nothing changed. */
    bool commit(const std::string& label);
    /** Throws away uncommitted changes, restoring the committed pixels; returns the rect restored. */
    cv::Rect rollback();
    const cv::Rect& pending() const { return m_pending; }

    bool canUndo() const { return !m_undo.empty(); }
    bool canRedo() const { return !m_redo.empty(); }
    std::string undoLabel() const { return canUndo() ? m_undo.back().label : std::string(); }
    std::string redoLabel() const { return canRedo() ? m_redo.back().label : std::string(); }
    /** Undoes the last step; returns the rectangle it changed (empty if none). */
    cv::Rect undo();
    cv::Rect redo();

    std::size_t memoryCap() const { return m_cap; }
    void setMemoryCap(std::size_t bytes);
    std::size_t memoryUsed() const { return m_used; }
    std::size_t undoSteps() const { return m_undo.size(); }
    /** Bytes held by the newest undo step (0 without one). */
    std::size_t lastStepBytes() const { return canUndo() ? m_undo.back().diff.bytes() : 0; }

private:
    struct Step {
        MaskDiff diff;
        std::string label;
    };
    void enforceCap();

    cv::Mat m_mask, m_committed;
    cv::Rect m_pending;
    std::deque<Step> m_undo, m_redo;
    std::size_t m_cap;
    std::size_t m_used = 0;
};

} // namespace mf
