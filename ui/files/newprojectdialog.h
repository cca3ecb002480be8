#pragma once
#include <QDialog>
#include <QStringList>

class QLabel;
class QLineEdit;

namespace mf {

/** File > New project: from a folder of images (the images' folder, the project folder, the classes
 *  to label), or from an annotation import (then `fromImport()` and the caller opens the import
 *  dialog for a new project). Reads only; the caller creates the project (createProjectFromImages). */
class NewProjectDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewProjectDialog(QWidget* parent = nullptr);
    QString imagesFolder() const;
    QString projectFolder() const;
    /** The classes to label, in order (background is class 0 and not listed). */
    QStringList classNames() const;
    /** True when the person chose "From an annotation import..." instead. */
    bool fromImport() const { return m_fromImport; }
    void setImagesFolder(const QString& dir);
    void setProjectFolder(const QString& dir);
    void setClassNames(const QString& names);

private:
    void imagesChosen();
    void check();

    QLineEdit *m_images, *m_project, *m_classes;
    QLabel* m_found;
    bool m_fromImport = false;
};

} // namespace mf
