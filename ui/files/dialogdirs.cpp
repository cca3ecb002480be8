#include "files/dialogdirs.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace mf {

QString dialogStartDir(const QString& dialog, const QString& projectDir) {
    const QString last = QSettings().value("dialogs/" + dialog).toString();
    if (!last.isEmpty() && QFileInfo(last).isDir())
        return last;
    if (!projectDir.isEmpty()) {
        const QFileInfo project(projectDir);  // a project folder or its maskforge.json
        return project.isDir() ? project.absoluteFilePath() : project.absolutePath();
    }
    return QDir::homePath();
}

void rememberDialogDir(const QString& dialog, const QString& chosen) {
    if (chosen.isEmpty())
        return;
    const QFileInfo info(chosen);
    QSettings().setValue("dialogs/" + dialog, info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

} // namespace mf
