// The annotation workflow around the canvas: unsaved marker, crash restore, review queue, class palette.
#include "uitesthelpers.h"

#include "canvas.h"
#include "io/imageio.h"
#include "mainwindow.h"
#include "maskdocument.h"
#include "toolsettings.h"
#include "tools/abstracttool.h"

#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <opencv2/imgproc.hpp>

using namespace mf;
using namespace mf::test;

class AnnotationTest : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> window(const QString& project) {
        auto w = std::make_unique<MainWindow>();
        w->setInteractive(false);
        w->resize(1200, 800);
        w->show();
        if (!project.isEmpty() && !w->openProject(project))
            return nullptr;
        w->canvas()->fitToWindow();
        return w;
    }
    static AbstractTool* tool(MainWindow& w, const QString& name) {
        for (AbstractTool* t : w.tools())
            if (t->name() == name)
                return t;
        return nullptr;
    }
    static bool markerShown(MainWindow& w) {
        return !w.findChild<QLabel*>("unsavedMarker")->text().isEmpty() && w.windowTitle().contains(" *");
    }
    static void fill(MainWindow& w, QPointF from, QPointF to, int classId) {
        w.activateTool(tool(w, "Rectangle fill"));
        w.toolSettings()->setActiveClass(classId);
        drag(w.canvas(), from, to);
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("MaskForgeTests");
    }

    void unsavedMarkerFollowsTheSavedState() {
        auto w = window(makeBlankProject(tempDir("marker"), 32));
        QVERIFY(w);
        QVERIFY(!markerShown(*w));
        fill(*w, {2, 2}, {10, 10}, 1);
        QVERIFY(markerShown(*w));
        w->document()->undo();  // back to the file on disk
        QVERIFY(!markerShown(*w));
        QVERIFY(!w->document()->isDirty());
        w->document()->redo();
        QVERIFY(markerShown(*w));
        QVERIFY(w->save());
        QVERIFY(!markerShown(*w));
        fill(*w, {12, 12}, {20, 20}, 2);
        QVERIFY(markerShown(*w));
        w->document()->undo();  // back to the saved state, which is one step after the load
        QVERIFY(!markerShown(*w));
        w->document()->undo();  // before the save: differs from disk again
        QVERIFY(markerShown(*w));
        w->document()->redo();
        QVERIFY(!markerShown(*w));
        // A new stroke after undoing past the save drops the saved state from reach for good.
        w->document()->undo();
        fill(*w, {20, 2}, {30, 8}, 3);
        w->document()->undo();
        QVERIFY(w->document()->isDirty());
        QVERIFY(markerShown(*w));
    }
};

QTEST_MAIN(AnnotationTest)
#include "test_annotation.moc"
