#include "dataset/datasetpanel.h"

#include "dataset/datasetmodel.h"
#include "common/qtcv.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QListView>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace mf {

namespace {

/** `text` with a zero-width space after each '_' and '-': places where a file name may wrap (not before its
 *  extension: "pipe_0026." over "png" read badly). */
QString breakableName(const QString& text) {
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : text) {
        out += c;
        if (c == u'_' || c == u'-')
            out += QChar(0x200B);
    }
    return out;
}

/** Draws each image row with a coloured status badge so the state of the dataset reads at a glance. */
class StatusDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& o, const QModelIndex& i) const override {
        return QStyledItemDelegate::sizeHint(o, i).expandedTo(QSize(0, DatasetModel::kThumbSize + 6));
    }
    void paint(QPainter* p, const QStyleOptionViewItem& o, const QModelIndex& i) const override {
        static const QColor colours[] = {QColor(110, 110, 110), QColor(214, 140, 30), QColor(40, 120, 220), QColor(40, 160, 70)};
        const int s = std::clamp(i.data(DatasetModel::StatusRole).toInt(), 0, 3);
        const QString text = toQString(toString(static_cast<ImageStatus>(s)));
        QFont f = o.font;
        f.setPointSizeF(f.pointSizeF() * 0.85);
        const int w = QFontMetrics(f).horizontalAdvance(text) + 12, h = QFontMetrics(f).height() + 4;
        // The badge sits at the visible right edge, and a long name is elided before it, never over it
        // (a row can be wider than the list: the badge used to be cut to "coar").
        int right = o.rect.right();
        if (const auto* view = qobject_cast<const QAbstractItemView*>(o.widget))
            right = std::min(right, view->viewport()->width() - 1);
        const QRect badge(right - w - 6, o.rect.center().y() - h / 2, w, h);
        QStyleOptionViewItem full = o;
        initStyleOption(&full, i);
        const QStyle* style = o.widget ? o.widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &full, p, o.widget);  // the selection, under the badge too
        // A long name wraps over the row's height (the thumbnail makes it three lines tall) at '_' and '-',
        // so names that differ only in the middle ("blowhole_exp1_num_108719.jpg", "..._exp4_...") stay
        // told apart; only a name longer than that is elided in the middle.
        QStyleOptionViewItem name = full;
        name.rect.setRight(badge.left() - 4);
        name.textElideMode = Qt::ElideMiddle;
        name.features |= QStyleOptionViewItem::WrapText;
        // Every thumbnail in a square of one size, so the names line up whatever the images' shapes.
        name.decorationSize = QSize(DatasetModel::kThumbSize, DatasetModel::kThumbSize);
        name.text = breakableName(name.text);
        style->drawControl(QStyle::CE_ItemViewItem, &name, p, o.widget);
        p->save();
        p->setFont(f);
        p->setRenderHint(QPainter::Antialiasing);
        p->setPen(Qt::NoPen);
        p->setBrush(colours[s]);
        p->drawRoundedRect(badge, h / 2.0, h / 2.0);
        p->setPen(Qt::white);
        p->drawText(badge, Qt::AlignCenter, text);
        p->restore();
    }
};

/** The list itself. A press on a half-visible row must not scroll it into view while the button is
 *  down: the rows would move under the cursor and the release (or the slightest move) would select the
 *  next one. It scrolls once the button is released. */
class DatasetView : public QListView {
public:
    using QListView::QListView;
    bool pressed = false;

protected:
    void mousePressEvent(QMouseEvent* e) override {
        pressed = true;
        setAutoScroll(false);
        QListView::mousePressEvent(e);
    }
    void mouseReleaseEvent(QMouseEvent* e) override {
        QListView::mouseReleaseEvent(e);
        setAutoScroll(true);
        pressed = false;
        if (currentIndex().isValid())
            scrollTo(currentIndex());
    }
};

} // namespace

DatasetPanel::DatasetPanel(QWidget* parent)
    : QWidget(parent), m_model(new DatasetModel(this)), m_filter(new DatasetFilter(this)), m_view(new DatasetView(this)),
      m_status(new QComboBox(this)), m_classes(new QComboBox(this)) {
    m_filter->setSourceModel(m_model);
    m_view->setModel(m_filter);
    m_view->setItemDelegate(new StatusDelegate(m_view));
    m_view->setIconSize(QSize(DatasetModel::kThumbSize, DatasetModel::kThumbSize));
    m_view->setUniformItemSizes(true);
    // Names are elided before the badge at the visible edge: a horizontal scroll bar only showed more blank row.
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_status->addItem(tr("All statuses"), -1);
    m_status->addItem(tr("Needing work"), -2);
    for (int s = 0; s < 4; ++s)
        m_status->addItem(toQString(toString(static_cast<ImageStatus>(s))), s);
    auto* next = new QPushButton(tr("Next needing work"), this);
    next->setToolTip(tr("Next image that is not reviewed (N)"));
    auto* filters = new QHBoxLayout;
    filters->addWidget(m_status);
    filters->addWidget(m_classes);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(m_view);
    layout->addWidget(next);
    connect(next, &QPushButton::clicked, this, &DatasetPanel::nextRequested);
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] { m_filter->setStatusFilter(m_status->currentData().toInt()); });
    connect(m_classes, &QComboBox::currentIndexChanged, this, [this] {
        const int c = m_classes->currentData().toInt();
        if (c >= 0)
            m_model->loadAll();
        m_filter->setClassFilter(c);
    });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](QPoint pos) {
        const QModelIndex i = m_view->indexAt(pos);
        if (!i.isValid())
            return;
        QMenu* menu = statusMenu(m_filter->mapToSource(i).row());
        menu->exec(m_view->viewport()->mapToGlobal(pos));
        menu->deleteLater();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& i) {
        if (!m_silent && i.isValid())
            Q_EMIT imageActivated(m_filter->mapToSource(i).row());
    });
}

QMenu* DatasetPanel::statusMenu(int row) {
    auto* menu = new QMenu(this);
    menu->setObjectName("statusMenu");
    menu->addSection(tr("Set status"));
    const int current = m_model->index(row).data(DatasetModel::StatusRole).toInt();
    for (int s = 0; s < 4; ++s) {
        QAction* a = menu->addAction(toQString(toString(static_cast<ImageStatus>(s))));
        a->setCheckable(true);
        a->setChecked(s == current);
        connect(a, &QAction::triggered, this, [this, row, s] { Q_EMIT statusRequested(row, static_cast<ImageStatus>(s)); });
    }
    return menu;
}

void DatasetPanel::setProject(const Project* project) {
    m_model->setProject(project);
    fillClassFilter(project);
}

void DatasetPanel::fillClassFilter(const Project* project) {
    const QSignalBlocker block(m_classes);
    m_classes->clear();
    m_classes->addItem(tr("All classes"), -1);
    if (project)
        for (const ClassInfo& c : project->classes())
            if (c.id > 0)
                m_classes->addItem(toQString(c.name), c.id);
    m_filter->setClassFilter(-1);
}

void DatasetPanel::setStatusFilter(int status) { m_status->setCurrentIndex(std::max(0, m_status->findData(status))); }
void DatasetPanel::setClassFilter(int classId) { m_classes->setCurrentIndex(std::max(0, m_classes->findData(classId))); }

void DatasetPanel::setCurrentRow(int row) {
    m_silent = true;
    const QModelIndex i = m_filter->mapFromSource(m_model->index(row));
    m_view->setCurrentIndex(i);
    if (i.isValid() && !static_cast<DatasetView*>(m_view)->pressed)
        m_view->scrollTo(i);
    m_silent = false;
}

int DatasetPanel::nextNeedingWork(int row) const {
    const int n = m_model->rowCount();
    for (int k = 1; k <= n; ++k) {
        const int r = (row + k + n) % n;
        const QModelIndex i = m_model->index(r);
        if (i.data(DatasetModel::StatusRole).toInt() != static_cast<int>(ImageStatus::Reviewed) &&
            m_filter->mapFromSource(i).isValid())
            return r;
    }
    return -1;
}

} // namespace mf
