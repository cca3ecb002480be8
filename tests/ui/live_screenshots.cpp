// Not a test: screenshots of the live classifier mode at work, from the running program (run it under
// Xvfb at 1366x768). Strokes follow the true mask given (a person painting inside each class: the true
// classes eroded by 2 px, along three short rows), painted through the tool on the project's first image;
// then the proposal, Enter, and the second image predicted from the first one's strokes. Nothing is saved
// but the strokes (in the project's .maskforge/strokes).
// Usage: live-screenshots <project> <truth-mask-of-image-0> <out-dir> [tile-size]   (truth: 0 = membrane, 255 = cell;
// a tile size under the image's, e.g. 128, shows the proposal assembled from tiles pasted as they arrive)
#include "screenshotutil.h"

#include "canvas/canvas.h"
#include "io/imageio.h"
#include "mainwindow/mainwindow.h"
#include "canvas/maskdocument.h"
#include "tools/toolsettings.h"
#include "tools/liveclassifiertool.h"
#include "training/studio.h"

#include <QApplication>
#include <QDir>
#include <QScreen>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstdlib>

using namespace mf;
using namespace mf::test;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: live-screenshots <project> <truth-mask> <out-dir> [tile-size]\n");
        return 2;
    }
    const QString out = argv[3];
    QDir().mkpath(out);
    const cv::Mat raw = readMask(argv[2], MaskEncoding::Index);
    cv::Mat truth(raw.size(), CV_8UC1, cv::Scalar(0));
    truth.setTo(1, raw == 0);  // membrane: class 1
    MainWindow w;
    w.setInteractive(false);
    auto* studio = new Studio(&w);  // as the program has it (app/gui/main.cpp): the same menus and docks
    studio->setInteractive(false);
    w.move(0, 0);
    w.restoreLayout();  // before the size, as app/gui/main.cpp: the docks laid out as a user sees them
    w.resize(QApplication::primaryScreen()->availableSize());
    w.show();
    if (argc > 4) {
        LiveClassifierOptions o;
        o.tileSize = std::atoi(argv[4]);
        w.liveClassifierTool()->setClassifierOptions(o);
    }
    if (!w.openProject(argv[1]) || !w.showImage(0))
        return 1;
    w.canvas()->fitToWindow();
    LiveClassifierTool* tool = w.liveClassifierTool();
    w.activateTool(tool);
    tool->clearStrokes();
    w.toolSettings()->setBrushRadius(1.0F);
    // Cells: runs inside them (eroded by 2 px) along three rows; membranes (3-5 px thin): their pixels
    // where those rows and three columns cross them, as a person marks a few membranes.
    const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5});
    cv::Mat cells;
    cv::erode(truth == 0, cells, kernel);
    const cv::Mat membranes = truth == 1;
    auto strokeRuns = [&](const cv::Mat& inside, int cls, bool horizontal, int at) {
        int start = -1;
        for (int t = 40; t <= 300; ++t) {
            const bool in = t < 300 && (horizontal ? inside.at<uchar>(at, t) : inside.at<uchar>(t, at));
            if (in && start < 0)
                start = t;
            if (!in && start >= 0) {
                const QPointF a = horizontal ? QPointF(start + 0.5, at + 0.5) : QPointF(at + 0.5, start + 0.5);
                const QPointF b = horizontal ? QPointF(t - 0.5, at + 0.5) : QPointF(at + 0.5, t - 0.5);
                tool->paintStroke(a, b, cls, true);
                start = -1;
            }
        }
    };
    for (int y : {90, 250, 410}) {
        strokeRuns(cells, 0, true, y);
        strokeRuns(membranes, 1, true, y);
    }
    for (int x : {100, 200, 300})
        strokeRuns(membranes, 1, false, x);
    if (!waitFor([&] { return !tool->isBusy() && tool->hasProposal(); }, 60000))
        return 1;
    const cv::Mat p = tool->proposal();
    const double inter = cv::countNonZero((p == 1) & (truth == 1)), uni = cv::countNonZero((p == 1) | (truth == 1));
    std::printf("image 0: %d stroke pixels, membrane IoU %.3f, update %.0f ms\n",
                cv::countNonZero(tool->strokes() != 255), inter / uni, tool->lastUpdateSeconds() * 1000);
    shot(out + "/live-proposal.png", 400);
    QCoreApplication::processEvents();
    tool->acceptAll();
    shot(out + "/live-accepted.png", 400);
    w.document()->undo();  // nothing saved
    if (!w.showImage(1))
        return 1;
    if (!waitFor([&] { return !tool->isBusy() && tool->hasProposal(); }, 60000))
        return 1;
    shot(out + "/live-next-image.png", 400);
    return 0;
}
