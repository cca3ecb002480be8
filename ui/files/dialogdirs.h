#pragma once
#include <QString>

namespace mf {

/** Where each file dialog opens. Every dialog has a name; the folder it was last left in is kept
 *  under that name in QSettings ("dialogs/<name>"). A dialog never used before opens in the project
 *  folder (or the home folder without a project), never in the working directory. */
QString dialogStartDir(const QString& dialog, const QString& projectDir);
/** Remembers the folder of `chosen` (a file or a folder) for `dialog`; an empty path is ignored. */
void rememberDialogDir(const QString& dialog, const QString& chosen);

} // namespace mf
