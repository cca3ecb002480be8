// MainWindow: opening projects, switching and saving images, recent projects, crash recovery, imports.
#include "mainwindow.h"

#include "batchrefiner.h"
#include "canvas.h"
#include "classpalette.h"
#include "datasetpanel.h"
#include "edit/boximport.h"
#include "maskdocument.h"
#include "project/dataset.h"
#include "qtcv.h"
#include "reviewqueuemodel.h"
#include "toolsettings.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QPushButton>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace mf {

bool MainWindow::openProject(const QString& path) {
    if (!resolveDirty())
        return false;
    std::unique_ptr<Project> project;
    try {
        std::vector<Problem> problems;
        project = std::make_unique<Project>(openDataset(path.toStdString(), &problems));
        cleanStaleTempFiles(*project);  // leftovers of writers killed mid-write
        for (const Problem& w : project->loadWarnings())
            if (std::none_of(problems.begin(), problems.end(), [&](const Problem& p) { return p.message == w.message; }))
                problems.push_back(w);  // e.g. entries kept as they are, a mask encoding decided
        if (!problems.empty())
            statusBar()->showMessage(tr("%n problem(s) found while opening; first: %1", nullptr, static_cast<int>(problems.size()))
                                         .arg(toQString(problems.front().file + ": " + problems.front().message)));
    } catch (const std::exception& e) {
        showError(tr("Cannot open %1: %2").arg(path, e.what()));
        return false;
    }
    m_batch->cancel();
    m_document->setProject(nullptr);
    m_project = std::move(project);
    m_document->setProject(m_project.get());
    m_canvas->setClassColours(*m_project);
    m_palette->setProject(m_project.get());
    m_dataset->setProject(m_project.get());
    m_dataset->setToolTip(tr("Masks stored as: %1 (maskforge.json, mask_encoding)")
                              .arg(toQString(toString(m_project->maskEncoding()))));
    m_review->setProject(m_project.get());
    if (m_project->classCount() > 1 && !m_project->findClass(m_settings->activeClass()))
        m_settings->setActiveClass(1);
    rememberRecent(toQString(m_project->root()));
    offerRestore();
    if (!m_document->isLoaded() && !m_project->images().empty())
        showImage(0);
    updateTitle();
    return true;
}

// Restored edits come back as unsaved edits in the document (undoable to the mask on disk), never
// straight into masks/: the person decides, image by image, whether they are kept.
void MainWindow::offerRestore() {
    const QList<int> saved = m_document->autosavedImages();
    if (saved.isEmpty())
        return;
    QStringList names;
    for (int row : saved)
        names << toQString(m_project->images()[row].image);
    auto answer = QMessageBox::Yes;
    if (m_interactive) {
        QMessageBox box(QMessageBox::Question, tr("Restore unsaved edits?"),
                        tr("MaskForge did not close cleanly last time. Restore the autosaved edits of %n image(s)? "
                           "They open as unsaved edits; nothing is written until you save.",
                           nullptr, static_cast<int>(saved.size())),
                        QMessageBox::Yes | QMessageBox::Discard, this);
        box.button(QMessageBox::Yes)->setText(tr("Restore"));
        box.setInformativeText(names.mid(0, 12).join('\n') + (names.size() > 12 ? QString("\n...") : QString()));
        box.setDetailedText(names.join('\n'));
        answer = static_cast<QMessageBox::StandardButton>(box.exec());
    }
    if (answer != QMessageBox::Yes) {
        m_document->discardAutosaved();
        return;
    }
    m_document->restoreAutosaved(saved);
    if (showImage(saved.front()))
        statusBar()->showMessage(tr("Restored the edits of %n image(s) as unsaved edits", nullptr, static_cast<int>(saved.size())));
}

bool MainWindow::resolveDirty() {
    if (!m_document->isDirty())
        return true;
    if (m_dirtyPolicy == DirtyPolicy::Ask && m_interactive) {
        const auto answer = QMessageBox::question(this, tr("Unsaved mask"), tr("Save the changes to this mask?"),
                                                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
        if (answer == QMessageBox::Cancel)
            return false;
        if (answer == QMessageBox::Discard) {
            m_document->discardAutosaved(m_document->index());
            return true;
        }
    }
    return save();
}

bool MainWindow::showImage(int row) {
    if (!m_project || row < 0 || row >= static_cast<int>(m_project->images().size()))
        return false;
    if (row == m_document->index())
        return true;
    if (!resolveDirty()) {
        m_dataset->setCurrentRow(m_document->index());
        return false;
    }
    try {
        m_document->load(row);
    } catch (const std::exception& e) {
        showError(tr("Cannot show this image: %1").arg(e.what()));
        return false;
    }
    m_dataset->setCurrentRow(row);
    updateTitle();
    return true;
}

bool MainWindow::save() {
    try {
        m_document->save();
        statusBar()->showMessage(tr("Saved"), 3000);
        return true;
    } catch (const std::exception& e) {
        showError(tr("Could not save the mask: %1").arg(e.what()));
        return false;
    }
}

void MainWindow::showNextNeedingWork() {
    const int next = m_dataset->nextNeedingWork(m_document->index());
    if (next < 0)
        statusBar()->showMessage(tr("Every image is reviewed"), 5000);
    else
        showImage(next);
}

void MainWindow::openDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a project or dataset folder"));
    if (!dir.isEmpty())
        openProject(dir);
}

void MainWindow::rememberRecent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value("recentProjects").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    settings.setValue("recentProjects", recent.mid(0, 10));
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    for (const QString& path : QSettings().value("recentProjects").toStringList())
        m_recentMenu->addAction(path, this, [this, path] { openProject(path); });
    m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

bool MainWindow::importBoxes(const QString& path) {
    if (!m_project || !resolveDirty())
        return false;
    try {
        const BoxImportReport report = mf::importBoxes(*m_project, path.toStdString());
        m_project->save();
        statusBar()->showMessage(tr("Imported %1 boxes into %2 coarse masks; %3 problem(s)")
                                     .arg(report.boxes).arg(report.images).arg(report.problems.size()));
        const int row = std::max(0, m_document->index());
        m_document->clear();
        classesChanged();
        m_palette->setProject(m_project.get());
        showImage(row);
        return true;
    } catch (const std::exception& e) {
        showError(tr("Import failed: %1").arg(e.what()));
        return false;
    }
}

void MainWindow::importDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import boxes (a COCO JSON, or any file in a YOLO/VOC folder)"),
                                                      QString(), tr("Boxes (*.json *.txt *.xml)"));
    if (path.isEmpty())
        return;
    importBoxes(path.endsWith(".json") ? path : QFileInfo(path).absolutePath());
}

void MainWindow::refineAllCoarse() {
    if (!m_project)
        return;
    // The open image keeps its unsaved edits: it is refined only if saved first.
    const int n = m_batch->start(m_project.get(), m_document->isDirty() ? m_document->index() : -1);
    statusBar()->showMessage(n ? tr("Refining %n coarse image(s) in the background...", nullptr, n)
                               : tr("No coarse images to refine"));
}

} // namespace mf
