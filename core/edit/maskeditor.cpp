#include "edit/maskeditor.h"

#include <stdexcept>

namespace mf {

void MaskEditor::reset(const cv::Mat& mask) {
    if (mask.type() != CV_8UC1)
        throw std::invalid_argument("MaskEditor needs a CV_8UC1 mask");
    m_mask = mask;
    m_committed = mask.clone();
    m_pending = {};
    m_undo.clear();
    m_redo.clear();
    m_used = 0;
}

void MaskEditor::touch(const cv::Rect& rect) {
    const cv::Rect r = rect & cv::Rect(0, 0, m_mask.cols, m_mask.rows);
    if (r.empty())
        return;
    m_pending = m_pending.empty() ? r : (m_pending | r);
}

bool MaskEditor::commit(const std::string& label) {
    if (m_pending.empty())
        return false;
    const cv::Rect r = m_pending;
    m_pending = {};
    MaskDiff diff = MaskDiff::between(m_committed(r), m_mask(r), r);
    if (diff.empty())
        return false;
    m_mask(r).copyTo(m_committed(r));
    for (const Step& s : m_redo)
        m_used -= s.diff.bytes();
    m_redo.clear();
    m_used += diff.bytes();
    m_undo.push_back({std::move(diff), label});
    enforceCap();
    return true;
}

cv::Rect MaskEditor::rollback() {
    const cv::Rect r = m_pending;
    if (!r.empty())
        m_committed(r).copyTo(m_mask(r));
    m_pending = {};
    return r;
}

cv::Rect MaskEditor::undo() {
    rollback();
    if (m_undo.empty())
        return {};
    Step s = std::move(m_undo.back());
    m_undo.pop_back();
    const cv::Rect r = s.diff.undo(m_mask);
    s.diff.undo(m_committed);
    m_redo.push_back(std::move(s));
    return r;
}

cv::Rect MaskEditor::redo() {
    rollback();
    if (m_redo.empty())
        return {};
    Step s = std::move(m_redo.back());
    m_redo.pop_back();
    const cv::Rect r = s.diff.redo(m_mask);
    s.diff.redo(m_committed);
    m_undo.push_back(std::move(s));
    return r;
}

void MaskEditor::setMemoryCap(std::size_t bytes) {
    m_cap = bytes;
    enforceCap();
}

void MaskEditor::enforceCap() {
    // Redo steps go first (they are the least likely to be wanted), then the oldest undo steps;
    // the newest undo step always stays so the last stroke can be taken back.
    while (m_used > m_cap && !m_redo.empty()) {
        m_used -= m_redo.front().diff.bytes();
        m_redo.pop_front();
    }
    while (m_used > m_cap && m_undo.size() > 1) {
        m_used -= m_undo.front().diff.bytes();
        m_undo.pop_front();
    }
}

} // namespace mf
