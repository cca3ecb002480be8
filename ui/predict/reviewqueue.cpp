#include "predict/reviewqueue.h"

#include "io/imageio.h"
#include "project/project.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <filesystem>

namespace mf {

ReviewQueue::ReviewQueue(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    m_count = new QLabel(this);
    m_list = new QListWidget(this);
    auto* row = new QHBoxLayout;
    m_accept = new QPushButton(tr("Accept"), this);
    m_edit = new QPushButton(tr("Edit…"), this);
    m_reject = new QPushButton(tr("Reject"), this);
    m_acceptAll = new QPushButton(tr("Accept all"), this);
    for (QPushButton* b : {m_accept, m_edit, m_reject, m_acceptAll})
        row->addWidget(b);
    v->addWidget(m_count);
    v->addWidget(m_list, 1);
    v->addLayout(row);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        const int r = currentRow();
        if (r >= 0)
            Q_EMIT previewRequested(r, m_items.at(r).mask);
    });
    connect(m_accept, &QPushButton::clicked, this, [this] { accept(currentRow()); });
    connect(m_reject, &QPushButton::clicked, this, [this] { reject(currentRow()); });
    connect(m_acceptAll, &QPushButton::clicked, this, &ReviewQueue::acceptAll);
    connect(m_edit, &QPushButton::clicked, this, [this] {
        const int r = currentRow();
        if (r >= 0 && accept(r))
            Q_EMIT editRequested(r);
    });
    updateCount();
}

void ReviewQueue::setProject(Project* project) {
    m_project = project;
    clear();
}

void ReviewQueue::clear() {
    m_items.clear();
    m_list->clear();
    updateCount();
}

void ReviewQueue::add(int row, const cv::Mat& candidate, int changedPixels, int emptyBoxes) {
    if (!m_project || row < 0 || row >= static_cast<int>(m_project->images().size()))
        return;
    if (!contains(row)) {
        const std::string name = std::filesystem::path(m_project->images()[row].image).filename().string();
        QString text = tr("%1 — %2 px changed").arg(QString::fromStdString(name)).arg(changedPixels);
        if (emptyBoxes > 0)
            text += tr(", %n box(es) kept coarse", nullptr, emptyBoxes);
        auto* item = new QListWidgetItem(text, m_list);
        item->setData(Qt::UserRole, row);
    }
    m_items[row] = {candidate, changedPixels, emptyBoxes};
    updateCount();
}

int ReviewQueue::currentRow() const {
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toInt() : -1;
}

void ReviewQueue::select(int row) {
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(Qt::UserRole).toInt() == row)
            m_list->setCurrentRow(i);
}

bool ReviewQueue::accept(int row) {
    if (!m_project || !contains(row))
        return false;
    ImageEntry& e = m_project->images()[row];
    try {
        if (e.mask.empty())
            e.mask = "masks/" + std::filesystem::path(e.image).stem().string() + ".png";
        writeMaskAtomic(m_project->absolute(e.mask), m_items.at(row).mask, m_project->maskEncoding());
        e.status = ImageStatus::Refined;
        m_project->save();
    } catch (const std::exception& ex) {
        Q_EMIT errorOccurred(QString::fromUtf8(ex.what()));
        return false;
    }
    removeItem(row);
    Q_EMIT maskWritten(row);
    return true;
}

void ReviewQueue::reject(int row) { removeItem(row); }

int ReviewQueue::acceptAll() {
    std::vector<int> rows;
    for (const auto& [row, item] : m_items)
        rows.push_back(row);
    int accepted = 0;
    for (int row : rows)
        accepted += accept(row) ? 1 : 0;
    return accepted;
}

void ReviewQueue::removeItem(int row) {
    m_items.erase(row);
    for (int i = 0; i < m_list->count(); ++i)
        if (m_list->item(i)->data(Qt::UserRole).toInt() == row)
            delete m_list->takeItem(i);
    updateCount();
}

void ReviewQueue::updateCount() {
    m_count->setText(tr("%n proposal(s) to review", nullptr, static_cast<int>(m_items.size())));
    const bool any = !m_items.empty();
    for (QPushButton* b : {m_accept, m_edit, m_reject, m_acceptAll})
        b->setEnabled(any);
}

} // namespace mf
