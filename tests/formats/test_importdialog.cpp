#include "files/importdialog.h"
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "mainwindow/mainwindow.h"
#include "canvas/maskdocument.h"
#include "../ui/tempsettings.h"
#include "../ui/uitesthelpers.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QScreen>
#include <QLabel>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace fs = std::filesystem;
using namespace mf;
using namespace mf::test;

namespace {

/** Saves `w` as `name`.png under $MF_SCREENSHOT_DIR when it is set. */
void shoot(QWidget* w, const QString& name) {
    const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        w->grab().save(dir + "/" + name + ".png");
}

/** The project at `dir` on disk agrees with its files: each file an entry names exists, and every file in
 *  coarse/, masks/ and boxes/ is named by an entry (an import stopped part-way leaves nothing half-done). */
void expectProjectAgreesWithItsFiles(const QString& dir) {
    const Project p = Project::load(dir.toStdString());
    std::set<std::string> named;
    for (const ImageEntry& e : p.images())
        for (const std::string* f : {&e.image, &e.mask, &e.coarse, &e.boxes})
            if (!f->empty()) {
                QVERIFY2(fs::exists(p.absolute(*f)), f->c_str());
                named.insert(fs::path(*f).lexically_normal().generic_string());
            }
    for (const char* folder : {"coarse", "masks", "boxes"}) {
        const fs::path d = fs::path(dir.toStdString()) / folder;
        if (!fs::exists(d))
            continue;
        for (const auto& f : fs::directory_iterator(d))
            QVERIFY2(named.count(std::string(folder) + "/" + f.path().filename().string()), f.path().c_str());
    }
}

/** The sample with boxes only: no mask, no coarse mask, on disk or in its entries. */
void makeBoxesOnlySample(const QString& dir, int count) {
    makeUnlabelledSample(dir, count);
    fs::remove_all((dir + "/coarse").toStdString());
    fs::remove_all((dir + "/masks").toStdString());
    Project p = Project::load(dir.toStdString());
    for (ImageEntry& e : p.images())
        e.coarse.clear();
    p.save();
}

/** How many images of the project saved at `dir` have a coarse mask. */
int coarseCount(const QString& dir) {
    const Project p = Project::load(dir.toStdString());
    return static_cast<int>(std::count_if(p.images().begin(), p.images().end(), [](const ImageEntry& e) { return !e.coarse.empty(); }));
}

/** A YOLO import of `dir`/boxes into the open project of `w`. */
formats::ImportRequest boxesOf(const QString& dir) {
    formats::ImportRequest r;
    r.format = formats::Format::Yolo;
    r.input = (dir + "/boxes").toStdString();
    return r;
}

/** Imports dir/boxes into `w`'s open project and calls `interrupt` from an event-loop timer once the
 *  import has imported an image; false when no event reached the window while the import ran. */
bool importInterruptedBy(MainWindow& w, const QString& dir, const std::function<void()>& interrupt) {
    bool called = false;
    QTimer timer;
    timer.setInterval(0);
    QObject::connect(&timer, &QTimer::timeout, [&] {
        QProgressDialog* busy = w.formatJob()->progressDialog();
        if (!called && busy && busy->value() >= 1) {
            called = true;
            interrupt();
        }
    });
    timer.start();
    w.importAnnotations(boxesOf(dir));
    timer.stop();
    return called;
}

/** Every file under `dir` with its bytes. */
std::map<std::string, std::string> snapshot(const QString& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir.toStdString()))
        if (e.is_regular_file())
            files[e.path().string()] = readFileBytes(e.path().string());
    return files;
}

} // namespace

class ImportDialogTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The window's layout and recent projects go to a folder of the test's own, not the user's settings.
    void initTestCase() { mf::test::useTemporarySettings(); }
    void previewIsADryRun() {
        const QString dir = tempDir("preview");
        makeUnlabelledSample(dir, 4);
        const Project project = Project::load(dir.toStdString());
        const auto before = snapshot(dir);
        ImportDialog dialog(&project);
        dialog.setInput(2, dir + "/boxes");  // YOLO
        dialog.show();
        const formats::ImportReport report = dialog.preview();
        QCOMPARE(report.images, 4);
        QVERIFY(report.boxes > 0);
        QVERIFY(snapshot(dir) == before);  // nothing written, nothing changed
        QVERIFY(dialog.findChildren<QLabel*>().size() > 3);
        shoot(&dialog, "import-dialog");
    }

    // Issue 8, defect 3: the import's message was overwritten at once by the tool hint.
    void importIntoTheOpenProjectSavesAfterTheMasksAndKeepsItsMessage() {
        const QString dir = tempDir("import");
        makeUnlabelledSample(dir, 4);
        fs::remove_all((dir + "/coarse").toStdString());
        fs::remove_all((dir + "/masks").toStdString());
        auto w = openWindow(dir);
        QVERIFY(w);
        formats::ImportRequest r;
        r.format = formats::Format::Yolo;
        r.input = (dir + "/boxes").toStdString();
        QVERIFY(w->importAnnotations(r));
        QVERIFY(w->statusBar()->currentMessage().startsWith("Imported 4 image(s)"));
        const Project saved = Project::load(dir.toStdString());
        for (const ImageEntry& e : saved.images()) {
            QVERIFY(fs::exists(saved.absolute(e.coarse)));
            QVERIFY(fs::exists(saved.absolute(e.mask)));
        }
    }

    // Issue 20, item 2: the dialog ran the import that replaced reviewed masks without asking. Its preview
    // names the target project, lists each problem, and offers keep / replace / merge per image.
    void previewOffersAChoicePerReviewedMask() {
        const QString dir = tempDir("conflicts");
        makeUnlabelledSample(dir, 2);
        Project project = Project::load(dir.toStdString());
        // A reviewed mask on the first image, and a labelme file that would empty it.
        ImageEntry& e = project.images()[0];
        cv::Mat mask = cv::Mat::zeros(readImageRgb(project.absolute(e.image)).size(), CV_8UC1);
        mask(cv::Rect(2, 2, 9, 9)).setTo(1);
        e.mask = "masks/reviewed.png";
        e.status = ImageStatus::Reviewed;
        writeMaskAtomic(project.absolute(e.mask), mask);
        project.save();
        fs::create_directories((dir + "/lm").toStdString());
        writeFileAtomic((dir + "/lm/a.json").toStdString(),
                        R"({"shapes":[{"label":"crack","points":[[20,20],[30,30]],"shape_type":"rectangle"}],"imagePath":"../)" +
                            e.image + R"("})");
        writeFileAtomic((dir + "/lm/b.json").toStdString(), R"({"shapes":[],"imagePath":"nowhere.png"})");
        ImportDialog dialog(&project);
        QVERIFY(dialog.targetText().contains(QString::fromStdString(project.root())));
        dialog.setInput(0, dir + "/lm");  // labelme
        dialog.show();
        const formats::ImportReport report = dialog.preview();
        QCOMPARE(report.conflicts.size(), std::size_t(1));
        QCOMPARE(report.conflicts[0].image, e.image);
        QVERIFY(dialog.problemsText().contains("nowhere.png"));
        QCOMPARE(dialog.request().perImage.size(), std::size_t(1));
        QVERIFY(dialog.request().perImage.at(e.image) == formats::OnExisting::Keep);
        QCOMPARE(report.conflicts[0].changedPixels, 81 + 121);  // replace: the square goes, the rectangle comes
        dialog.setChoice(e.image, formats::OnExisting::Merge);
        QVERIFY(dialog.request().perImage.at(e.image) == formats::OnExisting::Merge);
        // The Preview button's dry run runs off the GUI thread; the choice survives it.
        QSignalSpy finished(&dialog, &ImportDialog::previewFinished);
        dialog.previewInBackground();
        QVERIFY(finished.wait(60000));
        QVERIFY(dialog.request().perImage.at(e.image) == formats::OnExisting::Merge);
        QVERIFY(dialog.problemsText().contains("nowhere.png"));
        shoot(&dialog, "import-dialog-conflicts");
    }

    // Issue 21, item 8: import ran on the GUI thread (nothing repainted, no timer fired until it ended).
    // Now it runs on a worker with a progress dialog; an event-loop timer keeps firing meanwhile.
    void importLeavesTheGuiThreadFree() {
        const QString dir = tempDir("async-import");
        makeBoxesOnlySample(dir, 80);
        auto w = openWindow(dir);
        QVERIFY(w);
        int ticks = 0;
        bool busyShown = false;
        QTimer timer;
        timer.setInterval(0);
        connect(&timer, &QTimer::timeout, [&] {
            ++ticks;
            busyShown = busyShown || (w->formatJob()->running() && w->formatJob()->progressDialog());
        });
        timer.start();
        QVERIFY(w->importAnnotations(boxesOf(dir)));
        timer.stop();
        QVERIFY2(ticks > 0, "the GUI thread handled no event while the import ran");
        QVERIFY(busyShown);
        QVERIFY(!w->formatJob()->running());
        QVERIFY(w->statusBar()->currentMessage().startsWith("Imported 80 image(s)"));
        expectProjectAgreesWithItsFiles(dir);
        QCOMPARE(static_cast<int>(Project::load(dir.toStdString()).images().size()), 80);
    }

    // Opening another project while an import runs stops the import after its current image: the first
    // project is saved with exactly the images imported, the other one opens, nothing is half-written.
    void switchingProjectsMidImportLeavesNothingHalfWritten() {
        const QString dir = tempDir("switch-import"), other = tempDir("switch-other");
        makeBoxesOnlySample(dir, 120);
        makeUnlabelledSample(other, 2);
        auto w = openWindow(dir);
        QVERIFY(w);
        bool opened = false;
        const bool switched = importInterruptedBy(*w, dir, [&] { opened = w->openProject(other); });
        QVERIFY(opened);
        QVERIFY2(switched, "no event reached the window while the import ran");
        QCOMPARE(QString::fromStdString(w->project()->root()), QFileInfo(other).absoluteFilePath());
        expectProjectAgreesWithItsFiles(dir);
        const int coarse = coarseCount(dir);
        QVERIFY2(coarse >= 1 && coarse < 120, qPrintable(QString::number(coarse)));  // stopped part-way, saved
        QCOMPARE(static_cast<int>(Project::load(other.toStdString()).images().size()), 2);
    }

    // The progress dialog's Stop: the import ends after its current image, says so, and is saved whole.
    void stopEndsTheImportAfterItsImage() {
        const QString dir = tempDir("stop-import");
        makeBoxesOnlySample(dir, 120);
        auto w = openWindow(dir);
        QVERIFY(w);
        bool clicked = false;
        QVERIFY(importInterruptedBy(*w, dir, [&] {
            if (auto* stop = w->formatJob()->progressDialog()->findChild<QPushButton*>()) {
                QCOMPARE(stop->text(), QString("Stop"));
                stop->click();
                clicked = true;
            }
        }));
        QVERIFY(clicked);
        QVERIFY(!w->formatJob()->running());
        QVERIFY2(w->statusBar()->currentMessage().contains("stopped before the end"), qPrintable(w->statusBar()->currentMessage()));
        expectProjectAgreesWithItsFiles(dir);
        const int coarse = coarseCount(dir);
        QVERIFY2(coarse >= 1 && coarse < 120, qPrintable(QString::number(coarse)));
        // The window's project is the saved one.
        QCOMPARE(static_cast<int>(std::count_if(w->project()->images().begin(), w->project()->images().end(),
                                                [](const ImageEntry& e) { return !e.coarse.empty(); })),
                 coarse);
    }

    // Closing the window mid-import: the same.
    void closingMidImportLeavesNothingHalfWritten() {
        const QString dir = tempDir("close-import");
        makeBoxesOnlySample(dir, 120);
        auto w = openWindow(dir);
        QVERIFY(w);
        bool closed = false;
        QVERIFY(importInterruptedBy(*w, dir, [&] { closed = w->close(); }));
        QVERIFY(closed);
        QVERIFY(!w->formatJob()->running());
        expectProjectAgreesWithItsFiles(dir);
        const int coarse = coarseCount(dir);
        QVERIFY2(coarse >= 1 && coarse < 120, qPrintable(QString::number(coarse)));
    }

    // Export runs off the GUI thread too, and says what the format cannot carry (with --strict: refuses).
    void exportLeavesTheGuiThreadFreeAndSaysWhatItCannotCarry() {
        const QString dir = coarseProject("async-export", 6);
        QVERIFY(!dir.isEmpty());
        // One mask made a segmentation with an ignore band: COCO cannot carry the band.
        {
            Project p = Project::load(dir.toStdString());
            ImageEntry& e = p.images()[0];
            cv::Mat m = readMask(p.absolute(e.mask), p.maskEncoding());
            m.row(0).setTo(255);
            e.mask = "masks/seg0.png";
            e.status = ImageStatus::Reviewed;
            fs::create_directories(fs::path(p.absolute(e.mask)).parent_path());
            writeMaskAtomic(p.absolute(e.mask), m);
            p.save();
        }
        auto w = openWindow(dir);
        QVERIFY(w);
        formats::ExportRequest r;
        r.format = formats::Format::Coco;
        r.outDir = (tempDir("async-export-out") + "/coco").toStdString();
        r.strict = true;
        QVERIFY(!w->exportAnnotations(r));
        QVERIFY(!fs::exists(r.outDir));
        int ticks = 0;
        QTimer timer;
        timer.setInterval(0);
        connect(&timer, &QTimer::timeout, [&] { ++ticks; });
        timer.start();
        r.strict = false;
        QVERIFY(w->exportAnnotations(r));
        timer.stop();
        QVERIFY(ticks > 0);
        QVERIFY(fs::exists(r.outDir + "/annotations.json"));
        QVERIFY2(w->statusBar()->currentMessage().contains("could not carry"), qPrintable(w->statusBar()->currentMessage()));
        QVERIFY(w->statusBar()->currentMessage().contains("coarse box fill"));
    }

    // Only a screenshot (under Xvfb, MF_SCREENSHOT_DIR set): the window during a long import, with its
    // progress dialog, as the screen shows it.
    void importProgressScreenshot() {
        const QString shots = qEnvironmentVariable("MF_SCREENSHOT_DIR");
        if (shots.isEmpty() || QGuiApplication::platformName() == "offscreen")
            QSKIP("only makes a screenshot (set MF_SCREENSHOT_DIR, run under a display)");
        const QString dir = tempDir("busy-shot");
        makeBoxesOnlySample(dir, 400);
        auto w = openWindow(dir);
        QVERIFY(w);
        QElapsedTimer seen;
        bool shot = false;
        QTimer timer;
        timer.setInterval(20);
        connect(&timer, &QTimer::timeout, [&] {
            QProgressDialog* busy = w->formatJob()->progressDialog();
            if (!busy || !busy->isVisible() || shot)
                return;
            if (!seen.isValid())
                seen.start();
            else if (seen.elapsed() > 300) {
                shot = true;
                QGuiApplication::primaryScreen()->grabWindow(0).save(shots + "/import-busy.png");
            }
        });
        timer.start();
        QVERIFY(w->importAnnotations(boxesOf(dir)));
        QVERIFY(shot);
    }

    // Issue 20: unsaved edits in the GUI are a person's work too. An import saves them first and then
    // keeps them unless asked (replace), like any refined mask.
    void unsavedEditsAreKeptUnlessAsked() {
        const QString dir = tempDir("unsaved-edits");
        makeBoxesOnlySample(dir, 2);
        auto w = openWindow(dir);
        QVERIFY(w);
        QCOMPARE(w->document()->index(), 0);
        w->document()->fillRect(QRect(2, 2, 9, 9), 1);
        QVERIFY(w->document()->isDirty());
        const ImageEntry first = w->project()->images()[0];
        fs::create_directories((dir + "/lm").toStdString());
        writeFileAtomic((dir + "/lm/a.json").toStdString(),
                        R"({"shapes":[{"label":"crack","points":[[40,40],[50,50]],"shape_type":"rectangle"}],"imagePath":"../)" +
                            first.image + R"("})");
        formats::ImportRequest r;
        r.format = formats::Format::Labelme;
        r.input = (dir + "/lm").toStdString();
        w->importAnnotations(r);
        const Project kept = Project::load(dir.toStdString());
        const cv::Mat mask = readMask(kept.absolute(kept.images()[0].mask), kept.maskEncoding());
        QCOMPARE(cv::countNonZero(mask == 1), 81);  // the edit, saved; the rectangle not applied
        // A mask kept is the import keeping the person's work, not a problem (the status bar said "1 problem(s)";
        // a re-import of magnetic-tile's boxes said "30 problem(s)" for its 30 reviewed images).
        QVERIFY2(w->statusBar()->currentMessage().contains("1 refined or reviewed mask(s) kept as they are"),
                 qPrintable(w->statusBar()->currentMessage()));
        QVERIFY2(w->statusBar()->currentMessage().endsWith("; 0 problem(s)"), qPrintable(w->statusBar()->currentMessage()));
        r.onExisting = formats::OnExisting::Replace;
        QVERIFY(w->importAnnotations(r));
        const Project replaced = Project::load(dir.toStdString());
        const cv::Mat after = readMask(replaced.absolute(replaced.images()[0].mask), replaced.maskEncoding());
        QCOMPARE(cv::countNonZero(after(cv::Rect(2, 2, 9, 9)) == 1), 0);
        QCOMPARE(cv::countNonZero(after == 1), 121);
    }

    // Issue 20's --images DIR in the GUI too: a COCO file whose images lie elsewhere is found through the
    // dialog's Images field (the preview said "not found" without it).
    void imagesFolderFieldIsTheCliImagesOption() {
        const QString dir = tempDir("images-field");
        makeUnlabelledSample(dir, 1);
        const Project project = Project::load(dir.toStdString());
        fs::create_directories((dir + "/ann").toStdString());
        fs::create_directories((dir + "/pics").toStdString());
        writeImageAtomic((dir + "/pics/b.png").toStdString(), cv::Mat(30, 40, CV_8UC3, cv::Scalar(5, 6, 7)));
        writeFileAtomic((dir + "/ann/coco.json").toStdString(),
                        R"({"images":[{"id":1,"file_name":"b.png","width":40,"height":30}],"categories":[{"id":1,"name":"crack"}],
                            "annotations":[{"id":1,"image_id":1,"category_id":1,"bbox":[2,2,5,5]}]})");
        ImportDialog dialog(&project);
        dialog.setInput(1, dir + "/ann/coco.json");  // COCO
        QCOMPARE(dialog.preview().images, 0);
        QVERIFY(dialog.problemsText().contains("not found"));
        dialog.setInput(1, dir + "/ann/coco.json", dir + "/pics");
        QCOMPARE(dialog.request().imagesDir, (dir + "/pics").toStdString());
        QCOMPARE(dialog.preview().images, 1);
    }

    void exportDialogOffersStrictCoarseAndOverwrite() {
        ExportDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const formats::ExportRequest r = dialog.request();
        QVERIFY(!r.strict && !r.includeCoarse && !r.overwrite);
        shoot(&dialog, "export-dialog");
    }

    void resultDialogListsProblems() {
        if (qEnvironmentVariable("MF_SCREENSHOT_DIR").isEmpty())
            QSKIP("only makes a screenshot (set MF_SCREENSHOT_DIR)");
        QTimer::singleShot(300, [] {
            if (QWidget* modal = QApplication::activeModalWidget()) {
                shoot(modal, "import-result");
                modal->close();
            }
        });
        showImportResult(nullptr, "Import", "Imported 118 image(s), 258 shape(s) (258 boxes as coarse masks) from 120 file(s); 3 problem(s)",
                         {"crazing", "inclusion"},
                         {{"annotations/patches_7.xml", "<object> 2 (patches) skipped: <xmin> is not a number"},
                          {"labels/a.txt", "line 3: class 7 is not in classes.txt (6 names), skipped"},
                          {"coco.json", "image \"JPEGImages/x.jpg\" not found (in the project, beside the annotation, or in images/)"}});
    }
};

QTEST_MAIN(ImportDialogTest)
#include "test_importdialog.moc"
