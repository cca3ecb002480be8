// Issue 8, SIGKILL while autosave runs: the autosaved edits are the old or the new ones, whole, and the
// next start (a fresh MaskDocument on the project) offers them and restores them as unsaved edits.
// The writer is this executable re-run with MF_AUTOSAVE_WRITER set (never a fork of a Qt process).
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "canvas/maskdocument.h"
#include "project/dataset.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <poll.h>
#include <random>
#include <string>
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

/** Autosaves the two edits in turn until killed; after the first autosave it writes one byte to
 *  `readyFd`, so that the test kills it while it is at work whatever the machine's load (a fixed delay
 *  missed every autosave at load 10 on two cores, where the writer's start took over 3 s). */
[[noreturn]] void runWriter(const QString& dir, int readyFd) {
    Project project = openDataset(dir.toStdString());
    MaskDocument doc;
    doc.setProject(&project);
    doc.load(0);
    for (int i = 0;; ++i) {
        doc.fillRect(QRect(0, 0, kSide, kSide), 0);
        const cv::Rect r = i % 2 ? cv::Rect(kSide / 2, 0, kSide / 2, kSide) : cv::Rect(0, 0, kSide / 2, kSide);
        doc.fillRect(QRect(r.x, r.y, r.width, r.height), i % 2 + 1);
        doc.autosave();
        if (i == 0 && readyFd >= 0) {
            const char byte = 1;
            [[maybe_unused]] const auto n = ::write(readyFd, &byte, 1);
            ::close(readyFd);
        }
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
        for (int round = 0; round < 8; ++round) {
            int ready[2];
            QVERIFY(::pipe(ready) == 0);
            const pid_t child = ::fork();
            if (child == 0) {
                ::close(ready[0]);
                ::setenv("MF_AUTOSAVE_WRITER", dir.toLocal8Bit().constData(), 1);
                ::setenv("MF_AUTOSAVE_READY_FD", std::to_string(ready[1]).c_str(), 1);
                ::execl(self.toLocal8Bit().constData(), self.toLocal8Bit().constData(), static_cast<char*>(nullptr));
                ::_exit(4);
            }
            ::close(ready[1]);
            // Once its first autosave is whole, a random moment within the next ones (each takes a few ms).
            pollfd wait{ready[0], POLLIN, 0};
            const bool started = ::poll(&wait, 1, 60000) == 1;
            ::close(ready[0]);
            if (started)
                ::usleep(std::uniform_int_distribution<int>(0, 300000)(rng));
            ::kill(child, SIGKILL);
            int status = 0;
            ::waitpid(child, &status, 0);
            QVERIFY(WIFSIGNALED(status));
            QVERIFY2(started, "the writer did not finish its first autosave within a minute");

            Project project = openDataset(dir.toStdString());  // the next start
            MaskDocument doc;
            doc.setProject(&project);
            const QList<int> saved = doc.autosavedImages();
            QCOMPARE(saved, QList<int>{0});  // one autosave was whole before the kill: it is offered
            doc.restoreAutosaved(saved);
            doc.load(0);
            const cv::Mat m = doc.mask();
            const bool whole = cv::countNonZero(m != edit(0)) == 0 || cv::countNonZero(m != edit(1)) == 0;
            QVERIFY2(whole, qPrintable(QString("round %1: a torn autosave").arg(round)));
            QVERIFY(doc.isDirty());  // restored as unsaved edits, nothing written to masks/
            QCOMPARE(cv::countNonZero(readMask((dir + "/masks/a.png").toStdString(), MaskEncoding::Index)), 0);
        }
    }
};

int main(int argc, char** argv) {
    if (const char* dir = std::getenv("MF_AUTOSAVE_WRITER")) {
        QCoreApplication app(argc, argv);
        const char* fd = std::getenv("MF_AUTOSAVE_READY_FD");
        runWriter(QString::fromLocal8Bit(dir), fd ? std::atoi(fd) : -1);
    }
    QCoreApplication app(argc, argv);
    AutosaveKill test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_autosave_kill.moc"
