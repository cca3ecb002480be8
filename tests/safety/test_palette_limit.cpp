// Issue 8 defect 12: the class palette cannot add a 256th class (255 is the ignore index): its Add
// button is disabled at the limit, and adding anyway is refused with a message, the project unchanged.
#include "dataset/classpalette.h"
#include "project/project.h"
#include "tools/toolsettings.h"

#include <QApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace mf;

class PaletteLimit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void addIsDisabledAtTheLimit() {
        QTemporaryDir dir;
        Project project(dir.path().toStdString());
        project.classes() = defaultClasses(Project::kMaxClasses - 1);
        project.save();
        ToolSettings settings;
        ClassPalette palette(&settings);
        palette.setProject(&project);
        QPushButton* add = nullptr;
        for (QPushButton* b : palette.findChildren<QPushButton*>())
            if (b->text() == "Add")
                add = b;
        QVERIFY(add);
        QVERIFY(add->isEnabled());
        QCOMPARE(palette.addClass("last"), Project::kMaxClasses - 1);  // id 254, the 255th class
        QVERIFY(!add->isEnabled());
        QVERIFY(!add->toolTip().isEmpty());
        QSignalSpy errors(&palette, &ClassPalette::errorOccurred);
        QCOMPARE(palette.addClass("one too many"), -1);
        QCOMPARE(errors.size(), 1);
        QCOMPARE(project.classCount(), Project::kMaxClasses);
        QCOMPARE(Project::load(dir.path().toStdString()).classCount(), Project::kMaxClasses);  // still loads
    }
};

QTEST_MAIN(PaletteLimit)
#include "test_palette_limit.moc"
