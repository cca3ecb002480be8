#pragma once
#include <QPointF>
#include <QString>

#include <opencv2/core.hpp>

#include <memory>

class QWidget;

namespace mf {
class AbstractTool;
class Canvas;
class MainWindow;
namespace test {

/** A shown, non-interactive MainWindow (1200x800) with `project` open and fitted; null when it fails to open. */
std::unique_ptr<MainWindow> openWindow(const QString& project);
/** The window's tool called `name`, or null. */
AbstractTool* findTool(MainWindow& w, const QString& name);

/** Sends a mouse event to the canvas at image position `image` (mapped through its view). */
void mouse(Canvas* canvas, int type, QPointF image, Qt::MouseButton button, Qt::MouseButtons buttons,
           Qt::KeyboardModifiers modifiers = Qt::NoModifier);
/** A press at `from`, moves along the way to `to`, a release: one drag stroke. */
void drag(Canvas* canvas, QPointF from, QPointF to, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
void click(Canvas* canvas, QPointF at, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
/** Candidate files on disk and candidates review.json lists: the same set, whatever happened (QVERIFY). */
void checkFilesAgreeWithTheQueue(const QString& dir);
/** A fresh temporary folder for one test. */
QString tempDir(const QString& name);
/** A project at `dir` of one image, images/<name>.png, with `classes` default classes. With a `coarse`
 *  mask it is also coarse/<name>.png, the image's mask, status coarse; without, no mask (unlabelled). */
QString makeOneImageProject(const QString& dir, const QString& name, const cv::Mat& image, int classes,
                            const cv::Mat& coarse = cv::Mat());
/** A one-image project with a grey ramp image and no mask (size x size, 4 classes). */
QString makeBlankProject(const QString& dir, int size);
/** The sample project (seed 5, 96 px, `count` images) with every mask removed: boxes are all it has. */
void makeUnlabelledSample(const QString& dir, int count);
/** An imported-boxes project in tempDir(name) (`count` sample images): every image coarse, its mask the coarse one; empty when the import fails. */
QString coarseProject(const QString& name, int count);
bool sameBytes(const cv::Mat& a, const cv::Mat& b);
double iou(const cv::Mat& a, const cv::Mat& b);

} // namespace test
} // namespace mf
