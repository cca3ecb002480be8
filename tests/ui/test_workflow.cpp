// The workflow states and data safety around them: the one review queue (GrabCut batch and model
// proposals), a batch meeting a project switch or a closing window, proposals never written behind the
// open document, status rules and the status menu, errors in slots, and what the docks show after a
// project switch.
#include "tempsettings.h"
#include "uitesthelpers.h"

#include "reviewqueue/batchrefiner.h"
#include "canvas/canvas.h"
#include "dataset/datasetmodel.h"
#include "dataset/datasetpanel.h"
#include "io/imageio.h"
#include "mainwindow/mainwindow.h"
#include "canvas/maskdocument.h"
#include "predict/predictpanel.h"
#include "project/project.h"
#include "review/reviewqueue.h"
#include "sample/samplegenerator.h"
#include "reviewqueue/reviewpanel.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "runs/runspanel.h"
#include "tools/toolsettings.h"
#include "tools/abstracttool.h"
#include "training/studio.h"
#include "training/trainingpanel.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTest>

#include <filesystem>

using namespace mf;
using namespace mf::test;

class WorkflowTest : public QObject {
    Q_OBJECT
private:
    static void fill(MainWindow& w, QPointF from, QPointF to, int classId) {
        w.activateTool(findTool(w, "Rectangle fill"));
        w.toolSettings()->setActiveClass(classId);
        drag(w.canvas(), from, to);
    }
    static void runBatch(MainWindow& w) {
        QSignalSpy finished(w.batchRefiner(), &BatchRefiner::finished);
        w.refineAllCoarse();
        QVERIFY(finished.wait(60000));
    }
    static cv::Mat diskMask(const Project& p, int row) { return readMask(p.absolute(p.images()[row].mask), MaskEncoding::Index); }
    static cv::Mat coarseMask(const Project& p, int row) { return readMask(p.absolute(p.images()[row].coarse), MaskEncoding::Index); }
    /** What a closed project looks like on disk: statuses still coarse, masks still the coarse ones, and
     *  a review queue whose every entry has its candidate. */
    static void checkUntouched(const QString& dir) {
        const Project p = Project::load(dir.toStdString());
        for (std::size_t row = 0; row < p.images().size(); ++row) {
            QVERIFY(p.images()[row].status == ImageStatus::Coarse);
            QVERIFY(sameBytes(diskMask(p, int(row)), coarseMask(p, int(row))));
        }
        const ReviewQueue q = ReviewQueue::load(dir.toStdString());
        for (const ReviewEntry& e : q.entries()) {
            QCOMPARE(QString::fromStdString(e.origin), QString("GrabCut"));
            QVERIFY(std::filesystem::is_regular_file(p.absolute(e.candidate)));
        }
    }

private Q_SLOTS:
    void initTestCase() {
        mf::test::useTemporarySettings();
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("MaskForgeTests");
    }

    // Defect 5: the batch meets "open another project" while its jobs run.
    void batchThenOpenAnotherProjectLeavesBothIntact() {
        const QString a = coarseProject("switch_a", 6), b = coarseProject("switch_b", 2);
        auto w = openWindow(a);
        QSignalSpy finished(w->batchRefiner(), &BatchRefiner::finished);
        w->refineAllCoarse();
        QVERIFY(w->batchRefiner()->isRunning());
        QVERIFY(w->openProject(b));
        QCOMPARE(finished.size(), 1);              // stopped before the switch, not after
        QVERIFY(!w->batchRefiner()->isRunning());
        QTest::qWait(200);                           // anything still queued would arrive now
        QCOMPARE(w->reviewQueue()->size(), 0);       // nothing of A in B's queue
        QVERIFY(!QFile::exists(b + "/review.json"));
        checkUntouched(a);
        checkUntouched(b);
    }

    // Defect 5: ... and the window closing, or being destroyed, while they run.
    void batchThenCloseOrDestroyTheWindow() {
        const QString a = coarseProject("close_a", 6);
        auto w = openWindow(a);
        w->refineAllCoarse();
        QVERIFY(w->batchRefiner()->isRunning());
        QVERIFY(w->close());
        QVERIFY(!w->batchRefiner()->isRunning());
        w.reset();
        checkUntouched(a);
        auto w2 = openWindow(a);
        w2->refineAllCoarse();
        w2.reset();  // no close event: the jobs still own their copy of the project
        QTest::qWait(100);
        checkUntouched(a);
    }

    // Issue 9: one queue, persisted: it survives a restart with its origins.
    void reviewQueueSurvivesARestart() {
        const QString a = coarseProject("restart", 3);
        {
            auto w = openWindow(a);
            runBatch(*w);
            QCOMPARE(w->reviewQueue()->size(), 3);
            QVERIFY(w->project()->images()[1].status == ImageStatus::Coarse);  // a proposal changes nothing yet
        }
        auto w = openWindow(a);
        QCOMPARE(w->reviewQueue()->size(), 3);
        QCOMPARE(w->reviewQueue()->item(0).reason, QString("GrabCut"));
        QVERIFY(w->reviewQueue()->item(0).summary.contains("px changed"));
        // A model proposal joins the same queue beside the GrabCut ones.
        const Project& p = *w->project();
        cv::Mat proposal = coarseMask(p, 2);
        proposal(cv::Rect(0, 0, 5, 5)).setTo(3);
        QVERIFY(w->queueProposal(writeProposal(p.root(), p.images()[2].image, "unet-run", proposal, coarseMask(p, 2))));
        QCOMPARE(w->reviewQueue()->size(), 3);
        QCOMPARE(w->reviewQueue()->entry(2)->origin, std::string("unet-run"));
        // Accepting it through the panel writes exactly the proposal.
        w->reviewPanel()->select(2);
        QVERIFY(w->document()->hasProposal());
        QVERIFY(w->reviewPanel()->accept());
        QVERIFY(sameBytes(diskMask(p, 2), proposal));
        QVERIFY(p.images()[2].status == ImageStatus::Refined);
        QCOMPARE(ReviewQueue::load(a.toStdString()).size(), 2);
    }

    // Defect 11: a proposal for the image open with unsaved edits never overwrites them.
    void batchResultForTheOpenEditedImageKeepsTheEdits() {
        const QString a = coarseProject("owner", 1);  // one image: rejecting leaves it open
        auto w = openWindow(a);
        QVERIFY(w->showImage(0));
        fill(*w, {1, 1}, {9, 9}, 2);
        const cv::Mat edited = w->document()->mask().clone();
        QVERIFY(w->document()->isDirty());
        runBatch(*w);
        QVERIFY(w->reviewQueue()->contains(0));
        QVERIFY(w->document()->isDirty());
        QVERIFY(sameBytes(w->document()->mask(), edited));
        const Project& p = *w->project();
        QVERIFY(sameBytes(diskMask(p, 0), coarseMask(p, 0)));  // nothing written behind the document
        // Looking at the proposal puts it over the edits as one undo step; rejecting it brings them back.
        w->reviewPanel()->select(0);
        QVERIFY(w->document()->hasProposal());
        QVERIFY(!sameBytes(w->document()->mask(), edited));
        QVERIFY(w->reviewPanel()->reject());
        QVERIFY(sameBytes(w->document()->mask(), edited));
        QVERIFY(w->document()->isDirty());
        QVERIFY(p.images()[0].status == ImageStatus::Coarse);
        QVERIFY(w->save());
        QVERIFY(sameBytes(diskMask(p, 0), edited));
        QVERIFY(p.images()[0].status == ImageStatus::Refined);
    }

    // A proposal only looked at stays queued when another image is opened; nothing is written.
    void lookingAtAProposalDoesNotAcceptIt() {
        const QString a = coarseProject("look", 2);
        auto w = openWindow(a);
        runBatch(*w);
        w->reviewPanel()->select(0);
        QVERIFY(w->document()->hasProposal());
        QVERIFY(w->showImage(1));
        const Project& p = *w->project();
        QVERIFY(sameBytes(diskMask(p, 0), coarseMask(p, 0)));
        QVERIFY(p.images()[0].status == ImageStatus::Coarse);
        QVERIFY(w->reviewQueue()->contains(0));
    }

    // Issue 9 status rules through the GUI: edits to a reviewed image make it refined again; going back
    // to the coarse mask makes it coarse; the menu sets any status, open image or not.
    void statusRulesAndTheStatusMenu() {
        const QString a = coarseProject("status", 3);
        auto w = openWindow(a);
        const Project& p = *w->project();
        QVERIFY(w->showImage(0));
        w->document()->setStatus(ImageStatus::Reviewed);
        fill(*w, {1, 1}, {5, 5}, 1);
        QVERIFY(w->save());
        QVERIFY(p.images()[0].status == ImageStatus::Refined);
        QVERIFY(w->document()->revertToCoarse());
        QVERIFY(w->save());
        QVERIFY(p.images()[0].status == ImageStatus::Coarse);

        for (int row : {0, 2}) {  // the open image and another one
            QMenu* menu = w->datasetPanel()->statusMenu(row);
            QAction* reviewed = nullptr;
            for (QAction* act : menu->actions())
                if (act->text() == "reviewed")
                    reviewed = act;
            QVERIFY(reviewed);
            QVERIFY(!reviewed->isChecked());
            reviewed->trigger();
            delete menu;
            QVERIFY(p.images()[row].status == ImageStatus::Reviewed);
            QVERIFY(Project::load(a.toStdString()).images()[row].status == ImageStatus::Reviewed);
            QCOMPARE(w->datasetPanel()->model()->index(row).data(DatasetModel::StatusRole).toInt(), int(ImageStatus::Reviewed));
        }
    }

    // Defect 10: "Mark reviewed and go to next" when the project file cannot be written shows the error.
    void markReviewedWithAnUnwritableProjectFileShowsTheError() {
        const QString a = coarseProject("unwritable", 2);
        auto w = openWindow(a);
        QVERIFY(w->showImage(0));
        // A folder where maskforge.json was: no save can replace it, whoever runs the test.
        QVERIFY(QFile::remove(a + "/maskforge.json"));
        QVERIFY(QDir(a).mkpath("maskforge.json/blocked"));
        QAction* mark = nullptr;
        for (QAction* act : w->findChildren<QAction*>())
            if (act->text() == "Mark reviewed and go to next")
                mark = act;
        QVERIFY(mark);
        mark->trigger();  // used to end in std::terminate
        QVERIFY(w->project()->images()[0].status != ImageStatus::Reviewed);
        QVERIFY(!w->statusBar()->currentMessage().isEmpty());
        // The status menu too.
        QVERIFY(!w->setImageStatus(1, ImageStatus::Reviewed));
        QVERIFY(w->project()->images()[1].status == ImageStatus::Coarse);
    }

    // Defect 12: a corrupt image (or a mask of another size) is flagged when the project opens, from the
    // headers alone, before anyone clicks it.
    void unreadableFilesAreFlaggedAtOpen() {
        const QString dir = tempDir("corrupt");
        makeSampleProject({dir.toStdString(), 5, 3, 64});
        const Project p = Project::load(dir.toStdString());
        QFile text(QString::fromStdString(p.absolute(p.images()[1].image)));
        QVERIFY(text.open(QIODevice::WriteOnly | QIODevice::Truncate));
        text.write("this is not a PNG");
        text.close();
        writeMaskAtomic(p.absolute(p.images()[2].mask), cv::Mat::zeros(10, 10, CV_8U));
        auto w = std::make_unique<MainWindow>();
        w->setInteractive(false);
        QSignalSpy checked(w->datasetPanel()->model(), &DatasetModel::headersChecked);
        QVERIFY(w->openProject(dir));
        QVERIFY(checked.size() == 1 || checked.wait(10000));
        QCOMPARE(checked.first().at(0).toInt(), 2);
        DatasetModel* m = w->datasetPanel()->model();
        QVERIFY(m->problem(0).isEmpty());
        QVERIFY2(m->problem(1).contains("pipe_0001.png") && m->problem(1).contains("not a PNG or JPEG"), qPrintable(m->problem(1)));
        QVERIFY2(m->problem(2).contains("10x10"), qPrintable(m->problem(2)));
        QVERIFY(m->index(1).data(Qt::DisplayRole).toString().startsWith(QString::fromUtf8("\u26A0")));
        QVERIFY(m->index(1).data(Qt::ToolTipRole).toString().contains("not a PNG or JPEG"));
        QVERIFY(w->statusBar()->currentMessage().contains("cannot be used"));
    }

    // Issue 9: clicking a half-visible row selects that row, not the next.
    void clickingAHalfVisibleRowSelectsIt() {
        const QString dir = tempDir("halfrow");
        makeUnlabelledSample(dir, 12);
        auto w = openWindow(dir);
        QListView* view = w->datasetPanel()->view();
        view->verticalScrollBar()->setValue(0);
        QApplication::processEvents();
        // The first row whose bottom is below the viewport while its top is inside.
        int half = -1;
        for (int r = 0; r < view->model()->rowCount() && half < 0; ++r) {
            const QRect rect = view->visualRect(view->model()->index(r, 0));
            if (rect.top() < view->viewport()->height() && rect.bottom() >= view->viewport()->height())
                half = r;
        }
        QVERIFY2(half > 0, "no half-visible row at this size");
        const QRect rect = view->visualRect(view->model()->index(half, 0));
        const QPoint at(rect.center().x(), (rect.top() + view->viewport()->height()) / 2);
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseMove(view->viewport(), at + QPoint(0, 1));
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, at + QPoint(0, 1));
        QCOMPARE(w->document()->index(), half);
        QCOMPARE(view->currentIndex().row(), half);
        // And then it is scrolled into view.
        QVERIFY(view->viewport()->rect().contains(view->visualRect(view->currentIndex())));
    }

    // Defect 9: the run being trained cannot be renamed or deleted.
    void theActiveRunCannotBeRenamedOrDeleted() {
        const QString runs = tempDir("runs");
        for (const char* name : {"a", "b"}) {
            QDir(runs).mkpath(name);
            QFile f(QDir(runs).filePath(QString(name) + "/config.yaml"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("data: /nowhere\narch: unet\nepochs: 1\n");
        }
        RunsPanel panel;
        panel.setInteractive(false);
        panel.setRunsDir(runs);
        QCOMPARE(panel.table()->rowCount(), 2);
        const QString a = QDir(runs).filePath("a"), b = QDir(runs).filePath("b");
        panel.setActiveRun(a);
        auto* rename = panel.findChild<QPushButton*>("renameRun");
        auto* remove = panel.findChild<QPushButton*>("deleteRun");
        panel.selectRun(a);
        QVERIFY(!rename->isEnabled() && !remove->isEnabled());
        QVERIFY(!panel.renameRun(a, "a2"));
        QVERIFY(!panel.deleteRun(a, false));
        QVERIFY(QFile::exists(a + "/config.yaml"));
        panel.table()->clearSelection();
        panel.selectRun(b);
        QVERIFY(rename->isEnabled() && remove->isEnabled());
        panel.setActiveRun({});
        panel.selectRun(a);
        QVERIFY(rename->isEnabled());
        QVERIFY(panel.deleteRun(a, false));
    }

    // Issue 9: another project clears the Training and Predictions docks of the previous one.
    void anotherProjectResetsTheStudioDocks() {
        const QString a = coarseProject("docks_a", 2), b = coarseProject("docks_b", 2);
        auto w = openWindow(a);
        auto* studio = new Studio(w.get());
        studio->setInteractive(false);
        auto* log = studio->trainingPanel()->findChild<QPlainTextEdit*>();
        log->appendPlainText("a message of project A");
        studio->predictPanel()->refineCoarse();  // no run: says so in the panel
        auto* status = studio->predictPanel()->findChild<QLabel*>("predictStatus");
        QVERIFY(status);
        QVERIFY2(status->text().contains("No trained run yet"), qPrintable(status->text()));
        QVERIFY(w->openProject(b));
        QVERIFY(log->toPlainText().isEmpty());
        QVERIFY(status->text().isEmpty());
        QVERIFY(studio->trainingPanel()->currentRunDir().isEmpty());
    }
};

QTEST_MAIN(WorkflowTest)
#include "test_workflow.moc"
