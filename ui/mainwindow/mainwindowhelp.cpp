// MainWindow: the Help menu. The shortcut sheet is read from the window's QActions at the moment it
// is shown, so it cannot drift from the keys that really work.
#include "mainwindow/mainwindow.h"

#include <QApplication>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <opencv2/core/version.hpp>
#include <torch/version.h>

#include <algorithm>
#include <set>

#ifndef MF_VERSION
#define MF_VERSION "unknown"
#endif

namespace mf {
namespace {

QString plainText(QString text) {
    text.remove('&');
    if (text.endsWith("...") || text.endsWith(QChar(0x2026)))
        text = text.left(text.lastIndexOf(text.endsWith("...") ? "..." : QString(QChar(0x2026))));
    return text.trimmed();
}

/** The title of the first menu or tool bar that shows `a`; "Window" for actions on the window only. */
QString groupOf(const QAction* a) {
    for (QObject* o : a->associatedObjects())
        if (auto* menu = qobject_cast<QMenu*>(o); menu && !menu->title().isEmpty())
            return plainText(menu->title());
    return QObject::tr("Window");
}

} // namespace

void MainWindow::createHelpMenu() {
    m_helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* keys = m_helpMenu->addAction(QIcon(":/icons/help.svg"), tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence::HelpContents);
    m_helpMenu->addAction(tr("User guide (README)"), this, [this] {
        if (!QDesktopServices::openUrl(QUrl::fromLocalFile(readmePath())))
            showError(tr("Could not open %1").arg(readmePath()));
    });
    m_helpMenu->addSeparator();
    m_helpMenu->addAction(tr("&About MaskForge"), this, &MainWindow::showAbout);
}

QVector<MainWindow::Shortcut> MainWindow::shortcutSheet() const {
    QVector<Shortcut> rows;
    std::set<const QAction*> seen;
    for (const QAction* a : findChildren<QAction*>()) {
        if (a->shortcuts().isEmpty() || a->text().isEmpty() || !seen.insert(a).second)
            continue;
        QStringList keys;
        for (const QKeySequence& k : a->shortcuts())
            keys << k.toString(QKeySequence::NativeText);
        rows.push_back({groupOf(a), plainText(a->text()), keys.join(tr(" or "))});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Shortcut& x, const Shortcut& y) { return x.group < y.group; });
    return rows;
}

void MainWindow::showShortcuts() {
    const QVector<Shortcut> rows = shortcutSheet();
    auto* dialog = new QDialog(this);
    dialog->setObjectName("shortcutSheet");
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    auto* table = new QTableWidget(static_cast<int>(rows.size()), 3, dialog);
    table->setHorizontalHeaderLabels({tr("Menu"), tr("Action"), tr("Keys")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        table->setItem(r, 0, new QTableWidgetItem(rows[r].group));
        table->setItem(r, 1, new QTableWidgetItem(rows[r].action));
        table->setItem(r, 2, new QTableWidgetItem(rows[r].keys));
    }
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto* note = new QLabel(tr("On the canvas: Space + drag or the middle button pans, the wheel zooms; "
                               "Enter accepts and Escape cancels a polygon or a box refinement."),
                            dialog);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(note);
    layout->addWidget(buttons);
    dialog->resize(560, 600);
    dialog->show();
}

QString MainWindow::readmePath() {
    const QDir app(QCoreApplication::applicationDirPath());
    // Installed (bin/ next to share/doc/maskforge/), then the build tree's app/ under the source.
    for (const QString& candidate : {app.filePath("../share/doc/maskforge/README.md"),
#ifdef MF_SOURCE_README
                                     QString(MF_SOURCE_README),
#endif
                                     app.filePath("../../README.md")})
        if (QFileInfo::exists(candidate))
            return QFileInfo(candidate).canonicalFilePath();
    return app.filePath("../share/doc/maskforge/README.md");
}

QString MainWindow::aboutText() {
    return tr("<h3>MaskForge %1</h3>"
              "<p>Paint, fix and review segmentation masks; train, compare and use models on them.</p>"
              "<table>"
              "<tr><td>Qt %2</td><td>LGPL-3.0 (The Qt Company and contributors)</td></tr>"
              "<tr><td>LibTorch %3</td><td>BSD-3-Clause (PyTorch contributors)</td></tr>"
              "<tr><td>OpenCV %4</td><td>Apache-2.0 (OpenCV team and contributors)</td></tr>"
              "</table>"
              "<p>The icons were drawn for MaskForge.</p>")
        .arg(MF_VERSION, qVersion(), TORCH_VERSION, CV_VERSION);
}

void MainWindow::showAbout() { QMessageBox::about(this, tr("About MaskForge"), aboutText()); }

} // namespace mf
