// Issue 8, SIGKILL while autosave runs: the autosaved edits are the old or the new ones, whole, and the
// next start (a fresh MaskDocument on the project) offers them and restores them as unsaved edits.
// The writer is this executable re-run with MF_AUTOSAVE_WRITER set (never a fork of a Qt process).
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "maskdocument.h"
#include "project/dataset.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

using namespace mf;

namespace {

constexpr int kSide = 384;

/** The two edits the writer alternates: the left or the right half painted with class 1 or 2. */
cv::Mat edit(int which) {
    cv::Mat m = cv::Mat::zeros(kSide, kSide, CV_8UC1);
    m(which ? cv::Rect(kSide / 2, 0, kSide / 2, kSide) : cv::Rect(0, 0, kSide / 2, kSide)).setTo(which + 1);
    return m;
}

[[noreturn]] void runWriter(const QString& dir) {
    Project project = openDataset(dir.toStdString());
    MaskDocument doc;
    doc.setProject(&project);
    doc.load(0);
    for (int i = 0;; ++i) {
        doc.fillRect(QRect(0, 0, kSide, kSide), 0);
        const cv::Rect r = i % 2 ? cv::Rect(kSide / 2, 0, kSide / 2, kSide) : cv::Rect(0, 0, kSide / 2, kSide);
        doc.fillRect(QRect(r.x, r.y, r.width, r.height), i % 2 + 1);
        doc.autosave();
    }
}

} // namespace

class AutosaveKill : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedAutosaveIsOfferedWhole() {
        QTemporaryDir tmp;
        const QString dir = tmp.path();
        QDir().mkpath(dir + "/images");
        QDir().mkpath(dir + "/masks");
        cv::Mat noise(kSide, kSide, CV_8UC3);
        cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(255));
        writeImageAtomic((dir + "/images/a.png").toStdString(), noise);
        writeMaskAtomic((dir + "/masks/a.png").toStdString(), cv::Mat::zeros(kSide, kSide, CV_8UC1));
        importDataset(dir.toStdString(), {}, nullptr);
        const QString self = QCoreApplication::applicationFilePath();
        std::mt19937 rng(17);
        int offered = 0;
        for (int round = 0; round < 8; ++round) {
            const pid_t child = ::fork();
            if (child == 0) {
                ::setenv("MF_AUTOSAVE_WRITER", dir.toLocal8Bit().constData(), 1);
                ::execl(self.toLocal8Bit().constData(), self.toLocal8Bit().constData(), static_cast<char*>(nullptr));
                ::_exit(4);
            }
            // A random moment after the writer got going (its start takes a while: at most 3 s).
            ::usleep(std::uniform_int_distribution<int>(200000, 3000000)(rng));
            ::kill(child, SIGKILL);
            int status = 0;
            ::waitpid(child, &status, 0);
            QVERIFY(WIFSIGNALED(status));

            Project project = openDataset(dir.toStdString());  // the next start
            MaskDocument doc;
            doc.setProject(&project);
            const QList<int> saved = doc.autosavedImages();
            if (saved.isEmpty())
                continue;  // killed before its first autosave finished: nothing to offer, nothing torn
            ++offered;
            QCOMPARE(saved, QList<int>{0});
            doc.restoreAutosaved(saved);
            doc.load(0);
            const cv::Mat m = doc.mask();
            const bool whole = cv::countNonZero(m != edit(0)) == 0 || cv::countNonZero(m != edit(1)) == 0;
            QVERIFY2(whole, qPrintable(QString("round %1: a torn autosave").arg(round)));
            QVERIFY(doc.isDirty());  // restored as unsaved edits, nothing written to masks/
            QCOMPARE(cv::countNonZero(readMask((dir + "/masks/a.png").toStdString(), MaskEncoding::Index)), 0);
        }
        QVERIFY2(offered > 0, "no kill landed after an autosave");
    }
};

int main(int argc, char** argv) {
    if (const char* dir = std::getenv("MF_AUTOSAVE_WRITER")) {
        QCoreApplication app(argc, argv);
        runWriter(QString::fromLocal8Bit(dir));
    }
    QCoreApplication app(argc, argv);
    AutosaveKill test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_autosave_kill.moc"
