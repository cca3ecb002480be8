// The studio's views on two real tiny runs: comparison table and panes, prediction overlays with
// known error-map colours, the refinement review loop, the runs panel, and the main-window wiring.
#include "tempsettings.h"
#include "charts/trainingcharts.h"
#include "compare/compareview.h"
#include "io/imageio.h"
#include "mainwindow/mainwindow.h"
#include "predict/imagepane.h"
#include "predict/predictpanel.h"
#include "review/reviewqueue.h"
#include "reviewqueue/reviewqueuemodel.h"
#include "project/project.h"
#include "runs/runspanel.h"
#include "studiotestutil.h"
#include "train/trainer.h"
#include "training/studio.h"
#include "training/trainingform.h"
#include "training/trainingpanel.h"
#include "training/trainingrunner.h"

#include <QDir>
#include <QFileInfo>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace mf;

namespace {

QColor colourOf(ErrorCode code) {
    const Rgb c = errorColor(code);
    return QColor(c[0], c[1], c[2]);
}

} // namespace

class TestStudioViews : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        test::useTemporarySettings();
        QVERIFY(m_tmp.isValid());
        m_sample = test::makeTinySample(m_tmp);
        m_runs = QDir(m_sample).filePath("runs");
        for (const auto& [arch, name] : {std::pair{"encdec", "encdec-a"}, std::pair{"unet", "unet-b"}}) {
            TrainConfig c = test::tinyConfig(m_sample, arch, 1);
            c.out = QDir(m_runs).filePath(name).toStdString();
            const TrainResult r = train(c);
            QVERIFY2(r.status == TrainResult::Status::Finished, r.message.c_str());
        }
        m_runA = QDir(m_runs).filePath("encdec-a");
        m_runB = QDir(m_runs).filePath("unet-b");
    }

    void compareViewLoadsTwoRunsAndFillsItsTable() {
        CompareView view;
        view.resize(1400, 900);
        view.show();
        view.setRunsDir(m_runs);
        QSignalSpy compared(&view, &CompareView::compared);
        QSignalSpy failed(&view, &CompareView::failed);
        QSignalSpy shown(&view, &CompareView::imagesShown);
        view.compare(m_runA, m_runB);
        QVERIFY(compared.wait(60000));
        QCOMPARE(failed.size(), 0);
        QTableWidget* t = view.table();
        QCOMPARE(t->rowCount(), 5 + 3);  // five classes, mIoU, mIoU without background, pixel accuracy
        QCOMPARE(t->item(1, 0)->text(), QString("crack"));
        for (int row = 0; row < t->rowCount(); ++row) {
            const double a = t->item(row, 1)->data(Qt::UserRole).toDouble();
            const double b = t->item(row, 2)->data(Qt::UserRole).toDouble();
            QVERIFY(a >= 0 && a <= 1 && b >= 0 && b <= 1);
            QCOMPARE(t->item(row, 3)->data(Qt::UserRole).toDouble(), b - a);
        }
        QVERIFY(view.rankedList()->count() > 0);
        const auto& ranking = view.ranking();
        for (std::size_t i = 1; i < ranking.size(); ++i)
            QVERIFY(std::abs(ranking[i - 1].iouB - ranking[i - 1].iouA) >= std::abs(ranking[i].iouB - ranking[i].iouA));
        QVERIFY(view.curves()->chart()->series().size() == 4);

        // The image that differs most is shown at once (the panes stayed empty until one was clicked).
        QCOMPARE(view.rankedList()->currentRow(), 0);
        QVERIFY(!shown.isEmpty() || shown.wait(30000));
        QVERIFY(!view.paneA()->overlay().isNull());
        QVERIFY(!view.paneB()->overlay().isNull());
        QCOMPARE(view.paneDiff()->overlay().size(), view.paneA()->image().size());
        // Synchronised panes: zooming A moves B and the difference map.
        view.paneA()->setView(3.0, QPointF(-10, -20));
        Q_EMIT view.paneA()->viewChanged(3.0, QPointF(-10, -20));
        QCOMPARE(view.paneB()->zoom(), 3.0);
        QCOMPARE(view.paneDiff()->offset(), QPointF(-10, -20));
    }

    void errorMapColoursMatchAKnownPrediction() {
        Project project;
        project.classes() = defaultClasses(4);
        PredictPanel panel;
        panel.setProject(&project);
        ImagePrediction p;
        p.row = 0;
        p.rgb = cv::Mat(2, 3, CV_8UC3, cv::Scalar(10, 10, 10));
        // truth:  1 1 0 / 2 0 255      prediction: 1 0 3 / 1 0 1
        p.truthMask = (cv::Mat_<std::uint8_t>(2, 3) << 1, 1, 0, 2, 0, 255);
        p.labels = (cv::Mat_<std::uint8_t>(2, 3) << 1, 0, 3, 1, 0, 1);
        panel.showPrediction(p);
        QSignalSpy changed(&panel, &PredictPanel::overlayChanged);
        panel.setMode(OverlayMode::Errors);
        QCOMPARE(changed.size(), 1);
        const QImage o = panel.overlay();
        QCOMPARE(o.size(), QSize(3, 2));
        QCOMPARE(o.pixelColor(0, 0), colourOf(ErrorCode::TruePositive));
        QCOMPARE(o.pixelColor(1, 0), colourOf(ErrorCode::FalseNegative));
        QCOMPARE(o.pixelColor(2, 0), colourOf(ErrorCode::FalsePositive));
        QCOMPARE(o.pixelColor(0, 1), colourOf(ErrorCode::WrongClass));
        QCOMPARE(o.pixelColor(1, 1).alpha(), 0);  // true negative
        QCOMPARE(o.pixelColor(2, 1).alpha(), 0);  // ignored truth
        QVERIFY(colourOf(ErrorCode::TruePositive) != colourOf(ErrorCode::FalsePositive));
        QVERIFY(colourOf(ErrorCode::FalsePositive) != colourOf(ErrorCode::FalseNegative));
        // One class only: class 1's false positive on the class-2 pixel.
        panel.setClassId(1);
        QCOMPARE(panel.overlay().pixelColor(0, 1), colourOf(ErrorCode::FalsePositive));
        panel.setOpacity(0.25);
        QCOMPARE(changed.last().at(1).toDouble(), 0.25);
    }

    void predictsTheCurrentImageOffTheGuiThread() {
        Project project = Project::load(m_sample.toStdString());
        PredictPanel panel;
        panel.setProject(&project);
        panel.setRun(m_runB);
        panel.setCurrentRow(0);
        QSignalSpy predicted(panel.service(), &PredictionService::predicted);
        panel.predictCurrent();
        QVERIFY(predicted.wait(30000));
        QVERIFY(panel.currentPrediction().error.isEmpty());
        QCOMPARE(panel.overlay().size(), QSize(64, 64));
        panel.setMode(OverlayMode::Heatmap);
        panel.setClassId(1);
        QCOMPARE(panel.overlay().size(), QSize(64, 64));
        QVERIFY(panel.overlay().pixelColor(5, 5).alpha() > 0);

        QSignalSpy batch(&panel, &PredictPanel::batchDone);
        panel.predictDataset();
        QVERIFY(batch.wait(60000));
        QCOMPARE(batch.first().at(0).toInt(), 16);
        QCOMPARE(QDir(m_runB + "/predictions").entryList(QDir::Files).size(), 16);
    }

    void refinementLoopProposesReviewsAndBuildsATrainingSet() {
        Project project = Project::load(m_sample.toStdString());
        for (int row : {0, 1, 2}) {
            ImageEntry& e = project.images()[row];
            QVERIFY(!e.coarse.empty());
            e.status = ImageStatus::Coarse;
        }
        for (std::size_t row = 3; row < project.images().size(); ++row)
            project.images()[row].status = ImageStatus::Unlabelled;
        project.save();
        PredictPanel panel;
        panel.setProject(&project);
        panel.setRun(m_runB);
        QSignalSpy batch(&panel, &PredictPanel::batchDone);
        QSignalSpy proposals(&panel, &PredictPanel::proposalReady);
        const cv::Mat maskBefore = readMask(project.absolute(project.images()[0].mask), MaskEncoding::Index);
        panel.refineCoarse();
        QVERIFY(batch.wait(60000));
        QCOMPARE(proposals.size(), 3);
        ReviewQueue queue(project.root());
        for (const QList<QVariant>& args : proposals)
            queue.add(args.at(0).value<ReviewEntry>());
        QCOMPARE(queue.size(), 3);
        const ReviewEntry& e0 = *queue.find(project.images()[0].image);
        QCOMPARE(QString::fromStdString(e0.origin), QString("unet-b"));  // the run's name is its origin
        const cv::Mat coarse = readMask(project.absolute(project.images()[0].coarse), MaskEncoding::Index);
        const cv::Mat proposal = queue.readCandidate(e0, coarse.size());
        // Outside every box the coarse mask (background there) stays.
        QCOMPARE(cv::countNonZero(proposal & (coarse == 0)), 0);
        // Nothing was written into the project by proposing.
        QVERIFY(project.images()[0].status == ImageStatus::Coarse);
        QCOMPARE(cv::countNonZero(readMask(project.absolute(project.images()[0].mask), MaskEncoding::Index) != maskBefore), 0);

        acceptProposal(project, queue, project.images()[0].image);
        QVERIFY(project.images()[0].status == ImageStatus::Refined);
        QCOMPARE(cv::countNonZero(readMask(project.absolute(project.images()[0].mask), MaskEncoding::Index) != proposal), 0);
        queue.remove(project.images()[1].image);
        QVERIFY(project.images()[1].status == ImageStatus::Coarse);
        QCOMPARE(queue.size(), 1);
        QVERIFY(Project::load(m_sample.toStdString()).images()[0].status == ImageStatus::Refined);  // saved

        QSignalSpy train(&panel, &PredictPanel::trainOnRequested);
        const QString set = panel.trainOnRefined();
        QCOMPARE(train.size(), 1);
        QCOMPARE(Project::load(set.toStdString()).images().size(), std::size_t(1));
    }

    // Defect 6: a model-refinement batch of one project never feeds the next project's queue.
    void refinementBatchEndsWithItsProject() {
        Project project = Project::load(m_sample.toStdString());
        for (ImageEntry& e : project.images())
            e.status = e.coarse.empty() ? ImageStatus::Reviewed : ImageStatus::Coarse;
        project.save();
        QTemporaryDir otherDir;
        const QString other = test::makeTinySample(otherDir);
        auto* window = new MainWindow;
        window->setInteractive(false);
        auto* studio = new Studio(window);
        studio->setInteractive(false);
        QVERIFY(window->openProject(m_sample));
        studio->predictPanel()->setRun(m_runB);
        QSignalSpy proposals(studio->predictPanel(), &PredictPanel::proposalReady);
        studio->predictPanel()->refineCoarse();
        QVERIFY(window->openProject(other));
        studio->predictPanel()->service()->waitForIdle();
        QTest::qWait(300);  // whatever the old batch had queued arrives now, and is dropped
        QCOMPARE(window->reviewQueue()->size(), 0);
        QVERIFY(!QFileInfo::exists(other + "/review.json"));
        QCOMPARE(proposals.size(), 0);
        delete window;
        for (ImageEntry& e : project.images())
            e.status = ImageStatus::Reviewed;
        project.save();
    }

    void runsPanelListsOpensRenamesAndDeletes() {
        RunsPanel panel;
        panel.setInteractive(false);
        panel.setRunsDir(m_runs);
        QCOMPARE(panel.table()->rowCount(), 2);
        QStringList archs;
        for (int row = 0; row < 2; ++row)
            archs << panel.table()->item(row, 1)->text();
        archs.sort();
        QCOMPARE(archs, (QStringList{"Encoder-decoder", "U-Net"}));
        QCOMPARE(panel.table()->item(0, 5)->text(), QString("finished"));
        auto* charts = qobject_cast<TrainingCharts*>(panel.openCharts(m_runA));
        QVERIFY(charts);
        QCOMPARE(charts->epochPoints(), 1);
        charts->close();
        QSignalSpy report(&panel, &RunsPanel::reportReady);
        panel.openReport(m_runA);
        QVERIFY(report.wait(30000));
        QVERIFY(report.first().at(1).toString().contains("crack"));

        const QString copy = QDir(m_runs).filePath("copy");
        QVERIFY(QDir().mkpath(copy));
        QFile::copy(m_runA + "/config.yaml", copy + "/config.yaml");
        panel.refresh();
        QCOMPARE(panel.table()->rowCount(), 3);
        QVERIFY(panel.renameRun(copy, "copy-renamed"));
        QVERIFY(QFileInfo::exists(QDir(m_runs).filePath("copy-renamed/config.yaml")));
        QVERIFY(panel.deleteRun(QDir(m_runs).filePath("copy-renamed"), false));
        QCOMPARE(panel.table()->rowCount(), 2);
    }

    void mainWindowClosingDuringTrainingStopsCleanly() {
        auto* window = new MainWindow;
        window->setInteractive(false);
        auto* studio = new Studio(window);
        studio->setInteractive(false);
        QVERIFY(window->openProject(m_sample));
        QCOMPARE(studio->predictPanel()->currentPrediction().row, -1);
        QCOMPARE(studio->runsPanel()->table()->rowCount(), 2);
        studio->trainingPanel()->form()->setConfig(test::tinyConfig(m_sample, "unet", 200));
        QSignalSpy steps(studio->trainingPanel()->runner(), &TrainingRunner::stepsDone);
        QVERIFY(studio->trainingPanel()->startTraining());
        QVERIFY(steps.wait(60000));
        const QString run = studio->trainingPanel()->currentRunDir();
        bool listed = false;
        for (int row = 0; row < studio->runsPanel()->table()->rowCount(); ++row)
            listed |= studio->runsPanel()->table()->item(row, 5)->text() == "training";
        QVERIFY(listed);
        QVERIFY(window->close());
        QVERIFY(!studio->trainingPanel()->isTraining());
        QVERIFY(QFileInfo::exists(run + "/last.pt"));
        delete window;
    }

private:
    QTemporaryDir m_tmp;
    QString m_sample, m_runs, m_runA, m_runB;
};

QTEST_MAIN(TestStudioViews)
#include "test_studio_views.moc"
