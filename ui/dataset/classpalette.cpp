#include "dataset/classpalette.h"

#include "project/project.h"
#include "common/qtcv.h"
#include "tools/toolsettings.h"

#include <QColorDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace mf {

ClassPalette::ClassPalette(ToolSettings* settings, QWidget* parent)
    : QWidget(parent), m_settings(settings), m_list(new QListWidget(this)) {
    auto* buttons = new QHBoxLayout;
    auto addButton = [&](const QString& text, void (ClassPalette::*slot)()) {
        auto* b = new QPushButton(text, this);
        buttons->addWidget(b);
        connect(b, &QPushButton::clicked, this, slot);
        return b;
    };
    m_addButton = addButton(tr("Add"), &ClassPalette::askAdd);
    addButton(tr("Rename"), &ClassPalette::askRename);
    addButton(tr("Colour"), &ClassPalette::askRecolour);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_list);
    layout->addLayout(buttons);
    connect(m_list, &QListWidget::currentRowChanged, this, [this] {
        if (currentId() >= 0)
            m_settings->setActiveClass(currentId());
    });
    connect(m_settings, &ToolSettings::activeClassChanged, this, [this](int id) {
        for (int r = 0; r < m_list->count(); ++r)
            if (m_list->item(r)->data(Qt::UserRole).toInt() == id)
                m_list->setCurrentRow(r);
    });
}

void ClassPalette::setProject(Project* project) {
    m_project = project;
    rebuild();
}

void ClassPalette::rebuild() {
    const QSignalBlocker block(m_list);
    m_list->clear();
    // 255 is the ignore index: a project holds at most 255 classes (ids 0..254).
    const bool full = m_project && m_project->classCount() >= Project::kMaxClasses;
    m_addButton->setEnabled(m_project && !full);
    m_addButton->setToolTip(full ? tr("A project holds at most %1 classes (255 is the ignore index)").arg(Project::kMaxClasses)
                                 : QString());
    if (!m_project)
        return;
    for (const ClassInfo& c : m_project->classes()) {
        QPixmap swatch(18, 18);
        swatch.fill(QColor(c.color[0], c.color[1], c.color[2]));
        QPainter(&swatch).drawRect(0, 0, 17, 17);
        const QString shortcut = c.id < 10 ? QString("  [%1]").arg(c.id) : QString();
        auto* item = new QListWidgetItem(QIcon(swatch), QString("%1%2").arg(toQString(c.name), shortcut), m_list);
        item->setData(Qt::UserRole, c.id);
        if (c.id == m_settings->activeClass())
            m_list->setCurrentItem(item);
    }
    // Up to twelve classes and the background show at once, never behind a scroll bar.
    constexpr int kRowsShown = 13;
    const int rows = std::min(m_list->count(), kRowsShown);
    const int rowHeight = m_list->count() ? m_list->sizeHintForRow(0) : 0;
    m_list->setMinimumHeight(rows * rowHeight + 2 * m_list->frameWidth() + 2);
}

int ClassPalette::currentId() const {
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toInt() : -1;
}

int ClassPalette::addClass(const QString& name) {
    if (!m_project || name.trimmed().isEmpty())
        return -1;
    const std::vector<ClassInfo> before = m_project->classes();
    int id = -1;
    try {
        id = m_project->addClass(name.trimmed().toStdString()).id;
    } catch (const std::length_error& e) {
        Q_EMIT errorOccurred(tr("Could not add the class: %1").arg(e.what()));
        return -1;
    }
    return saveOrRevert(before) ? id : -1;
}

bool ClassPalette::renameClass(int id, const QString& name) {
    if (!m_project || name.trimmed().isEmpty())
        return false;
    const std::vector<ClassInfo> before = m_project->classes();
    for (ClassInfo& c : m_project->classes())
        if (c.id == id) {
            c.name = name.trimmed().toStdString();
            return saveOrRevert(before);
        }
    return false;
}

bool ClassPalette::recolourClass(int id, const QColor& colour) {
    if (!m_project || !colour.isValid())
        return false;
    const std::vector<ClassInfo> before = m_project->classes();
    for (ClassInfo& c : m_project->classes())
        if (c.id == id) {
            c.color = {static_cast<std::uint8_t>(colour.red()), static_cast<std::uint8_t>(colour.green()),
                       static_cast<std::uint8_t>(colour.blue())};
            return saveOrRevert(before);
        }
    return false;
}

// The classes live in the project file: a change that cannot be saved is taken back, so the palette,
// the canvas colours and the file never disagree.
bool ClassPalette::saveOrRevert(const std::vector<ClassInfo>& before) {
    try {
        m_project->save();
    } catch (const std::exception& e) {
        m_project->classes() = before;
        Q_EMIT errorOccurred(tr("Could not save the classes: %1").arg(e.what()));
        return false;
    }
    rebuild();
    Q_EMIT classesChanged();
    return true;
}

void ClassPalette::askAdd() {
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Add class"), tr("Name:"), QLineEdit::Normal, QString(), &ok);
    if (ok)
        addClass(name);
}

void ClassPalette::askRename() {
    if (currentId() < 0)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename class"), tr("Name:"), QLineEdit::Normal,
                                               toQString(m_project->findClass(currentId())->name), &ok);
    if (ok)
        renameClass(currentId(), name);
}

void ClassPalette::askRecolour() {
    if (currentId() < 0)
        return;
    const auto& c = m_project->findClass(currentId())->color;
    const QColor colour = QColorDialog::getColor(QColor(c[0], c[1], c[2]), this, tr("Class colour"));
    recolourClass(currentId(), colour);
}

} // namespace mf
