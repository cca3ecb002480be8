#include "uitesthelpers.h"

#include "canvas/canvas.h"
#include "mainwindow/mainwindow.h"
#include "tools/abstracttool.h"
#include "io/imageio.h"
#include "project/project.h"
#include "review/reviewqueue.h"
#include "sample/samplegenerator.h"

#include <QApplication>
#include <QDir>
#include <QMouseEvent>
#include <QTest>

#include <filesystem>
#include <set>

namespace mf::test {

void mouse(Canvas* canvas, int type, QPointF image, Qt::MouseButton button, Qt::MouseButtons buttons,
           Qt::KeyboardModifiers modifiers) {
    const QPointF local = canvas->imageToWidget(image);
    QMouseEvent e(static_cast<QEvent::Type>(type), local, canvas->mapToGlobal(local), button, buttons, modifiers);
    QApplication::sendEvent(canvas, &e);
}

void drag(Canvas* canvas, QPointF from, QPointF to, Qt::KeyboardModifiers modifiers) {
    mouse(canvas, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton, modifiers);
    for (int i = 1; i <= 10; ++i)
        mouse(canvas, QEvent::MouseMove, from + (to - from) * (i / 10.0), Qt::NoButton, Qt::LeftButton, modifiers);
    mouse(canvas, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton, modifiers);
}

void click(Canvas* canvas, QPointF at, Qt::KeyboardModifiers modifiers) {
    mouse(canvas, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton, modifiers);
    mouse(canvas, QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton, modifiers);
}

QString tempDir(const QString& name) {
    QDir d(QDir::temp().filePath(QString("mf_ui_%1_%2").arg(name).arg(QCoreApplication::applicationPid())));
    d.removeRecursively();
    d.mkpath(".");
    return d.absolutePath();
}

QString makeOneImageProject(const QString& dir, const QString& name, const cv::Mat& image, int classes,
                            const cv::Mat& coarse) {
    const std::string file = name.toStdString() + ".png";
    QDir(dir).mkpath("images");
    writeImageAtomic(dir.toStdString() + "/images/" + file, image);
    Project p(dir.toStdString());
    p.setName(name.toStdString());
    p.classes() = defaultClasses(classes);
    ImageEntry e;
    e.image = "images/" + file;
    if (!coarse.empty()) {
        QDir(dir).mkpath("coarse");
        writeMaskAtomic(dir.toStdString() + "/coarse/" + file, coarse);
        e.coarse = e.mask = "coarse/" + file;
        e.status = ImageStatus::Coarse;
    }
    p.images().push_back(e);
    p.save();
    return dir;
}

QString makeBlankProject(const QString& dir, int size) {
    cv::Mat image(size, size, CV_8UC3);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            image.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(x * 255 / size), 90, 90);
    return makeOneImageProject(dir, "blank", image, 4);
}

bool sameBytes(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

double iou(const cv::Mat& a, const cv::Mat& b) {
    const double u = cv::countNonZero(a | b);
    return u > 0 ? cv::countNonZero(a & b) / u : 1.0;
}

std::unique_ptr<MainWindow> openWindow(const QString& project) {
    auto w = std::make_unique<MainWindow>();
    w->setInteractive(false);
    w->resize(1200, 800);
    w->show();
    if (!project.isEmpty() && !w->openProject(project))
        return nullptr;
    w->canvas()->fitToWindow();
    return w;
}

AbstractTool* findTool(MainWindow& w, const QString& name) {
    for (AbstractTool* t : w.tools())
        if (t->name() == name)
            return t;
    return nullptr;
}

void makeUnlabelledSample(const QString& dir, int count) {
    makeSampleProject({dir.toStdString(), 5, count, 96});
    Project p = Project::load(dir.toStdString());
    for (ImageEntry& e : p.images()) {
        e.mask.clear();
        e.status = ImageStatus::Unlabelled;
    }
    p.save();
}

QString coarseProject(const QString& name, int count) {
    const QString dir = tempDir(name);
    makeUnlabelledSample(dir, count);
    auto w = openWindow(dir);
    if (!w || !w->importBoxes(dir + "/boxes"))
        return {};
    return dir;
}

/** Candidate files on disk and candidates review.json lists: the same set, whatever happened. */
void checkFilesAgreeWithTheQueue(const QString& dir) {
    std::set<std::string> files, listed;
    const std::filesystem::path folder = std::filesystem::path(dir.toStdString()) / ReviewQueue::kCandidateDir;
    if (std::filesystem::exists(folder))
        for (const auto& f : std::filesystem::directory_iterator(folder))
            files.insert(std::string(ReviewQueue::kCandidateDir) + "/" + f.path().filename().string());
    const ReviewQueue queue = ReviewQueue::load(dir.toStdString());
    for (const ReviewEntry& e : queue.entries())
        listed.insert(e.candidate);
    QCOMPARE(files.size(), listed.size());
    QVERIFY(files == listed);
}

} // namespace mf::test
