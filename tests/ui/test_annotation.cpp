// The annotation workflow around the canvas: unsaved marker, crash restore, review queue, class palette.
#include "tempsettings.h"
#include "uitesthelpers.h"

#include "reviewqueue/batchrefiner.h"
#include "canvas/canvas.h"
#include "dataset/classpalette.h"
#include "io/imageio.h"
#include "mainwindow/mainwindow.h"
#include "canvas/maskdocument.h"
#include "project/project.h"
#include "reviewqueue/reviewpanel.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "sample/samplegenerator.h"
#include "tools/toolsettings.h"
#include "tools/abstracttool.h"

#include <QApplication>
#include <QColorDialog>
#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <opencv2/imgproc.hpp>

using namespace mf;
using namespace mf::test;

class AnnotationTest : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> window(const QString& project) { return openWindow(project); }
    static AbstractTool* tool(MainWindow& w, const QString& name) { return findTool(w, name); }
    static bool markerShown(MainWindow& w) {
        return !w.findChild<QLabel*>("unsavedMarker")->text().isEmpty() && w.windowTitle().contains(" *");
    }
    static void fill(MainWindow& w, QPointF from, QPointF to, int classId) {
        w.activateTool(tool(w, "Rectangle fill"));
        w.toolSettings()->setActiveClass(classId);
        drag(w.canvas(), from, to);
    }

    /** Answers the modal dialog of type D that the next call opens: `answer` fills it in, then it is
     *  accepted. Posted before the call; it runs inside the dialog's own event loop. */
    template <class D, class F>
    static void answerNextDialog(F answer) {
        QTimer::singleShot(0, [answer] {
            for (QWidget* top : QApplication::topLevelWidgets())
                if (auto* d = qobject_cast<D*>(top); d && d->isVisible()) {
                    answer(d);
                    d->accept();
                    return;
                }
            qWarning("no dialog to answer");
        });
    }
    static QPushButton* button(QWidget* parent, const QString& text) {
        for (QPushButton* b : parent->findChildren<QPushButton*>())
            if (b->text() == text)
                return b;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase() {
        test::useTemporarySettings();
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

    void restoreOpensDirtyDocumentsAndLeavesMasksAloneUntilSaved() {
        const QString dir = tempDir("restore");
        makeSampleProject({dir.toStdString(), 3, 3, 64});
        const std::string mask1 = (dir + "/masks/pipe_0001.png").toStdString(), mask2 = (dir + "/masks/pipe_0002.png").toStdString();
        const cv::Mat disk1 = readMask(mask1, MaskEncoding::Index), disk2 = readMask(mask2, MaskEncoding::Index);
        const ImageStatus status1 = Project::load(dir.toStdString()).images()[1].status;
        cv::Mat edited1, edited2;
        {
            auto w = window(dir);
            QVERIFY(w->showImage(1));
            fill(*w, {2, 2}, {12, 12}, 3);
            edited1 = w->document()->mask().clone();
            w->document()->autosave();
            // A second image autosaved in the same crashed session.
            edited2 = disk2.clone();
            edited2(cv::Rect(40, 40, 10, 10)).setTo(4);
            writeMaskAtomic(QDir(w->document()->autosaveDir()).filePath("2_pipe_0002.png").toStdString(), edited2);
            QCOMPARE(w->document()->autosavedImages(), (QList<int>{1, 2}));
            w.release()->deleteLater();  // no close: as if the program died here
        }
        auto w = window(dir);
        QCOMPARE(w->document()->index(), 1);  // opens the first restored image, not the first image
        QVERIFY(w->document()->isDirty());
        QVERIFY(sameBytes(w->document()->mask(), edited1));
        QVERIFY(sameBytes(readMask(mask1, MaskEncoding::Index), disk1));  // masks/ untouched
        QVERIFY(w->project()->images()[1].status == status1);
        w->document()->undo();  // back to the mask on disk
        QVERIFY(sameBytes(w->document()->mask(), disk1));
        QVERIFY(!w->document()->isDirty());
        w->document()->redo();
        QCOMPARE(w->document()->pendingRestores(), QList<int>{2});
        QVERIFY(w->showImage(2));  // saves image 1 (policy Save), restores image 2
        QVERIFY(sameBytes(readMask(mask1, MaskEncoding::Index), edited1));
        QVERIFY(w->document()->isDirty());
        QVERIFY(sameBytes(w->document()->mask(), edited2));
        QVERIFY(sameBytes(readMask(mask2, MaskEncoding::Index), disk2));
        QVERIFY(w->save());
        QVERIFY(sameBytes(readMask(mask2, MaskEncoding::Index), edited2));
        QVERIFY(w->document()->autosavedImages().isEmpty());
    }

    void declinedRestoreDiscardsTheAutosaves() {
        const QString dir = makeBlankProject(tempDir("discard"), 32);
        auto w = window(dir);
        fill(*w, {2, 2}, {12, 12}, 3);
        w->document()->autosave();
        w->document()->undo();
        QCOMPARE(w->document()->autosavedImages().size(), 1);
        w->document()->discardAutosaved();
        QVERIFY(w->document()->autosavedImages().isEmpty());
    }

    void reviewQueueAcceptsAndRejectsBatchRefinements() {
        const QString dir = tempDir("review");
        makeUnlabelledSample(dir, 3);
        auto w = window(dir);
        QVERIFY(w->importBoxes(dir + "/boxes"));
        QSignalSpy finished(w->batchRefiner(), &BatchRefiner::finished);
        w->refineAllCoarse();
        QVERIFY(finished.wait(30000));
        ReviewQueueModel* queue = w->reviewQueue();
        QCOMPARE(queue->size(), 3);
        QVERIFY(queue->item(0).summary.contains("px changed"));
        QVERIFY(w->reviewPanel()->isVisible());
        const Project& p = *w->project();
        auto diskMask = [&](int row) { return readMask(p.absolute(p.images()[row].mask), MaskEncoding::Index); };
        auto coarseMask = [&](int row) { return readMask(p.absolute(p.images()[row].coarse), MaskEncoding::Index); };
        const int first = queue->item(0).row, second = queue->item(1).row, third = queue->item(2).row;

        // Selecting opens the proposal (an unsaved edit over the mask on disk) with the coarse one beside it.
        w->reviewPanel()->select(first);
        QCOMPARE(w->document()->index(), first);
        QVERIFY(w->canvas()->coarseView() == CoarseView::Beside);
        QVERIFY(w->document()->hasProposal());
        QVERIFY(sameBytes(diskMask(first), coarseMask(first)));
        QVERIFY(!sameBytes(w->document()->mask(), coarseMask(first)));
        // Edited with a tool, then accepted: saved with the edit, refined, next one open.
        fill(*w, {0, 0}, {6, 6}, 4);
        const cv::Mat edited = w->document()->mask().clone();
        auto* count = w->reviewPanel()->findChild<QLabel*>("reviewCount");
        QVERIFY(count);
        QVERIFY2(count->text().startsWith("3 image(s) to review"), qPrintable(count->text()));
        QVERIFY(w->reviewPanel()->accept());
        // Found by hand (4 Dec): the count stayed one too many after every accept or reject.
        QVERIFY2(count->text().startsWith("2 image(s) to review"), qPrintable(count->text()));
        QVERIFY(sameBytes(diskMask(first), edited));
        QVERIFY(p.images()[first].status == ImageStatus::Refined);
        QVERIFY(!queue->contains(first));
        QCOMPARE(w->document()->index(), second);
        // Rejected: the proposal is dropped, the coarse mask stays on disk, status coarse, next one open.
        QVERIFY(w->reviewPanel()->reject());
        QVERIFY(sameBytes(diskMask(second), coarseMask(second)));
        QVERIFY(p.images()[second].status == ImageStatus::Coarse);
        QVERIFY2(count->text().startsWith("1 image(s) to review"), qPrintable(count->text()));
        QCOMPARE(w->document()->index(), third);
        QVERIFY(!w->document()->isDirty() || w->document()->hasProposal());
        QCOMPARE(queue->rows(), QList<int>{third});
        QVERIFY(w->reviewPanel()->accept());
        QCOMPARE(queue->size(), 0);
        // The statuses reached the project file, not only memory.
        const Project reloaded = Project::load(dir.toStdString());
        QVERIFY(reloaded.images()[first].status == ImageStatus::Refined);
        QVERIFY(reloaded.images()[second].status == ImageStatus::Coarse);
    }

    void classPaletteButtonsChangeTheProjectClasses() {
        const QString dir = makeBlankProject(tempDir("palette"), 32);
        auto w = window(dir);
        ClassPalette* palette = w->classPalette();
        const int before = static_cast<int>(w->project()->classes().size());
        answerNextDialog<QInputDialog>([](QInputDialog* d) { d->setTextValue("  rust "); });
        button(palette, "Add")->click();
        const Project* p = w->project();
        QCOMPARE(static_cast<int>(p->classes().size()), before + 1);
        const int id = p->classes().back().id;
        QCOMPARE(p->classes().back().name, std::string("rust"));

        w->toolSettings()->setActiveClass(id);  // the palette follows the active class
        answerNextDialog<QInputDialog>([](QInputDialog* d) { d->setTextValue("dent"); });
        button(palette, "Rename")->click();
        QCOMPARE(p->findClass(id)->name, std::string("dent"));

        answerNextDialog<QColorDialog>([](QColorDialog* d) { d->setCurrentColor(QColor(10, 200, 30)); });
        button(palette, "Colour")->click();
        QVERIFY((p->findClass(id)->color == std::array<std::uint8_t, 3>{10, 200, 30}));
        // The canvas paints the class in its new colour.
        fill(*w, {0, 0}, {8, 8}, id);
        QCOMPARE(QColor(w->canvas()->overlayImage().pixel(4, 4)).green() > QColor(w->canvas()->overlayImage().pixel(4, 4)).red(), true);
        // All of it is in the project file.
        const Project reloaded = Project::load(dir.toStdString());
        QCOMPARE(reloaded.findClass(id)->name, std::string("dent"));
        QVERIFY((reloaded.findClass(id)->color == std::array<std::uint8_t, 3>{10, 200, 30}));
    }

    void failedClassSaveShowsAnErrorAndKeepsTheClasses() {
        const QString dir = makeBlankProject(tempDir("palettefail"), 32);
        auto w = window(dir);
        const std::vector<ClassInfo> before = w->project()->classes();
        QVERIFY(QDir(dir).removeRecursively());  // the project folder vanished: the save must fail
        QSignalSpy errors(w->classPalette(), &ClassPalette::errorOccurred);
        QCOMPARE(w->classPalette()->renameClass(1, "renamed"), false);
        QCOMPARE(w->classPalette()->addClass("extra"), -1);
        QCOMPARE(w->classPalette()->recolourClass(1, Qt::red), false);
        QCOMPARE(errors.size(), 3);
        QVERIFY(w->statusBar()->currentMessage().contains("Could not save the classes"));
        QCOMPARE(w->project()->classes().size(), before.size());
        QCOMPARE(w->project()->findClass(1)->name, before[1].name);
        QVERIFY(w->project()->findClass(1)->color == before[1].color);
    }
};

QTEST_MAIN(AnnotationTest)
#include "test_annotation.moc"
