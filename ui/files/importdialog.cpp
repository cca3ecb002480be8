#include "files/importdialog.h"

#include "files/dialogdirs.h"
#include "project/project.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>
#include <map>

namespace mf {
namespace {

QString projectFolderOf(const Project* project) {
    return project ? QString::fromStdString(project->root()) : QString();
}

struct FormatChoice {
    formats::Format format;
    const char* text;
    const char* hint;
};
const FormatChoice kChoices[] = {
    {formats::Format::Labelme, "labelme JSON", "a folder of labelme .json files (images beside them or embedded; a labels.txt there gives a new project its class ids)"},
    {formats::Format::Coco, "COCO instances JSON", "a COCO .json, or its data set's folder (polygons, RLE or boxes; larger instances painted first)"},
    {formats::Format::Yolo, "YOLO boxes / YOLO-seg", "a folder with labels/ (or .txt files), images/ and classes.txt"},
    {formats::Format::Voc, "Pascal VOC (masks or XML boxes)", "a VOC folder: SegmentationClass/ palette masks, or Annotations/ XML boxes"},
    {formats::Format::Cvat, "CVAT for images 1.1 XML", "a CVAT annotations.xml (boxes, polygons, masks)"},
    {formats::Format::Png, "PNG index masks", "a folder with images/ and masks/ (index or palette PNGs)"},
};

QLineEdit* pathRow(QWidget* parent, QFormLayout* form, const QString& label, QList<QPushButton*> buttons) {
    auto* edit = new QLineEdit(parent);
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    for (QPushButton* b : buttons)
        row->addWidget(b);
    form->addRow(label, row);
    return edit;
}

} // namespace

ImportDialog::ImportDialog(const Project* project, QWidget* parent) : QDialog(parent), m_project(project) {
    setWindowTitle(tr("Import annotations"));
    auto* form = new QFormLayout;
    m_form = form;
    // Where the import goes, said first: an open project by name and folder, else the folder asked below.
    m_target = new QLabel(this);
    m_target->setWordWrap(true);
    m_target->setText(project ? tr("Into the open project <b>%1</b> (%2)")
                                    .arg(QString::fromStdString(project->name()).toHtmlEscaped(),
                                         QString::fromStdString(project->root()).toHtmlEscaped())
                              : tr("Into a new project, in the folder chosen below"));
    form->addRow(tr("Target"), m_target);
    addSourceRows(form);
    m_classes = new QComboBox(this);
    m_classes->addItem(tr("Add classes the project lacks (listed in the result)"));
    m_classes->addItem(tr("Keep the project's classes; skip shapes of other classes"));
    form->addRow(tr("Unknown classes"), m_classes);
    addPreviewRow(form);
    addPreviewLists(form);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Import"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(620);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_input->text().isEmpty() || (m_projectDir && m_projectDir->text().isEmpty())) {
            m_preview->setText(tr("Choose the input%1 first.").arg(m_projectDir ? tr(" and the project folder") : QString()));
            return;
        }
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void ImportDialog::addSourceRows(QFormLayout* form) {
    m_format = new QComboBox(this);
    for (const FormatChoice& c : kChoices)
        m_format->addItem(tr(c.text));
    form->addRow(tr("Format"), m_format);
    auto* hint = new QLabel(this);
    hint->setWordWrap(true);
    hint->setStyleSheet("color: palette(mid)");
    form->addRow(QString(), hint);
    const auto updateHint = [this, hint] { hint->setText(tr(kChoices[m_format->currentIndex()].hint)); };
    updateHint();
    connect(m_format, qOverload<int>(&QComboBox::currentIndexChanged), this, updateHint);
    auto* file = new QPushButton(tr("File..."), this);
    auto* folder = new QPushButton(tr("Folder..."), this);
    m_input = pathRow(this, form, tr("From"), {file, folder});
    connect(file, &QPushButton::clicked, this, [this] { browse(false); });
    connect(folder, &QPushButton::clicked, this, [this] { browse(true); });
    auto* imagesButton = new QPushButton(tr("..."), this);
    m_images = pathRow(this, form, tr("Images (optional)"), {imagesButton});
    m_images->setPlaceholderText(tr("only if not in the format's usual place (--images)"));
    connect(imagesButton, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Images folder"), dialogStartDir("importImages", projectFolderOf(m_project)));
        rememberDialogDir("importImages", d);
        if (!d.isEmpty())
            m_images->setText(d);
    });
    auto* labelsButton = new QPushButton(tr("..."), this);
    m_labels = pathRow(this, form, tr("Labels (optional)"), {labelsButton});
    m_labels->setPlaceholderText(tr("labels.txt: one class a line, __ignore__ first = ignore (255)"));
    connect(labelsButton, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Labels file"), dialogStartDir("importLabels", projectFolderOf(m_project)),
                                                       tr("Text (*.txt);;All files (*)"));
        rememberDialogDir("importLabels", f);
        if (!f.isEmpty())
            m_labels->setText(f);
    });
    if (m_project)
        return;
    auto* dirButton = new QPushButton(tr("..."), this);
    m_projectDir = pathRow(this, form, tr("New project folder"), {dirButton});
    connect(dirButton, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Project folder"), dialogStartDir("importProject", {}));
        rememberDialogDir("importProject", d);
        if (!d.isEmpty())
            m_projectDir->setText(d);
    });
}

void ImportDialog::addPreviewRow(QFormLayout* form) {
    m_preview = new QLabel(tr("Choose what to import, then Preview."), this);
    m_preview->setWordWrap(true);
    m_previewButton = new QPushButton(tr("Preview"), this);
    auto* previewRow = new QHBoxLayout;
    previewRow->addWidget(m_preview, 1);
    previewRow->addWidget(m_previewButton);
    form->addRow(tr("Would import"), previewRow);
    connect(m_previewButton, &QPushButton::clicked, this, [this] { previewInBackground(); });
    connect(&m_previewWatcher, &QFutureWatcher<PreviewResult>::finished, this, [this] {
        showPreview(m_previewWatcher.result());
        m_previewButton->setEnabled(true);
        Q_EMIT previewFinished();
    });
}

void ImportDialog::addPreviewLists(QFormLayout* form) {
    // Refined and reviewed masks the import would change: kept unless chosen otherwise, per image.
    m_conflicts = new QTableWidget(0, 4, this);
    m_conflicts->setHorizontalHeaderLabels({tr("Image"), tr("Status"), tr("Pixels changed"), tr("Its mask")});
    m_conflicts->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_conflicts->verticalHeader()->hide();
    m_conflicts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // One line a row, the image path elided in its middle: wrapped, "images/" took the first line and
    // the name's end (what tells two images apart) was cut off, three rows to a screen.
    m_conflicts->setWordWrap(false);
    m_conflicts->setTextElideMode(Qt::ElideMiddle);
    for (int c = 1; c < 4; ++c)
        m_conflicts->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_conflicts->setMinimumHeight(160);
    form->addRow(tr("Person's masks"), m_conflicts);
    m_problems = new QPlainTextEdit(this);
    m_problems->setReadOnly(true);
    m_problems->setMaximumHeight(140);
    form->addRow(tr("Problems"), m_problems);
    // Hidden until a preview fills them, labels included (a hidden field left its label standing alone).
    form->setRowVisible(m_conflicts, false);
    form->setRowVisible(m_problems, false);
}

// A preview adds lines, a table and problems: the dialog grows to show them (no wrapped line cut off
// under the table), within the screen.
void ImportDialog::fitToContents() {
    layout()->activate();
    // The summary wraps beside the Preview button; the form gave it the lines of the last text, not of this one.
    if (m_preview->width() > 0)
        m_preview->setMinimumHeight(m_preview->heightForWidth(m_preview->width()));
    layout()->activate();
    const QRect area = screen() ? screen()->availableGeometry() : QRect(0, 0, 1366, 768);
    const int w = width();
    const int wanted = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(w) : sizeHint().height();
    resize(w, std::max(height(), std::min(wanted, area.height() * 9 / 10)));
    // Grown downwards, the buttons could leave the screen: move up as far as needed.
    const QRect frame = frameGeometry();
    if (isVisible() && frame.bottom() > area.bottom())
        move(frame.x(), std::max(area.top(), area.bottom() + 1 - frame.height()));
}

void ImportDialog::browse(bool folder) {
    const QString start = dialogStartDir("importInput", projectFolderOf(m_project));
    const QString p = folder ? QFileDialog::getExistingDirectory(this, tr("Annotation folder"), start)
                             : QFileDialog::getOpenFileName(this, tr("Annotation file"), start, tr("Annotations (*.json *.xml *.txt);;All files (*)"));
    rememberDialogDir("importInput", p);
    if (!p.isEmpty())
        m_input->setText(p);
}

void ImportDialog::setInput(int formatIndex, const QString& input, const QString& imagesDir) {
    m_format->setCurrentIndex(formatIndex);
    m_input->setText(input);
    m_images->setText(imagesDir);
}

formats::ImportRequest ImportDialog::request() const {
    formats::ImportRequest r;
    r.format = kChoices[m_format->currentIndex()].format;
    r.input = m_input->text().toStdString();
    r.labelsFile = m_labels->text().toStdString();
    r.imagesDir = m_images->text().toStdString();
    r.addMissingClasses = m_classes->currentIndex() == 0;
    for (int row = 0; row < m_conflicts->rowCount(); ++row) {
        const auto* choice = qobject_cast<QComboBox*>(m_conflicts->cellWidget(row, 3));
        if (choice)
            r.perImage[m_conflicts->item(row, 0)->text().toStdString()] = static_cast<formats::OnExisting>(choice->currentIndex());
    }
    return r;
}

void ImportDialog::setChoice(const std::string& image, formats::OnExisting choice) {
    for (int row = 0; row < m_conflicts->rowCount(); ++row)
        if (m_conflicts->item(row, 0)->text().toStdString() == image)
            if (auto* box = qobject_cast<QComboBox*>(m_conflicts->cellWidget(row, 3)))
                box->setCurrentIndex(static_cast<int>(choice));
}

QString ImportDialog::targetText() const { return m_target->text(); }

QString ImportDialog::problemsText() const { return m_problems->toPlainText(); }

void ImportDialog::showConflicts(const std::vector<formats::ImportConflict>& conflicts) {
    // A choice made before stays with its image across previews.
    std::map<std::string, formats::OnExisting> before = request().perImage;
    m_conflicts->setRowCount(0);
    for (const formats::ImportConflict& c : conflicts) {
        const int row = m_conflicts->rowCount();
        m_conflicts->insertRow(row);
        m_conflicts->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(c.image)));
        m_conflicts->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(toString(c.status))));
        m_conflicts->setItem(row, 2, new QTableWidgetItem(QString::number(c.changedPixels)));
        auto* choice = new QComboBox(m_conflicts);
        choice->addItems({tr("Keep"), tr("Replace"), tr("Merge")});  // the order of formats::OnExisting
        const auto it = before.find(c.image);
        choice->setCurrentIndex(static_cast<int>(it == before.end() ? formats::OnExisting::Keep : it->second));
        m_conflicts->setCellWidget(row, 3, choice);
    }
    m_form->setRowVisible(m_conflicts, !conflicts.empty());
}

QString ImportDialog::projectFolder() const { return m_projectDir ? m_projectDir->text() : QString(); }

ImportDialog::PreviewResult ImportDialog::dryRun(Project project, formats::ImportRequest r) {
    r.dryRun = true;  // lists every conflict with the choice made so far, and applies none
    PreviewResult result;
    try {
        result.report = formats::importInto(project, r);
    } catch (const std::exception& e) {
        result.error = QString::fromStdString(e.what());
    }
    return result;
}

Project ImportDialog::targetCopy() const { return m_project ? *m_project : Project(projectFolder().toStdString()); }

void ImportDialog::showPreview(const PreviewResult& result) {
    if (!result.error.isEmpty()) {
        m_preview->setText(tr("Cannot import: %1").arg(result.error));
        m_form->setRowVisible(m_problems, false);
        fitToContents();
        return;
    }
    const formats::ImportReport& report = result.report;
    QString text = tr("%1 file(s), %2 image(s), %3 shape(s)").arg(report.files).arg(report.images).arg(report.shapes);
    if (report.boxes)
        text += tr(" (%1 boxes as coarse masks)").arg(report.boxes);
    if (!report.addedClasses.empty())
        text += tr("; %n new class(es)", nullptr, static_cast<int>(report.addedClasses.size()));
    if (!report.conflicts.empty())
        text += tr("; %n refined or reviewed mask(s) it would change: kept unless chosen below", nullptr,
                   static_cast<int>(report.conflicts.size()));
    m_preview->setText(text);
    showConflicts(report.conflicts);
    QString problems;
    for (const Problem& p : report.problems)
        problems += QString::fromStdString(p.file) + ": " + QString::fromStdString(p.message) + "\n";
    m_problems->setPlainText(problems);
    m_form->setRowVisible(m_problems, !report.problems.empty());
    fitToContents();
}

formats::ImportReport ImportDialog::preview() {
    const PreviewResult result = dryRun(targetCopy(), request());
    showPreview(result);
    return result.report;
}

void ImportDialog::previewInBackground() {
    if (m_previewWatcher.isRunning())
        m_previewWatcher.waitForFinished();
    m_previewButton->setEnabled(false);
    m_preview->setText(tr("Reading the annotations..."));
    // The request and the project are copied now: the worker touches nothing of the dialog's.
    m_previewWatcher.setFuture(QtConcurrent::run(&ImportDialog::dryRun, targetCopy(), request()));
}

void showImportResult(QWidget* parent, const QString& title, const QString& summary, const std::vector<std::string>& addedClasses,
                      const std::vector<Problem>& problems) {
    QDialog dialog(parent);
    dialog.setWindowTitle(title);
    auto* layout = new QVBoxLayout(&dialog);
    auto* head = new QLabel(summary, &dialog);
    head->setWordWrap(true);
    layout->addWidget(head);
    if (!addedClasses.empty()) {
        QStringList names;
        for (const std::string& n : addedClasses)
            names << QString::fromStdString(n);
        auto* added = new QLabel(QObject::tr("New classes added: %1").arg(names.join(", ")), &dialog);
        added->setWordWrap(true);
        layout->addWidget(added);
    }
    if (!problems.empty()) {
        layout->addWidget(new QLabel(QObject::tr("Not used (%n):", nullptr, static_cast<int>(problems.size())), &dialog));
        auto* list = new QPlainTextEdit(&dialog);
        list->setReadOnly(true);
        QString text;
        for (const Problem& p : problems)
            text += QString::fromStdString(p.file) + ": " + QString::fromStdString(p.message) + "\n";
        list->setPlainText(text);
        layout->addWidget(list);
    }
    auto* ok = new QDialogButtonBox(QDialogButtonBox::Ok, &dialog);
    QObject::connect(ok, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    layout->addWidget(ok);
    dialog.resize(640, problems.empty() ? 160 : 400);
    dialog.exec();
}

ExportDialog::ExportDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Export masks"));
    auto* form = new QFormLayout;
    m_format = new QComboBox(this);
    for (const char* f : {"png", "voc", "labelme", "coco", "yolo", "cvat"})
        m_format->addItem(f);
    form->addRow(tr("Format"), m_format);
    auto* browse = new QPushButton(tr("..."), this);
    m_out = pathRow(this, form, tr("To folder"), {browse});
    m_rle = new QCheckBox(tr("COCO: RLE masks (lossless) instead of polygons"), this);
    form->addRow(QString(), m_rle);
    m_strict = new QCheckBox(tr("Refuse if the format cannot carry all of the masks (else asked, with counts)"), this);
    form->addRow(QString(), m_strict);
    m_includeCoarse = new QCheckBox(tr("Also export coarse box fills as if they were segmentations"), this);
    form->addRow(QString(), m_includeCoarse);
    m_overwrite = new QCheckBox(tr("Replace an earlier MaskForge export in this folder"), this);
    form->addRow(QString(), m_overwrite);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(520);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Export folder"), dialogStartDir("exportFolder", {}));
        rememberDialogDir("exportFolder", d);
        if (!d.isEmpty())
            m_out->setText(d);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!m_out->text().isEmpty())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

formats::ExportRequest ExportDialog::request() const {
    formats::ExportRequest r;
    r.format = *formats::parseFormat(m_format->currentText().toStdString());
    r.outDir = m_out->text().toStdString();
    r.cocoRle = m_rle->isChecked();
    r.strict = m_strict->isChecked();
    r.includeCoarse = m_includeCoarse->isChecked();
    r.overwrite = m_overwrite->isChecked();
    return r;
}

} // namespace mf
