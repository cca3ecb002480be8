// The live classifier mode (issue 19, part 1), driven as a person would: strokes on the canvas, a
// proposal that follows them off the GUI thread, accepts as one undo step each, and the unhappy order
// of events: a stroke during an update, switching images and closing the project mid-update.
#include "tempsettings.h"
#include "uitesthelpers.h"

#include "canvas/canvas.h"
#include "io/imageio.h"
#include "mainwindow/mainwindow.h"
#include "canvas/maskdocument.h"
#include "review/strokestore.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "tools/toolsettings.h"
#include "tools/liveclassifiertool.h"

#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <opencv2/imgproc.hpp>

using namespace mf;
using namespace mf::test;

namespace {

/** Three classes: noisy grey background (0), bright discs (1), checkerboard patches (2) of the
 *  background's mean; the same layout in every image, other noise. */
cv::Mat sceneTruth() {
    cv::Mat t(200, 240, CV_8UC1, cv::Scalar(0));
    cv::circle(t, {50, 50}, 22, 1, cv::FILLED);
    cv::circle(t, {180, 140}, 26, 1, cv::FILLED);
    cv::circle(t, {60, 160}, 16, 1, cv::FILLED);
    cv::rectangle(t, cv::Rect(120, 20, 80, 60), 2, cv::FILLED);
    cv::rectangle(t, cv::Rect(100, 120, 40, 60), 2, cv::FILLED);
    return t;
}

cv::Mat sceneImage(int seed) {
    const cv::Mat truth = sceneTruth();
    cv::Mat img(truth.size(), CV_32F, cv::Scalar(90));
    for (int y = 0; y < truth.rows; ++y)
        for (int x = 0; x < truth.cols; ++x) {
            const int t = truth.at<uchar>(y, x);
            if (t == 1)
                img.at<float>(y, x) = 170;
            else if (t == 2)
                img.at<float>(y, x) = (((x / 2) + (y / 2)) % 2) ? 130.F : 50.F;
        }
    cv::Mat noise(truth.size(), CV_32F);
    cv::RNG(static_cast<std::uint64_t>(seed)).fill(noise, cv::RNG::NORMAL, 0, 12);
    img += noise;
    cv::Mat grey, rgb;
    img.convertTo(grey, CV_8U);
    cv::cvtColor(grey, rgb, cv::COLOR_GRAY2RGB);
    return rgb;
}

QString makeSceneProject(const QString& dir, int images) {
    QDir(dir).mkpath("images");
    Project p(dir.toStdString());
    p.setName("scene");
    p.classes() = defaultClasses(3);
    for (int i = 0; i < images; ++i) {
        const std::string file = "images/" + std::to_string(i) + ".png";
        writeImageAtomic(dir.toStdString() + "/" + file, sceneImage(i + 1));
        ImageEntry e;
        e.image = file;
        p.images().push_back(e);
    }
    p.save();
    return dir;
}

void waitIdle(LiveClassifierTool* t) {
    QTRY_VERIFY_WITH_TIMEOUT(!t->isBusy(), 30000);
}

/** A person's strokes: across one disc (1), one patch (2) and the background (0), 3 px wide. */
void paintStrokes(MainWindow& w, bool withPatch = true) {
    w.toolSettings()->setBrushRadius(1.5F);
    w.toolSettings()->setActiveClass(1);
    drag(w.canvas(), {40, 50}, {60, 50});
    if (withPatch) {
        w.toolSettings()->setActiveClass(2);
        drag(w.canvas(), {140, 40}, {180, 60});
    }
    w.toolSettings()->setActiveClass(0);
    drag(w.canvas(), {10, 110}, {90, 110});
    drag(w.canvas(), {220, 20}, {220, 190});
}

} // namespace

class LiveTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        test::useTemporarySettings();
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("MaskForgeTests");
    }

    void strokesProposeAndEachAcceptIsOneUndoStep() {
        const QString dir = makeSceneProject(tempDir("live_accept"), 2);
        auto w = openWindow(dir);
        QVERIFY(w);
        LiveClassifierTool* t = w->liveClassifierTool();
        QCOMPARE(t->shortcut(), QKeySequence(Qt::Key_L));
        for (AbstractTool* other : w->tools())  // a key no other tool has
            QVERIFY(other == t || other->shortcut() != t->shortcut());
        w->activateTool(t);
        QVERIFY(w->showImage(0));
        QVERIFY(!t->featuresReady() || !t->isBusy());
        const cv::Mat before = w->document()->mask().clone();
        paintStrokes(*w);  // painted while the features may still be computed: kept, used when they are
        QSignalSpy ready(t, &LiveClassifierTool::proposalReady);
        QVERIFY(ready.wait(30000));
        QVERIFY(w->canvas()->hasLayer("live-proposal"));
        QVERIFY(w->canvas()->hasLayer("live-strokes"));
        QVERIFY(sameBytes(w->document()->mask(), before));  // nothing written until accepted
        QVERIFY(!w->document()->isDirty());
        const cv::Mat truth = sceneTruth();
        for (int cls = 0; cls < 3; ++cls) {
            const double v = iou(t->proposal() == cls, truth == cls);
            qInfo("live proposal from 4 strokes, class %d: IoU %.3f", cls, v);
            QVERIFY(v > 0.8);
        }
        // Shift+Enter: the active class's pixels only.
        w->toolSettings()->setActiveClass(2);
        QTest::keyClick(w->canvas(), Qt::Key_Return, Qt::ShiftModifier);
        QVERIFY(sameBytes(w->document()->mask() == 2, t->proposal() == 2));
        QCOMPARE(cv::countNonZero(w->document()->mask() == 1), 0);
        QVERIFY(w->document()->canUndo());
        w->document()->undo();
        QVERIFY(sameBytes(w->document()->mask(), before));
        QVERIFY(!w->document()->canUndo());  // it was one step
        // Ctrl+drag: inside the box only.
        drag(w->canvas(), {20.5, 20.5}, {80.5, 80.5}, Qt::ControlModifier);
        const cv::Rect box(20, 20, 61, 61);
        QVERIFY(sameBytes(w->document()->mask()(box), t->proposal()(box)));
        cv::Mat outside = w->document()->mask().clone();
        outside(box).setTo(0);
        QCOMPARE(cv::countNonZero(outside), 0);
        w->document()->undo();
        QVERIFY(sameBytes(w->document()->mask(), before));
        // Ctrl+Shift+drag: a lasso (a triangle here), inside it only.
        mouse(w->canvas(), QEvent::MouseButtonPress, {150, 100}, Qt::LeftButton, Qt::LeftButton, Qt::ControlModifier | Qt::ShiftModifier);
        mouse(w->canvas(), QEvent::MouseMove, {230, 190}, Qt::NoButton, Qt::LeftButton, Qt::ControlModifier | Qt::ShiftModifier);
        mouse(w->canvas(), QEvent::MouseMove, {150, 190}, Qt::NoButton, Qt::LeftButton, Qt::ControlModifier | Qt::ShiftModifier);
        mouse(w->canvas(), QEvent::MouseButtonRelease, {150, 190}, Qt::LeftButton, Qt::NoButton, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(cv::countNonZero(w->document()->mask()) > 500);  // the disc at (180, 140) is inside
        QCOMPARE(w->document()->mask().at<uchar>(140, 180), t->proposal().at<uchar>(140, 180));
        QCOMPARE(cv::countNonZero(w->document()->mask()(cv::Rect(0, 0, 150, 200))), 0);  // left of it: nothing
        QCOMPARE(cv::countNonZero(w->document()->mask()(cv::Rect(0, 0, 240, 100))), 0);  // above it: nothing
        w->document()->undo();
        QVERIFY(sameBytes(w->document()->mask(), before));
        // Enter: everything, one step; the proposal then hides (the mask shows it).
        QTest::keyClick(w->canvas(), Qt::Key_Return);
        QVERIFY(sameBytes(w->document()->mask(), t->proposal()));
        QVERIFY(!t->hasProposal());
        QVERIFY(!w->canvas()->hasLayer("live-proposal"));
        w->document()->undo();
        QVERIFY(sameBytes(w->document()->mask(), before));
        QVERIFY(!w->document()->canUndo());
    }

    void strokesAreSavedAndTeachTheNextImage() {
        const QString dir = makeSceneProject(tempDir("live_restart"), 2);
        cv::Mat painted;
        {
            auto w = openWindow(dir);
            LiveClassifierTool* t = w->liveClassifierTool();
            w->activateTool(t);
            QVERIFY(w->showImage(0));
            paintStrokes(*w);
            painted = t->strokes().clone();
            QVERIFY(QFileInfo::exists(QString::fromStdString(StrokeStore(dir.toStdString()).path("images/0.png"))));
            waitIdle(t);
        }
        // A restart: the strokes come back, and image 1 (never stroked) is predicted from image 0's.
        auto w = openWindow(dir);
        LiveClassifierTool* t = w->liveClassifierTool();
        w->activateTool(t);
        QVERIFY(w->showImage(0));
        QVERIFY(sameBytes(t->strokes(), painted));
        QSignalSpy ready(t, &LiveClassifierTool::proposalReady);
        QVERIFY(ready.wait(30000));  // strokes on open: a proposal without a new stroke
        waitIdle(t);  // idle: image 1's features are computed ahead
        QCOMPARE(t->prefetchedImage(), 1);
        QVERIFY(w->showImage(1));
        QCOMPARE(t->prefetchedImage(), -1);  // taken over by the open image
        QCOMPARE(cv::countNonZero(t->strokes() != StrokeStore::kUnpainted), 0);
        // One background stroke here; classes 1 and 2 come from image 0's strokes.
        waitIdle(t);
        w->toolSettings()->setActiveClass(0);
        drag(w->canvas(), {10, 110}, {90, 110});
        QVERIFY(ready.wait(30000));
        const double v = iou(t->proposal() == 1, sceneTruth() == 1);
        qInfo("image never stroked but for one background line: class 1 IoU %.3f", v);
        QVERIFY(v > 0.8);
    }

    void aStrokeDuringAnUpdateRestartsItAndErasingAClassRemovesIt() {
        const QString dir = makeSceneProject(tempDir("live_restart_update"), 1);
        auto w = openWindow(dir);
        LiveClassifierTool* t = w->liveClassifierTool();
        w->activateTool(t);
        QVERIFY(w->showImage(0));
        waitIdle(t);
        QVERIFY(t->featuresReady());
        paintStrokes(*w);  // four strokes in a row, no event loop between them: each restarts the update
        QVERIFY(t->isBusy());
        QSignalSpy ready(t, &LiveClassifierTool::proposalReady);
        QVERIFY(ready.wait(30000));
        waitIdle(t);
        QCOMPARE(t->updatesShown(), 1);  // only the update with every stroke was shown
        QVERIFY(cv::countNonZero(t->proposal() == 2) > 1000);
        // The right button erases (a wider brush): all class-2 strokes gone, class 2 leaves the proposal.
        w->toolSettings()->setBrushRadius(6.F);
        mouse(w->canvas(), QEvent::MouseButtonPress, {135, 38}, Qt::RightButton, Qt::RightButton);
        mouse(w->canvas(), QEvent::MouseMove, {185, 62}, Qt::NoButton, Qt::RightButton);
        mouse(w->canvas(), QEvent::MouseButtonRelease, {185, 62}, Qt::RightButton, Qt::NoButton);
        QCOMPARE(cv::countNonZero(t->strokes() == 2), 0);
        QVERIFY(ready.wait(30000));
        QCOMPARE(cv::countNonZero(t->proposal() == 2), 0);
        QVERIFY(cv::countNonZero(t->proposal() == 1) > 1000);
        // Strokes outside the image paint nothing and start nothing.
        const cv::Mat strokes = t->strokes().clone();
        waitIdle(t);
        drag(w->canvas(), {-50, -50}, {-20, -30});
        QVERIFY(sameBytes(t->strokes(), strokes));
    }

    void switchingImagesAndClosingTheProjectMidUpdateWriteNothing() {
        const QString dir = makeSceneProject(tempDir("live_switch"), 2);
        const QString other = makeSceneProject(tempDir("live_switch_other"), 1);
        auto w = openWindow(dir);
        LiveClassifierTool* t = w->liveClassifierTool();
        w->activateTool(t);
        QVERIFY(w->showImage(0));
        waitIdle(t);
        paintStrokes(*w);
        QVERIFY(t->isBusy());
        QVERIFY(w->showImage(1));  // mid-update
        QVERIFY(!t->hasProposal());
        waitIdle(t);
        QVERIFY(!w->document()->isDirty());
        QCOMPARE(cv::countNonZero(w->document()->mask()), 0);
        QVERIFY(!QDir(dir + "/masks").exists());
        // Image 1 is predicted from image 0's strokes as soon as it has a stroke of its own.
        w->toolSettings()->setActiveClass(0);
        drag(w->canvas(), {10, 110}, {90, 110});
        QVERIFY(t->isBusy());
        QVERIFY(w->openProject(other));  // closing the project mid-update
        QVERIFY(!t->hasProposal());
        waitIdle(t);
        QVERIFY(!t->hasProposal());
        QVERIFY(!QDir(dir + "/masks").exists());
        QVERIFY(!QFileInfo::exists(dir + "/review.json"));
        // The other project knows nothing of the first one's strokes.
        QCOMPARE(cv::countNonZero(t->strokes() != StrokeStore::kUnpainted), 0);
        // A window closed mid-update: no crash, nothing written.
        paintStrokes(*w);
        w.reset();
        QVERIFY(!QDir(other + "/masks").exists());
    }

    void visibleTilesArriveFirstAndTheRestFollow() {
        const QString dir = makeSceneProject(tempDir("live_tiles"), 1);
        auto w = openWindow(dir);
        LiveClassifierTool* t = w->liveClassifierTool();
        LiveClassifierOptions o;
        o.tileSize = 64;  // 4 × 4 tiles on the 240 × 200 scene, as a large image has many
        t->setClassifierOptions(o);
        w->activateTool(t);
        QVERIFY(w->showImage(0));
        waitIdle(t);
        paintStrokes(*w);
        QSignalSpy ready(t, &LiveClassifierTool::proposalReady);
        QVERIFY(ready.wait(30000));
        waitIdle(t);
        const cv::Mat first = t->proposal().clone();
        // Zoomed in on the bottom right: a few tiles on screen.
        w->canvas()->setZoom(6.0, w->canvas()->imageToWidget({200, 170}));
        const QRect visible = w->canvas()->visibleImageRect();
        QVERIFY(!visible.isEmpty());
        int onScreen = 0;
        for (int y = 0; y < 200; y += 64)
            for (int x = 0; x < 240; x += 64)
                onScreen += QRect(x, y, 64, 64).intersects(visible);
        qInfo("visible %d,%d %dx%d: %d of 16 tiles", visible.x(), visible.y(), visible.width(), visible.height(), onScreen);
        QVERIFY(onScreen >= 1 && onScreen < 16);
        QSignalSpy tiles(t, &LiveClassifierTool::tileShown);
        const int shownBefore = t->tilesShown();
        w->toolSettings()->setActiveClass(0);
        drag(w->canvas(), {205, 178}, {215, 178});  // a background stroke where the person looks
        QVERIFY(t->isBusy());                       // the update runs in a worker: the stroke returned at once
        QVERIFY(ready.wait(30000));
        QCOMPARE(tiles.count(), 16);
        QCOMPARE(t->tilesShown() - shownBefore, 16);
        for (int i = 0; i < tiles.count(); ++i)
            QVERIFY2(tiles.at(i).at(0).toRect().intersects(visible) == (i < onScreen), qPrintable(QString("tile %1").arg(i)));
        // The tiles' sum is the proposal (each tile's pixels once), and the proposal equals a whole prediction.
        QCOMPARE(cv::countNonZero(t->proposal() == 255), 0);
        const double before = iou(first == 1, sceneTruth() == 1), after = iou(t->proposal() == 1, sceneTruth() == 1);
        qInfo("discs: IoU %.3f before the stroke, %.3f after", before, after);
        QVERIFY(before > 0.8 && after > 0.8);
    }

    void predictAllUnlabelledFillsTheReviewQueue() {
        const QString dir = makeSceneProject(tempDir("live_predict_all"), 3);
        auto w = openWindow(dir);
        LiveClassifierTool* t = w->liveClassifierTool();
        w->activateTool(t);
        QVERIFY(w->showImage(0));
        QVERIFY(w->predictAllUnlabelled());  // without strokes: fails with a message, queues nothing
        QTRY_VERIFY_WITH_TIMEOUT(!w->isPredictingUnlabelled(), 30000);
        QCOMPARE(w->reviewQueue()->size(), 0);
        paintStrokes(*w);
        waitIdle(t);
        QVERIFY(w->predictAllUnlabelled());
        QTRY_VERIFY_WITH_TIMEOUT(!w->isPredictingUnlabelled(), 60000);
        QCOMPARE(w->reviewQueue()->size(), 3);
        const ReviewQueue& q = w->reviewQueue()->queue();
        for (const ReviewEntry& e : q.entries()) {
            QCOMPARE(QString::fromStdString(e.origin), QString("Live classifier (strokes on 1 image)"));
            const cv::Mat candidate = q.readCandidate(e, {240, 200});
            QVERIFY(iou(candidate == 1, sceneTruth() == 1) > 0.8);
        }
        QVERIFY(!QDir(dir + "/masks").exists());  // proposals wait for review
    }
};

QTEST_MAIN(LiveTest)
#include "test_live.moc"
