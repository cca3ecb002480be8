// The GUI's batch refinement marks the images whose every class kept its boxes on the reviewed images
// refined, as `refine --accept` does (review/keptboxes.h): they are decided labels, and `plan` then trains
// them from their masks. An image with a class no reviewed image holds stays coarse; changed images are
// proposed as before and keep their status until accepted.
#include "tempsettings.h"
#include "uitesthelpers.h"

#include "../review/keptboxessample.h"
#include "mainwindow/mainwindow.h"
#include "project/project.h"
#include "reviewqueue/batchrefiner.h"
#include "reviewqueue/reviewqueuemodel.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <filesystem>

using namespace mf;
using namespace mf::test;

class BatchKeptTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        useTemporarySettings();
        QStandardPaths::setTestModeEnabled(true);
    }

    void imagesWhoseBoxesWonOnTheEvidenceBecomeRefined() {
        const QString dir = tempDir("batch_kept");
        makeKeptBoxesProject(dir.toStdString());
        auto w = openWindow(dir);
        QVERIFY(w);
        QSignalSpy finished(w->batchRefiner(), &BatchRefiner::finished);
        QSignalSpy kept(w->batchRefiner(), &BatchRefiner::boxesKept);
        w->refineAllCoarse();
        QCOMPARE(w->batchRefiner()->mode(), BatchRefiner::Mode::Auto);
        QVERIFY(finished.wait(120000));
        QCOMPARE(kept.size(), 1);
        QCOMPARE(w->reviewQueue()->size(), 3);  // tile16..18: the crack changes
        const Project after = Project::load(dir.toStdString());
        for (const ImageEntry& e : after.images()) {
            const std::string stem = std::filesystem::path(e.image).stem().string();
            const ImageStatus want = stem < "tile13"                        ? ImageStatus::Reviewed
                                     : stem == "tile13" || stem == "tile14" ? ImageStatus::Refined
                                                                            : ImageStatus::Coarse;
            QVERIFY2(e.status == want, (stem + ": " + toString(e.status)).c_str());
        }
        // The window's project (and so the open document and the dataset list) says the same.
        for (const ImageEntry& e : w->project()->images())
            if (e.image == "images/tile13.png")
                QVERIFY(e.status == ImageStatus::Refined);
    }
};

QTEST_MAIN(BatchKeptTest)
#include "test_batchkept.moc"
