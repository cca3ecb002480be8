// Not a test: screenshots of the click segmentation tool at work, from the running program (run it under
// Xvfb at 1366x768). The clicks are the simulated user's (core/interactive/clickprotocol.h) on the
// project's first image, against its mask, which is cleared first (nothing is saved).
// Usage: click-screenshots <project> <out-dir>
#include "screenshotutil.h"

#include "canvas/canvas.h"
#include "interactive/clickprotocol.h"
#include "mainwindow/mainwindow.h"
#include "canvas/maskdocument.h"
#include "tools/toolsettings.h"
#include "tools/clicksegmenttool.h"

#include <QApplication>
#include <QDir>
#include <QScreen>

#include <cstdio>

using namespace mf;
using namespace mf::test;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: click-screenshots <project> <out-dir>\n");
        return 2;
    }
    const QString out = argv[2];
    QDir().mkpath(out);
    MainWindow w;
    w.setInteractive(false);
    w.move(0, 0);
    w.restoreLayout();  // before the size, as app/gui/main.cpp: the docks laid out as a user sees them
    w.resize(QApplication::primaryScreen()->availableSize());
    w.show();
    // The second image first, where the tool is picked: nothing is changed there, so opening the first
    // image afterwards writes nothing.
    if (!w.openProject(argv[1]) || !w.showImage(1))
        return 1;
    ClickSegmentTool* tool = w.clickSegmentTool();
    w.activateTool(tool);
    // Where the project has reviewed masks the tool learns its click model first (issue 19): the clicks
    // below are then the model's.
    if (tool->isLearning() && !waitFor([&] { return !tool->isLearning(); }, 900000))
        return 1;
    if (tool->clickModelImages() > 0)
        std::printf("click model learnt from %d reviewed image(s)\n", tool->clickModelImages());
    if (!waitFor([&] { return !tool->isBusy(); }, 60000) || !w.showImage(0))
        return 1;
    w.canvas()->fitToWindow();
    // The first image is prepared for clicks as it opens (the click model's filter bank): the status line.
    if (tool->isPreparing())
        shot(out + "/preparing.png", 40);
    std::printf("preparing the opened image: %s\n", tool->isPreparing() ? "still running at the grab" : "done");
    const cv::Mat labels = w.document()->mask().clone();
    cv::Mat truth = cv::Mat::zeros(labels.size(), CV_8UC1);
    truth.setTo(1, (labels != 0) & (labels != kIgnoreLabel));
    truth.setTo(kIgnoreLabel, labels == kIgnoreLabel);
    w.document()->applyObject(labels != 0, 0, "clear");  // the person starts from nothing
    w.toolSettings()->setActiveClass(1);
    cv::Mat prediction = cv::Mat::zeros(truth.size(), CV_8UC1), clicked = prediction.clone();
    for (int k = 1; k <= 5; ++k) {
        Click c;
        if (!nextClick(prediction, truth, clicked, c))
            break;
        clicked.at<uchar>(c.pos) = 1;
        tool->addClick(QPoint(c.pos.x, c.pos.y), c.positive);
        if (!waitFor([&] { return !tool->isBusy() && tool->hasPreview(); }, 30000))
            return 1;
        prediction = tool->result();
        std::printf("click %d (%s): IoU %.3f\n", k, c.positive ? "object" : "background", clickIoU(prediction, truth));
        if (k == 1 || k == 3 || k == 5)
            shot(QString("%1/click-%2.png").arg(out).arg(k), 400);
    }
    tool->accept();
    shot(out + "/click-accepted.png", 400);
    // Nothing of this run stays on disk: the cleared and accepted mask was autosaved meanwhile, and a later run
    // on the same project would restore it (an empty first image, no click to make).
    w.document()->discardAutosaved();
    return 0;
}
