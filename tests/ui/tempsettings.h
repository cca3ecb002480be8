#pragma once
// Test programs keep their QSettings in a temporary folder of their own: no test reads what another
// left behind (a window layout, a brush size), and a person's own settings are never touched.
#include <QCoreApplication>
#include <QSettings>
#include <QTemporaryDir>

namespace mf::test {

/** Call first thing in initTestCase(), before anything creates a QSettings. */
inline void useTemporarySettings() {
    static QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    if (QCoreApplication::organizationName().isEmpty())
        QCoreApplication::setOrganizationName("MaskForgeTests");
}

} // namespace mf::test
