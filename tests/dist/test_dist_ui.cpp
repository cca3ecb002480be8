// Watching a run another process writes: the charts a RunsPanel opens follow metrics.csv as it grows.
#include "charts/metricsfollower.h"
#include "charts/trainingcharts.h"
#include "runs/runspanel.h"
#include "runs/runfolder.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace mf;

namespace {

EpochReport epoch(int n) {
    EpochReport r;
    r.epoch = n;
    r.epochs = 10;
    r.trainLoss = 1.0 / n;
    r.valLoss = 1.2 / n;
    r.mIoU = 0.1 * n;
    r.mIoUNoBackground = 0.05 * n;
    r.classIoU = {0.5, 0.05 * n};
    r.lr = 0.01;
    return r;
}

} // namespace

class TestDistUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chartsFollowMetricsAsTheyAreRewritten() {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath("cluster-run");
        RunFolder writer(dir.toStdString());  // stands for rank 0 of a job elsewhere
        const std::vector<std::string> classes{"background", "defect"};
        writer.addEpoch(epoch(1), classes);
        RunsPanel panel;
        panel.setInteractive(false);
        auto* charts = qobject_cast<TrainingCharts*>(panel.openCharts(dir));
        QVERIFY(charts);
        auto* follower = charts->findChild<MetricsFollower*>();
        QVERIFY(follower);
        QCOMPARE(charts->epochPoints(), 1);
        QSignalSpy added(follower, &MetricsFollower::epochsAdded);
        writer.addEpoch(epoch(2), classes);  // atomic rewrite: a new file renamed over the old
        QTRY_COMPARE_WITH_TIMEOUT(charts->epochPoints(), 2, 5000);
        writer.addEpoch(epoch(3), classes);
        writer.addEpoch(epoch(4), classes);
        QTRY_COMPARE_WITH_TIMEOUT(charts->epochPoints(), 4, 5000);
        QVERIFY(added.count() >= 2);
        if (qEnvironmentVariableIsSet("MF_SCREENSHOT_DIR"))  // to look at it: docs/screenshots/follow-run.png
            QVERIFY(charts->grab().save(QDir(qEnvironmentVariable("MF_SCREENSHOT_DIR")).filePath("follow-run.png")));
        delete charts;
    }

    void appendedRowsAreReadAndAHalfRowWaits() {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath("run");
        {
            RunFolder writer(dir.toStdString());
            writer.addEpoch(epoch(1), {"background", "defect"});
            writer.addEpoch(epoch(2), {"background", "defect"});
        }
        QFile csv(QDir(dir).filePath("metrics.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        csv.close();
        TrainingCharts charts;
        charts.loadRun(dir);
        // Start from the first row only, then let "another tool" append the second in two writes.
        QVERIFY(csv.open(QIODevice::WriteOnly | QIODevice::Truncate));
        csv.write(lines[0] + "\n" + lines[1] + "\n");
        csv.close();
        charts.loadRun(dir);
        MetricsFollower follower(&charts, dir, 60000);  // timer out of the way: the watcher alone
        QCOMPARE(charts.epochPoints(), 1);
        const QByteArray row = lines[2];
        QVERIFY(csv.open(QIODevice::Append));
        csv.write(row.left(row.size() / 3));  // half a row: not an epoch yet
        csv.close();
        QCOMPARE(follower.check(), 0);
        QCOMPARE(charts.epochPoints(), 1);
        QVERIFY(csv.open(QIODevice::Append));
        csv.write(row.mid(row.size() / 3) + "\n");
        csv.close();
        QTRY_COMPARE_WITH_TIMEOUT(charts.epochPoints(), 2, 5000);
    }
};

QTEST_MAIN(TestDistUi)
#include "test_dist_ui.moc"
