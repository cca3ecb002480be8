// The training panel end to end: a tiny real training from the panel, live chart points, the run
// folder, stop within a step with a valid checkpoint, closing during training, YAML round trip.
#include "tempsettings.h"
#include "charts/trainingcharts.h"
#include "studiotestutil.h"
#include "infer/predictor.h"
#include "training/trainingform.h"
#include "training/trainingpanel.h"
#include "training/trainingrunner.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace mf;

/** Largest lateness of a 10 ms timer while the event loop runs: how responsive the GUI stays. */
class LoopProbe : public QObject {
public:
    LoopProbe() {
        m_timer.setInterval(10);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0)
                m_late.push_back((now - m_last) / 1e6 - 10.0);
            m_last = now;
        });
        m_clock.start();
        m_timer.start();
    }
    /** Lateness at quantile q (0..1) in ms; 1 gives the worst. */
    double lateMs(double q) const {
        if (m_late.empty())
            return 0;
        std::vector<double> sorted = m_late;
        std::sort(sorted.begin(), sorted.end());
        return sorted[static_cast<std::size_t>(q * (sorted.size() - 1))];
    }
    std::size_t ticks() const { return m_late.size(); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<double> m_late;
};

class TestStudioTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        test::useTemporarySettings();
        QVERIFY(m_tmp.isValid());
        m_sample = test::makeTinySample(m_tmp);
    }

    void tinyTrainingFromPanelProducesChartsAndRunFolder() {
        TrainingPanel panel;
        panel.resize(1400, 900);
        panel.show();
        panel.form()->setConfig(test::tinyConfig(m_sample));
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        QSignalSpy steps(panel.runner(), &TrainingRunner::stepsDone);
        QVERIFY2(panel.startTraining(), qPrintable(panel.lastError()));
        LoopProbe probe;  // from here on the event loop runs while the worker trains
        QVERIFY(panel.isTraining());
        QVERIFY(finished.wait(90000));
        const auto result = finished.first().at(1).value<TrainResult>();
        QCOMPARE(result.status, TrainResult::Status::Finished);
        qInfo("event-loop delay during training (10 ms timer, %zu ticks, %lld step batches): median %.1f ms, "
              "p95 %.1f ms, worst %.1f ms", probe.ticks(), static_cast<long long>(steps.size()), probe.lateMs(0.5),
              probe.lateMs(0.95), probe.lateMs(1.0));
        QVERIFY2(probe.lateMs(0.95) < 100, "the GUI thread was blocked during training");
        QVERIFY(panel.charts()->stepPoints() > 0);
        QCOMPARE(panel.charts()->epochPoints(), 2);
        const QString run = panel.currentRunDir();
        QVERIFY(run.startsWith(TrainingPanel::runsDirFor(m_sample)));
        for (const char* f : {"config.yaml", "metrics.csv", "best.pt", "last.pt", "train.log"})
            QVERIFY2(QFileInfo::exists(run + "/" + f), f);
        QVERIFY(!panel.isTraining());

        // A finished run's charts reopen from metrics.csv, and export.
        TrainingCharts charts;
        charts.loadRun(run);
        QCOMPARE(charts.epochPoints(), 2);
        QVERIFY(charts.bestEpoch() >= 1);
        QVERIFY(charts.exportPng(m_tmp.filePath("chart")));
        QVERIFY(charts.exportCsv(m_tmp.filePath("chart.csv")));
        QVERIFY(QFileInfo(m_tmp.filePath("chart-iou.png")).size() > 0);
        QVERIFY(QFileInfo(m_tmp.filePath("chart.csv")).size() > 0);
    }

    void chartsGrowTheirAxesAndDecimate() {
        TrainingCharts charts;
        charts.reset({"background", "crack"});
        QVector<StepReport> steps;
        for (int i = 1; i <= 5000; ++i) {
            StepReport s;
            s.epoch = (i - 1) / 100 + 1, s.step = (i - 1) % 100 + 1, s.stepsPerEpoch = 100, s.globalStep = i;
            s.loss = 3.0 / std::sqrt(double(i)), s.lr = 1e-3;
            steps.push_back(s);
        }
        charts.addSteps(steps);
        QVERIFY(charts.stepPoints() <= 1500);
        QVERIFY(charts.stepPoints() >= 750);
        auto* y = qobject_cast<QValueAxis*>(charts.lossView()->chart()->axes(Qt::Vertical).first());
        auto* x = qobject_cast<QValueAxis*>(charts.lossView()->chart()->axes(Qt::Horizontal).first());
        QVERIFY(y->max() > 3.0);  // the first, largest loss is inside the frame
        QCOMPARE(y->min(), 0.0);
        QVERIFY(x->max() >= 50.0);
        EpochReport e;
        e.epoch = 1, e.valLoss = 1.0, e.mIoUNoBackground = 0.4, e.classIoU = {0.9, 0.4}, e.best = true;
        charts.addEpoch(e);
        QCOMPARE(charts.bestEpoch(), 1);
        QCOMPARE(charts.iouView()->chart()->series().size(), 2 + 2);  // mIoU, best marker, two classes
    }

    void stopEndsWithinSecondsWithValidCheckpoint() {
        TrainingPanel panel;
        panel.form()->setConfig(test::tinyConfig(m_sample, "encdec", 200));
        QSignalSpy steps(panel.runner(), &TrainingRunner::stepsDone);
        QSignalSpy epochs(panel.runner(), &TrainingRunner::epochDone);
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        QVERIFY(panel.startTraining());
        QVERIFY(epochs.wait(60000));  // one epoch done: best.pt exists
        panel.togglePause();
        QVERIFY(panel.runner()->isPaused());
        panel.togglePause();
        QVERIFY(!panel.runner()->isPaused());
        QElapsedTimer clock;
        clock.start();
        panel.stopTraining();
        QVERIFY(finished.wait(10000));
        qInfo("stop took %lld ms", static_cast<long long>(clock.elapsed()));
        QVERIFY(clock.elapsed() < 5000);
        const auto result = finished.first().at(1).value<TrainResult>();
        QCOMPARE(result.status, TrainResult::Status::Cancelled);
        const QString last = panel.currentRunDir() + "/last.pt";
        QVERIFY(QFileInfo::exists(last));
        auto predictor = Predictor::open(last.toStdString(), "cpu");  // a valid, loadable checkpoint
        QCOMPARE(predictor->classCount(), 5);
        QVERIFY(QFileInfo::exists(panel.currentRunDir() + "/best.pt"));
    }

    void closingDuringTrainingStopsCleanly() {
        TrainingPanel panel;
        panel.form()->setConfig(test::tinyConfig(m_sample, "unet", 200));
        QSignalSpy steps(panel.runner(), &TrainingRunner::stepsDone);
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        QVERIFY(panel.startTraining());
        QVERIFY(steps.wait(60000));
        QVERIFY(panel.stopBeforeClose(false));
        QVERIFY(!panel.isTraining());
        QCOMPARE(finished.size(), 1);
        QVERIFY(QFileInfo::exists(panel.currentRunDir() + "/last.pt"));
    }

    void badConfigIsShownNotThrown() {
        TrainingPanel panel;
        panel.form()->setConfig(test::tinyConfig(m_tmp.filePath("no-such-project")));
        QVERIFY(!panel.startTraining());
        QVERIFY(panel.lastError().contains("no-such-project"));
        QVERIFY(!panel.isTraining());
    }

    void formRoundTripsTheCliYaml() {
        TrainingForm form;
        const TrainConfig gpu = TrainingForm::fullGpuPreset();
        form.setConfig(gpu);
        const QString path = m_tmp.filePath("gpu.yaml");
        form.saveYaml(path);
        const TrainConfig back = loadTrainConfig(path.toStdString());
        QCOMPARE(toYaml(back), toYaml(gpu));
        form.loadYaml(QString(MF_SOURCE_DIR) + "/configs/quick-cpu.yaml");
        QCOMPARE(toYaml(form.config()), toYaml(TrainingForm::quickCpuPreset()));
    }

    void autoPresetIsTheDefaultAndShowsThePlan() {
        QSettings().remove("training/lastConfig");  // a first start: earlier tests left a manual config behind
        TrainingPanel panel;
        QVERIFY(panel.form()->autoPlan());  // Auto is the default: Start plans from the data
        panel.setProject(m_sample);
        QVERIFY(panel.form()->autoPlan());  // pointing at a project keeps it
        TrainingPlan plan;
        plan.config = TrainingForm::quickCpuPreset();
        plan.config.input = "crop";
        plan.config.size = 96;
        plan.config.epochs = 7;
        plan.reasons.push_back({"input", "crop: because"});
        panel.form()->applyPlan(plan);
        QVERIFY(panel.form()->autoPlan());
        QCOMPARE(panel.form()->config().size, 96);
        QCOMPARE(panel.form()->config().epochs, 7);
        QCOMPARE(panel.form()->config().input, std::string("crop"));  // kept although the form has no field for it
        QCOMPARE(panel.form()->config().data, m_sample.toStdString());
        panel.form()->setConfig(test::tinyConfig(m_sample));  // an explicit config ends Auto
        QVERIFY(!panel.form()->autoPlan());
    }

private:
    QTemporaryDir m_tmp;
    QString m_sample;
};

QTEST_MAIN(TestStudioTraining)
#include "test_studio_training.moc"
