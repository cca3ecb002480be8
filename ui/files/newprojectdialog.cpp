#include "files/newprojectdialog.h"

#include "files/dialogdirs.h"
#include "io/imageio.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mf {

namespace {
QLineEdit* folderRow(QDialog* dialog, QFormLayout* form, const QString& label, const QString& key, const QString& title) {
    auto* edit = new QLineEdit(dialog);
    auto* browse = new QPushButton(QObject::tr("..."), dialog);
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    QObject::connect(browse, &QPushButton::clicked, dialog, [dialog, edit, key, title] {
        const QString d = QFileDialog::getExistingDirectory(dialog, title, dialogStartDir(key, edit->text()));
        rememberDialogDir(key, d);
        if (!d.isEmpty())
            edit->setText(d);
    });
    return edit;
}

int countImages(const QString& dir) {
    int n = 0;
    for (const QFileInfo& f : QDir(dir).entryInfoList(QDir::Files))
        n += isImageFile(f.filePath().toStdString()) ? 1 : 0;
    return n;
}
} // namespace

NewProjectDialog::NewProjectDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("New project"));
    auto* form = new QFormLayout;
    m_images = folderRow(this, form, tr("Images"), "newProjectImages", tr("Folder of images"));
    m_images->setPlaceholderText(tr("a folder of images (or one with an images/ subfolder)"));
    m_found = new QLabel(this);
    m_found->setWordWrap(true);
    form->addRow(QString(), m_found);
    m_project = folderRow(this, form, tr("Project folder"), "newProjectFolder", tr("Project folder"));
    m_project->setPlaceholderText(tr("new or empty; or the images' own folder to keep them where they are"));
    // Wide enough for its hint: cut at "keep them w..." it hid what the images' own folder is for.
    for (QLineEdit* e : {m_images, m_project})
        e->setMinimumWidth(e->fontMetrics().horizontalAdvance(e->placeholderText()) + 16);
    m_classes = new QLineEdit(this);
    m_classes->setObjectName("newProjectClasses");
    m_classes->setPlaceholderText(tr("e.g. crack, scratch, stain (background is class 0)"));
    form->addRow(tr("Classes"), m_classes);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    auto* import = buttons->addButton(tr("From an annotation import..."), QDialogButtonBox::ActionRole);
    import->setToolTip(tr("Make the project from images with boxes or polygons (YOLO, VOC, COCO, LabelMe, CVAT, masks)"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(560);
    connect(m_images, &QLineEdit::textChanged, this, &NewProjectDialog::imagesChosen);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewProjectDialog::check);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(import, &QPushButton::clicked, this, [this] {
        m_fromImport = true;
        accept();
    });
    imagesChosen();
}

QString NewProjectDialog::imagesFolder() const { return m_images->text().trimmed(); }
QString NewProjectDialog::projectFolder() const { return m_project->text().trimmed(); }

QStringList NewProjectDialog::classNames() const {
    QStringList out;
    for (const QString& name : m_classes->text().split(',', Qt::SkipEmptyParts))
        if (!name.trimmed().isEmpty())
            out << name.trimmed();
    return out;
}

void NewProjectDialog::setImagesFolder(const QString& dir) { m_images->setText(dir); }
void NewProjectDialog::setProjectFolder(const QString& dir) { m_project->setText(dir); }
void NewProjectDialog::setClassNames(const QString& names) { m_classes->setText(names); }

// Says at once how many images the folder holds, and proposes a project folder beside it.
void NewProjectDialog::imagesChosen() {
    const QString dir = imagesFolder();
    if (dir.isEmpty()) {
        m_found->setText(tr("Choose a folder of images."));
        return;
    }
    const QString sub = QDir(dir).filePath("images");
    const int inSub = countImages(sub), here = countImages(dir);
    m_found->setText(inSub > 0   ? tr("%n image(s) in its images/ folder", nullptr, inSub)
                     : here > 0  ? tr("%n image(s)", nullptr, here)
                                 : tr("No images in this folder."));
    if (projectFolder().isEmpty() && (inSub > 0 || here > 0))
        m_project->setText(inSub > 0 ? dir : QFileInfo(dir).absoluteFilePath() + "-project");
}

void NewProjectDialog::check() {
    if (imagesFolder().isEmpty() || projectFolder().isEmpty()) {
        m_found->setText(tr("Choose the images and the project folder first."));
        return;
    }
    if (classNames().isEmpty()) {
        m_found->setText(tr("Name at least one class to label (comma-separated)."));
        m_classes->setFocus();
        return;
    }
    accept();
}

} // namespace mf
