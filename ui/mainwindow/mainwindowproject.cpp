// MainWindow: opening projects, switching and saving images, recent projects, crash recovery, imports.
#include "mainwindow/mainwindow.h"

#include "reviewqueue/batchrefinedialog.h"
#include "reviewqueue/batchrefiner.h"
#include "canvas/canvas.h"
#include "dataset/classpalette.h"
#include "dataset/datasetmodel.h"
#include "dataset/datasetpanel.h"
#include "files/dialogdirs.h"
#include "edit/boximport.h"
#include "files/importdialog.h"
#include "files/newprojectdialog.h"
#include "project/newproject.h"
#include "canvas/maskdocument.h"
#include "project/dataset.h"
#include "common/qtcv.h"
#include "review/statusrules.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "tools/toolsettings.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QPushButton>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace mf {

bool MainWindow::openProject(const QString& path) {
    m_formatJob->stopAndFinish();  // a running import finishes its image and is saved with the project it began in
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
    } catch (const FileError& e) {  // names its file already: say it once
        showError(tr("Cannot open %1: %2").arg(toQString(e.file()), toQString(e.problem())));
        return false;
    } catch (const std::exception& e) {
        showError(tr("Cannot open %1: %2").arg(path, e.what()));
        return false;
    }
    // The old project's batch ends here: its finished proposals join the old project's queue.
    m_batch->stop();
    m_document->setProject(nullptr);
    m_review->setProject(nullptr);
    m_project = std::move(project);
    m_document->setProject(m_project.get());
    m_canvas->setClassColours(*m_project);
    m_palette->setProject(m_project.get());
    m_dataset->setProject(m_project.get());
    m_dataset->setToolTip(tr("Masks stored as: %1 (maskforge.json, mask_encoding)")
                              .arg(toQString(toString(m_project->maskEncoding()))));
    try {
        m_review->setProject(m_project.get());
    } catch (const std::exception& e) {
        showError(tr("The review queue of this project cannot be read (left as it is on disk): %1").arg(e.what()));
    }
    Q_EMIT projectChanged(m_project.get());
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
    // A queued proposal that was only looked at stays queued, whatever comes next (another image,
    // another project, quitting); edited on top, the edits are the person's and are saved (accepted) below.
    if (m_document->hasProposal() && !m_document->proposalEdited())
        m_document->withdrawProposal();
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
        // Saving a queued proposal shown on the canvas accepts it.
        const bool proposal = m_document->hasProposal();
        // An unlabelled image nobody touched saves as all background, a label in its own right, unless its
        // boxes say objects are there: then it would teach the network that they are background.
        if (m_project && m_document->isLoaded() && m_document->status() == ImageStatus::Unlabelled &&
            !m_document->isDirty() && !proposal) {
            const ImageEntry& e = m_project->images()[static_cast<std::size_t>(m_document->index())];
            const auto boxes = imageBoxes(*m_project, e, m_document->coarse(), m_document->image().size());
            if (!boxes.empty()) {
                statusBar()->showMessage(
                    tr("Nothing saved: %1 has %n box(es) but no mask yet, and saving it as it is would label them "
                       "background. Refine its boxes (Shift+G) or paint first.",
                       nullptr, static_cast<int>(boxes.size()))
                        .arg(QFileInfo(toQString(e.image)).fileName()),
                    10000);
                return false;
            }
        }
        m_document->save();
        if (proposal) {
            m_document->applyStatusEvent(StatusEvent::ProposalAccepted);
            m_review->remove(m_document->index());
        }
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

bool MainWindow::setImageStatus(int row, ImageStatus status) {
    if (!m_project || row < 0 || row >= static_cast<int>(m_project->images().size()))
        return false;
    try {
        if (row == m_document->index())
            m_document->setStatus(status);  // the open document keeps its entry in step
        else
            setStatusAndSave(*m_project, row, status);
    } catch (const std::exception& e) {
        showError(tr("Could not set the status: %1").arg(e.what()));
        return false;
    }
    m_dataset->model()->refreshRow(row);
    return true;
}

void MainWindow::openDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a project or dataset folder"),
                                                          dialogStartDir("open", projectDir()));
    rememberDialogDir("open", dir);
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

void MainWindow::newProjectDialog() {
    NewProjectDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (!dialog.fromImport()) {
        newProject(dialog.projectFolder(), dialog.imagesFolder(), dialog.classNames());
        return;
    }
    ImportDialog import(nullptr, this);  // no project: it asks for the new project's folder
    if (import.exec() == QDialog::Accepted)
        importAnnotations(import.request(), import.projectFolder());
}

bool MainWindow::newProject(const QString& projectDir, const QString& imagesDir, const QStringList& classNames) {
    if (!resolveDirty())
        return false;
    std::vector<std::string> names;
    for (const QString& n : classNames)
        names.push_back(n.toStdString());
    NewProjectReport report;
    try {
        createProjectFromImages(projectDir.toStdString(), imagesDir.toStdString(), names, &report);
    } catch (const FileError& e) {
        showError(tr("Cannot create the project in %1: %2").arg(toQString(e.file()), toQString(e.problem())));
        return false;
    } catch (const std::exception& e) {
        showError(tr("Cannot create the project in %1: %2").arg(projectDir, e.what()));
        return false;
    }
    if (!openProject(projectDir))
        return false;
    QString message = tr("New project %1: %n image(s) to label", nullptr, report.images).arg(QFileInfo(projectDir).fileName());
    if (!report.skipped.empty())
        message += tr("; %n file(s) could not be taken, first: %1", nullptr, static_cast<int>(report.skipped.size()))
                       .arg(toQString(report.skipped.front().file + ": " + report.skipped.front().message));
    statusBar()->showMessage(message, 15000);
    return true;
}

void MainWindow::refineAllCoarse() {
    if (!m_project)
        return;
    if (!m_batchDialog)
        m_batchDialog = new BatchRefineDialog(m_batch, this);
    if (m_batch->isRunning()) {  // already refining: show how far it is
        m_batchDialog->show();
        m_batchDialog->raise();
        return;
    }
    // Results are proposals in the review queue: the open image's unsaved edits are never overwritten.
    // Images whose proposal still waits for review are left alone: re-running would only replace it.
    std::set<std::string> queued;
    for (const ReviewEntry& e : m_review->queue().entries())
        queued.insert(e.image);
    const int n = m_batch->start(*m_project, queued);
    QString message = n ? (m_batch->mode() == BatchRefiner::Mode::Auto
                               ? tr("Refining %n coarse image(s) in the background, choosing per class on the reviewed images...", nullptr, n)
                               : tr("Refining %n coarse image(s) with GrabCut in the background (no reviewed image to choose by)...", nullptr, n))
                        : tr("No coarse images to refine");
    if (!queued.empty())
        message += tr(" (%n already in the review queue)", nullptr, static_cast<int>(queued.size()));
    statusBar()->showMessage(message);
    if (n) {
        m_batchDialog->batchStarted(BatchRefiner::reviewedEvidence(*m_project), n);
        m_batchDialog->show();
        m_batchDialog->raise();
    }
}

} // namespace mf
