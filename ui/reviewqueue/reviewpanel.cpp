#include "reviewqueue/reviewpanel.h"

#include "canvas/maskdocument.h"
#include "review/statusrules.h"
#include "reviewqueue/reviewqueuemodel.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace mf {

namespace {
/** Rows as wide as the list, so each of an entry's two lines is elided rather than cut off. */
class RowDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& o, const QModelIndex& i) const override {
        QSize s = QStyledItemDelegate::sizeHint(o, i);
        if (const auto* view = qobject_cast<const QAbstractItemView*>(o.widget))
            s.setWidth(std::min(s.width(), view->viewport()->width()));
        return s;
    }
};
} // namespace

ReviewPanel::ReviewPanel(ReviewQueueModel* queue, MaskDocument* document, QWidget* parent)
    : QWidget(parent), m_queue(queue), m_sorted(new QSortFilterProxyModel(this)), m_document(document),
      m_view(new QListView(this)), m_count(new QLabel(this)), m_order(new QComboBox(this)),
      m_onlyFlagged(new QCheckBox(tr("Only flagged"), this)), m_accept(new QPushButton(tr("Accept (A)"), this)),
      m_reject(new QPushButton(tr("Reject (X)"), this)), m_skip(new QPushButton(tr("Skip (S)"), this)) {
    m_sorted->setSourceModel(m_queue);
    m_sorted->setSortRole(ReviewQueueModel::QueueOrderRole);
    m_sorted->setFilterRole(ReviewQueueModel::FlaggedRole);
    m_sorted->setDynamicSortFilter(true);
    m_sorted->sort(0);
    m_view->setModel(m_sorted);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);  // two lines a proposal, each elided (the tooltip has it all): rows, not paragraphs
    m_view->setTextElideMode(Qt::ElideRight);  // what matters comes first: the name, then the share kept
    m_view->setResizeMode(QListView::Adjust);
    m_view->setItemDelegate(new RowDelegate(m_view));
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_count->setObjectName("reviewCount");
    m_order->setObjectName("reviewOrder");
    m_order->addItems({tr("Queue order"), tr("Least kept first")});
    m_order->setToolTip(tr("Least kept first: the proposals that keep the smallest share of a box's fill come first"));
    m_onlyFlagged->setObjectName("reviewOnlyFlagged");
    m_onlyFlagged->setToolTip(tr("Show only the proposals that keep almost nothing of a box and do not reach across it (\u26A0): they most likely lost the object"));
    m_accept->setToolTip(tr("Save the proposal as it is now (with your edits), mark it refined, open the next (A or Enter)"));
    m_reject->setToolTip(tr("Drop the proposal: the mask on disk and the status stay as they were; open the next (X or Delete)"));
    m_skip->setToolTip(tr("Leave this proposal queued and open the next (S or Space)"));
    auto* options = new QHBoxLayout;
    options->addWidget(m_order, 1);
    options->addWidget(m_onlyFlagged);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_accept, m_reject, m_skip}) {
        b->setFocusPolicy(Qt::NoFocus);  // the keys stay with the list
        buttons->addWidget(b);
    }
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_count);
    layout->addLayout(options);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    connect(m_accept, &QPushButton::clicked, this, &ReviewPanel::accept);
    connect(m_reject, &QPushButton::clicked, this, &ReviewPanel::reject);
    connect(m_skip, &QPushButton::clicked, this, &ReviewPanel::skip);
    addKeyAction(tr("Accept proposal"), {Qt::Key_A, Qt::Key_Return, Qt::Key_Enter}, &ReviewPanel::accept);
    addKeyAction(tr("Reject proposal"), {Qt::Key_X, Qt::Key_Delete, Qt::Key_Backspace}, &ReviewPanel::reject);
    addKeyAction(tr("Skip proposal"), {Qt::Key_S, Qt::Key_Space}, &ReviewPanel::skip);
    connect(m_order, &QComboBox::currentIndexChanged, this, [this](int i) { setOrder(static_cast<Order>(i)); });
    connect(m_onlyFlagged, &QCheckBox::toggled, this, &ReviewPanel::setOnlyFlagged);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        if (current.isValid())
            Q_EMIT openRequested(current.data(ReviewQueueModel::ProjectRowRole).toInt());
        updateState();
    });
    // The queue's own signals, not only the sorted view's: the proxy announces a removal before the queue
    // has dropped the entry, and the count read then was one too many (12 to review shown, 11 left).
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(m_sorted, signal, this, &ReviewPanel::updateState);
        connect(m_queue, signal, this, &ReviewPanel::updateState);
    }
    connect(m_sorted, &QAbstractItemModel::modelReset, this, &ReviewPanel::updateState);
    connect(m_queue, &QAbstractItemModel::dataChanged, this, &ReviewPanel::updateState);
    updateState();
}

QAction* ReviewPanel::addKeyAction(const QString& text, const QList<QKeySequence>& keys, bool (ReviewPanel::*slot)()) {
    auto* a = new QAction(text, this);
    a->setShortcuts(keys);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);  // only while the panel has the focus
    connect(a, &QAction::triggered, this, [this, slot] { (this->*slot)(); });
    addAction(a);
    return a;
}

void ReviewPanel::setOrder(Order order) {
    if (m_order->currentIndex() != static_cast<int>(order))
        m_order->setCurrentIndex(static_cast<int>(order));
    m_sorted->setSortRole(order == Order::LeastKeptFirst ? ReviewQueueModel::KeptRole : ReviewQueueModel::QueueOrderRole);
    m_sorted->sort(0);
}

void ReviewPanel::setOnlyFlagged(bool only) {
    if (m_onlyFlagged->isChecked() != only)
        m_onlyFlagged->setChecked(only);
    m_sorted->setFilterFixedString(only ? QStringLiteral("true") : QString());
    updateState();
}

QList<int> ReviewPanel::shownRows() const {
    QList<int> out;
    for (int i = 0; i < m_sorted->rowCount(); ++i)
        out << m_sorted->index(i, 0).data(ReviewQueueModel::ProjectRowRole).toInt();
    return out;
}

void ReviewPanel::select(int row) {
    const int at = m_queue->indexOf(row);
    const QModelIndex shown = at >= 0 ? m_sorted->mapFromSource(m_queue->index(at)) : QModelIndex();
    if (shown.isValid())
        m_view->setCurrentIndex(shown);
}

int ReviewPanel::currentRow() const {
    const QModelIndex i = m_view->currentIndex();
    return i.isValid() ? i.data(ReviewQueueModel::ProjectRowRole).toInt() : -1;
}

// The buttons act on the image on the canvas, so what is saved is what the person saw and edited.
bool ReviewPanel::openCurrent() {
    const int row = currentRow();
    if (row < 0)
        return false;
    if (m_document->index() != row)
        Q_EMIT openRequested(row);
    return m_document->index() == row;
}

bool ReviewPanel::accept() {
    if (!openCurrent())
        return false;
    if (!m_document->hasProposal()) {
        Q_EMIT errorOccurred(tr("The proposal is not shown on the canvas, so it cannot be accepted"));
        return false;
    }
    const int row = m_document->index(), at = m_view->currentIndex().row();
    try {
        m_document->save();
        m_document->applyStatusEvent(StatusEvent::ProposalAccepted);
        m_queue->remove(row);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Could not accept: %1").arg(e.what()));
        return false;
    }
    finish(at);
    return true;
}

// The proposal was never written: taking it back leaves the mask on disk, the status and any edit
// the person had made before it as they were.
bool ReviewPanel::reject() {
    if (!openCurrent())
        return false;
    const int row = m_document->index(), at = m_view->currentIndex().row();
    try {
        m_document->withdrawProposal();
        m_document->applyStatusEvent(StatusEvent::ProposalRejected);
        m_queue->remove(row);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Could not reject: %1").arg(e.what()));
        return false;
    }
    finish(at);
    return true;
}

bool ReviewPanel::skip() {
    const int at = m_view->currentIndex().row() + 1;
    if (at >= m_sorted->rowCount())
        return false;
    m_view->setCurrentIndex(m_sorted->index(at, 0));
    return true;
}

// Moves on to the item that took the finished one's place (or the new last), like a mail client.
void ReviewPanel::finish(int at) {
    if (m_queue->size() == 0) {
        Q_EMIT queueEmptied();
        return;
    }
    if (m_sorted->rowCount() == 0)
        return;  // the rest is filtered out
    const QModelIndex next = m_sorted->index(std::min(std::max(at, 0), m_sorted->rowCount() - 1), 0);
    m_view->setCurrentIndex(next);
    // Removing the current row may already have moved the view to `next` without announcing a change.
    if (m_document->index() != next.data(ReviewQueueModel::ProjectRowRole).toInt())
        Q_EMIT openRequested(next.data(ReviewQueueModel::ProjectRowRole).toInt());
}

void ReviewPanel::updateState() {
    const int flagged = m_queue->flaggedCount();
    QString text = tr("%n image(s) to review", nullptr, m_queue->size());
    if (flagged > 0)
        text += tr(", %n flagged \u26A0", nullptr, flagged);
    m_count->setText(text);
    const bool any = currentRow() >= 0;
    m_accept->setEnabled(any);
    m_reject->setEnabled(any);
    m_skip->setEnabled(any && m_view->currentIndex().row() + 1 < m_sorted->rowCount());
}

} // namespace mf
