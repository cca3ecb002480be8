// MainWindow: File > Import and File > Export, run off the GUI thread by a FormatJob.
#include "mainwindow/mainwindow.h"

#include "reviewqueue/batchrefiner.h"
#include "dataset/classpalette.h"
#include "files/formatjob.h"
#include "files/importdialog.h"
#include "canvas/maskdocument.h"

#include <QMessageBox>
#include <QStatusBar>

namespace mf {

bool MainWindow::importBoxes(const QString& path) {
    formats::ImportRequest request;
    request.format = formats::guessBoxFormat(path.toStdString());
    request.input = path.toStdString();
    return importAnnotations(request);
}

bool MainWindow::runFormatJob(const QString& what, bool cancellable, FormatJob::Work work, std::function<void(const FormatJob::Result&)> done) {
    if (m_formatJob->running()) {
        showError(tr("An import or export is running: wait for it, or stop it"));
        return false;
    }
    if (!m_formatJob->start(what, cancellable, std::move(work), std::move(done)))
        return false;
    m_formatJob->waitUntilDone();  // the event loop runs meanwhile: the window repaints, its timers fire
    return true;
}

bool MainWindow::importAnnotations(const formats::ImportRequest& request, const QString& projectDir) {
    if (m_formatJob->running()) {
        showError(tr("An import or export is running: wait for it, or stop it"));
        return false;
    }
    if (!resolveDirty())
        return false;
    // A project folder given: a new project (File > New project from an import), whatever is open.
    const bool intoNew = !m_project || !projectDir.isEmpty();
    if (intoNew && projectDir.isEmpty())
        return false;
    std::optional<Project> copy;
    if (!intoNew) {
        if (m_batch->isRunning()) {  // its proposals would change the project the import's copy replaces
            m_batch->stop();
            statusBar()->showMessage(tr("Refining coarse images stopped for the import; its proposals so far are queued"));
        }
        copy = *m_project;
    }
    const std::string dir = projectDir.toStdString();
    auto work = [request, copy, dir](const std::atomic<bool>& cancel, const FormatJob::Progress& progress) mutable {
        formats::ImportRequest r = request;
        r.cancel = &cancel;
        r.progress = progress;
        FormatJob::Result result;
        if (!copy) {
            result.importReport = formats::importAnnotations(dir, r);
            return result;
        }
        // The masks are written first; the project file only once they all exist (stopped part-way:
        // those imported, each whole).
        result.importReport = formats::importInto(*copy, r);
        copy->save();
        result.project = std::move(copy);
        return result;
    };
    bool ok = false;
    // Applied in `done`, which runs before another project opens or the window closes (FormatJob::stopAndFinish).
    runFormatJob(tr("Importing annotations..."), true, std::move(work),
                 [this, &ok, projectDir](const FormatJob::Result& result) { ok = applyImport(result, projectDir); });
    return ok;
}

bool MainWindow::applyImport(const FormatJob::Result& result, const QString& projectDir) {
    if (!result.error.isEmpty()) {
        showError(tr("Import failed: %1").arg(result.error));
        return false;
    }
    const formats::ImportReport& report = result.importReport;
    if (!result.project) {  // into a new project folder
        if (report.images == 0) {
            showError(tr("Nothing imported: %n problem(s)", nullptr, static_cast<int>(report.problems.size())));
            return false;
        }
        if (result.interrupted)  // the window closes or another project opens: this one stays on disk
            return true;
        if (!openProject(projectDir))
            return false;
        finishImport(report);
        return true;
    }
    *m_project = *result.project;
    m_document->clear();
    if (result.interrupted)
        return report.images > 0;
    const int row = std::max(0, m_document->index());
    classesChanged();
    m_palette->setProject(m_project.get());
    showImage(row);
    finishImport(report);
    return report.images > 0;
}

void MainWindow::finishImport(const formats::ImportReport& report) {
    // After showImage, so that the tool hint does not overwrite it.
    // A refined or reviewed mask the import would have changed is kept and listed with the problems (each
    // names its image), but it is the person's work kept, not a problem: counted apart.
    const int kept = formats::keptMaskCount(report);
    QString summary = tr("Imported %1 image(s), %2 shape(s) (%3 boxes as coarse masks) from %4 file(s)")
                          .arg(report.images).arg(report.shapes).arg(report.boxes).arg(report.files);
    if (kept > 0)
        summary += tr("; %n refined or reviewed mask(s) kept as they are", nullptr, kept);
    summary += tr("; %n problem(s)", nullptr, static_cast<int>(report.problems.size()) - kept);
    if (report.cancelled)
        summary += tr("; stopped before the end: the images imported so far are saved");
    statusBar()->showMessage(summary, 30000);
    if (m_interactive)
        showImportResult(this, tr("Import"), summary, report.addedClasses, report.problems);
}

void MainWindow::importDialog() {
    // Unsaved edits first (saved or asked about): the preview then shows the mask as it will be met,
    // and offers keep / replace / merge for it like any refined one.
    if (!resolveDirty())
        return;
    ImportDialog dialog(m_project.get(), this);
    if (dialog.exec() == QDialog::Accepted)
        importAnnotations(dialog.request(), dialog.projectFolder());
}

void MainWindow::exportDialog() {
    if (!m_project || !resolveDirty())
        return;
    ExportDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        exportAnnotations(dialog.request());
}

namespace {

QString describeLosses(const std::vector<formats::ExportLoss>& losses) {
    QStringList lines;
    for (const formats::ExportLoss& l : losses)
        lines << QObject::tr("%1 %2 in %n image(s)", nullptr, l.images).arg(l.pixels).arg(QString::fromStdString(l.what));
    return lines.join('\n');
}

} // namespace

bool MainWindow::exportAnnotations(const formats::ExportRequest& request) {
    if (!m_project || !resolveDirty())
        return false;
    const Project copy = *m_project;
    const QString format = QString::fromStdString(formats::toString(request.format));
    // What the format cannot carry is said before anything is written (the plan reads every mask).
    FormatJob::Result plan;
    const auto keep = [&plan](const FormatJob::Result& r) { plan = r; };
    if (!runFormatJob(tr("Reading the masks for %1...").arg(format), false,
                      [copy, request](const std::atomic<bool>&, const FormatJob::Progress&) {
                          FormatJob::Result r;
                          r.exportReport = formats::planExport(copy, request);
                          return r;
                      },
                      keep) ||
        plan.interrupted)
        return false;
    if (!plan.error.isEmpty()) {
        showError(tr("Export failed: %1").arg(plan.error));
        return false;
    }
    if (!plan.exportReport.losses.empty()) {
        const QString lost = describeLosses(plan.exportReport.losses);
        if (request.strict) {
            showError(tr("%1 cannot carry all of the masks; nothing written:\n%2").arg(format, lost));
            return false;
        }
        statusBar()->showMessage(tr("%1 cannot carry all of the masks: %2").arg(format, lost), 30000);
        if (m_interactive && QMessageBox::question(this, tr("Export"), tr("%1 cannot carry all of the masks:\n\n%2\n\nExport anyway?").arg(format, lost)) !=
                                 QMessageBox::Yes)
            return false;
    }
    FormatJob::Result written;
    if (!runFormatJob(tr("Exporting as %1...").arg(format), false,
                      [copy, request](const std::atomic<bool>&, const FormatJob::Progress&) {
                          FormatJob::Result r;
                          r.exportReport = formats::exportProject(copy, request);
                          return r;
                      },
                      [&written](const FormatJob::Result& r) { written = r; }))
        return false;
    if (!written.error.isEmpty()) {
        showError(tr("Export failed: %1").arg(written.error));
        return false;
    }
    const formats::ExportReport& report = written.exportReport;
    QString summary = tr("Exported %1 image(s) to %2 (%3 files)").arg(report.images).arg(QString::fromStdString(request.outDir)).arg(report.written.size());
    if (report.coarseSkipped)
        summary += tr("; %n coarse box fill(s) left out", nullptr, report.coarseSkipped);
    if (!report.losses.empty())
        summary += tr("; the format could not carry: %1").arg(describeLosses(report.losses).replace('\n', "; "));
    statusBar()->showMessage(summary, 30000);
    if (m_interactive && !written.interrupted)
        showImportResult(this, tr("Export"), summary, {}, report.problems);
    return true;
}

} // namespace mf
