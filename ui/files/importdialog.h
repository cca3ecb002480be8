#pragma once
#include "formats/formatimport.h"

#include <QDialog>
#include <QFutureWatcher>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace mf {

/** File > Import: which format, which file or folder, which labels file, how unknown classes map to the
 *  project's, and a dry-run preview of what would be imported into the project it names: its problems
 *  listed one a line, and each refined or reviewed mask the import would change with a choice of keep
 *  (the default), replace or merge. Reads only; the caller imports request(), which carries the choices. */
class ImportDialog : public QDialog {
    Q_OBJECT
public:
    /** `project` (may be null: then a new project folder is asked for) is only read, for the preview. */
    ImportDialog(const Project* project, QWidget* parent = nullptr);
    formats::ImportRequest request() const;
    /** The preview's per-image choice for `image` (project-relative): rows of the conflicts table. */
    void setChoice(const std::string& image, formats::OnExisting choice);
    /** The text of the line that names where the import goes. */
    QString targetText() const;
    /** The problems the last preview listed, one a line. */
    QString problemsText() const;
    /** The project folder to create or add to when no project is open; empty otherwise. */
    QString projectFolder() const;
    /** The format (the dialog's order), the input, and where the images are (--images; may be empty). */
    void setInput(int formatIndex, const QString& input, const QString& imagesDir = {});
    /** Runs the dry run and shows its counts; returns them. */
    formats::ImportReport preview();
    /** The same dry run off the GUI thread (the Preview button): a large data set keeps the dialog
     *  responsive; previewFinished() when it is shown. A second request while one runs waits for it. */
    void previewInBackground();

Q_SIGNALS:
    void previewFinished();

private:
    /** What a dry run gave: its report, or why it could not run. */
    struct PreviewResult {
        formats::ImportReport report;
        QString error;
    };
    /** A dry run of `r` on `project` (a copy: any thread may run it). */
    static PreviewResult dryRun(Project project, formats::ImportRequest r);
    Project targetCopy() const;
    void showPreview(const PreviewResult& result);
    /** Format (with its hint), input, labels file and, without a project, the new project's folder. */
    void addSourceRows(QFormLayout* form);
    /** The preview's summary line and its button. */
    void addPreviewRow(QFormLayout* form);
    /** The preview's lists: the person's masks with a choice each, and the problems. */
    void addPreviewLists(QFormLayout* form);
    void fitToContents();
    void browse(bool folder);
    const Project* m_project;
    QFutureWatcher<PreviewResult> m_previewWatcher;
    QPushButton* m_previewButton = nullptr;
    QComboBox* m_format;
    QLineEdit* m_input;
    QLineEdit* m_labels;
    QLineEdit* m_images;
    QLineEdit* m_projectDir = nullptr;
    void showConflicts(const std::vector<formats::ImportConflict>& conflicts);
    QComboBox* m_classes;
    QLabel* m_target;
    QLabel* m_preview;
    QTableWidget* m_conflicts;
    QPlainTextEdit* m_problems;
    QFormLayout* m_form = nullptr;
};

/** The outcome of an import or export: counts, added classes, and each file's problems. */
void showImportResult(QWidget* parent, const QString& title, const QString& summary, const std::vector<std::string>& addedClasses,
                      const std::vector<Problem>& problems);

/** File > Export: format, output folder, COCO RLE, strict, coarse fills, replacing an earlier export. */
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    ExportDialog(QWidget* parent = nullptr);
    formats::ExportRequest request() const;

private:
    QComboBox* m_format;
    QLineEdit* m_out;
    QCheckBox* m_rle;
    QCheckBox* m_strict;
    QCheckBox* m_includeCoarse;
    QCheckBox* m_overwrite;
};

} // namespace mf
