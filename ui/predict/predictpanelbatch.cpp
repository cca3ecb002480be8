// PredictPanel: the batch jobs (whole-dataset prediction, model-assisted refinement) and the
// refined training set.
#include "predict/predictpanel.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "project/project.h"
#include "review/refinement.h"
#include "review/reviewqueue.h"

#include <QDir>
#include <QLabel>
#include <QPushButton>

#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace mf {
namespace {

/** Where a coarse image's proposal starts from: its box fill and its YOLO box file, if any. */
struct CoarseSource {
    std::string coarse, boxes;
    MaskEncoding encoding;  // the project's
};

cv::Mat proposeRefinement(ImagePrediction& p, const CoarseSource& src) {
    const CoarseStart start = readCoarseStart(src.coarse, src.boxes, src.encoding);
    const RefinementProposal r = modelProposal(p.labels, start);
    p.proposedOver = start.coarse;
    p.changedPixels = r.changedPixels;
    p.emptyBoxes = r.emptyBoxes;
    return r.candidate;
}

} // namespace

void PredictPanel::predictDataset() {
    if (!requireRun())
        return;
    std::vector<PredictItem> items;
    for (int row = 0; row < static_cast<int>(m_project->images().size()); ++row)
        items.push_back(itemOf(row));
    const fs::path outDir = fs::path(run().toStdString()) / "predictions";
    m_status->setText(tr("Predicting %n image(s) into %1…", nullptr, static_cast<int>(items.size()))
                          .arg(QString::fromStdString(outDir.string())));
    if (m_service->isBusy()) {
        m_status->setText(tr("A prediction job is running; wait for it or cancel it."));
        return;
    }
    m_cancel->setEnabled(true);
    m_batchGeneration = m_generation;
    m_service->predictBatch(items, [outDir](ImagePrediction& p) {
        makeDirs(outDir.string());
        writeMaskAtomic((outDir / (fs::path(p.image.toStdString()).stem().string() + ".png")).string(), p.labels);
        p.probabilities.clear();  // a whole dataset of probability maps would not fit in memory
        p.rgb.release();
    });
}

void PredictPanel::refineCoarse() {
    if (!requireRun())
        return;
    std::vector<PredictItem> items;
    std::map<int, CoarseSource> sources;
    for (int row = 0; row < static_cast<int>(m_project->images().size()); ++row) {
        const ImageEntry& e = m_project->images()[row];
        const std::string coarse = refinementSource(e);
        if (coarse.empty())
            continue;
        items.push_back({row, QString::fromStdString(m_project->absolute(e.image)), {}, m_project->maskEncoding()});
        sources[row] = {m_project->absolute(coarse), e.boxes.empty() ? std::string() : m_project->absolute(e.boxes),
                        m_project->maskEncoding()};
    }
    if (items.empty()) {
        m_status->setText(tr("No image has the status coarse: nothing to refine."));
        return;
    }
    if (m_service->isBusy()) {
        m_status->setText(tr("A prediction job is running; wait for it or cancel it."));
        return;
    }
    m_status->setText(tr("Refining %n coarse mask(s)…", nullptr, static_cast<int>(items.size())));
    m_cancel->setEnabled(true);
    // What the batch was started for: a result is queued only for this project (same generation) and
    // for the image it was predicted from (same path at that row), never by row number alone.
    const int generation = m_generation;
    std::map<int, std::string> imageOf;
    for (const PredictItem& item : items)
        imageOf[item.row] = m_project->images()[item.row].image;
    const std::string origin = QDir(run()).dirName().toStdString();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(m_service, &PredictionService::itemDone, this, [this, generation, imageOf, origin](const ImagePrediction& p) {
        if (generation != m_generation || !m_project || !p.error.isEmpty() || p.candidate.empty())
            return;
        const auto it = imageOf.find(p.row);
        if (it == imageOf.end() || p.row >= static_cast<int>(m_project->images().size()) ||
            m_project->images()[p.row].image != it->second)
            return;
        try {
            ReviewEntry entry = writeProposal(m_project->root(), it->second, origin, p.candidate, p.proposedOver,
                                              boxesFromMask(p.proposedOver));
            entry.emptyBoxes = p.emptyBoxes;
            Q_EMIT proposalReady(entry);
        } catch (const std::exception& e) {
            m_status->setText(QString::fromUtf8(e.what()));
        }
    });
    connect(m_service, &PredictionService::batchFinished, this, [connection] { QObject::disconnect(*connection); },
            Qt::SingleShotConnection);
    m_batchGeneration = m_generation;
    m_service->predictBatch(items, [sources](ImagePrediction& p) {
        p.candidate = proposeRefinement(p, sources.at(p.row));
        p.probabilities.clear();
        p.rgb.release();
    });
}

QString PredictPanel::trainOnRefined() {
    if (!m_project)
        return {};
    Project refined = *m_project;
    auto& images = refined.images();
    images.erase(std::remove_if(images.begin(), images.end(),
                                [](const ImageEntry& e) {
                                    return e.status != ImageStatus::Refined && e.status != ImageStatus::Reviewed;
                                }),
                 images.end());
    if (images.empty()) {
        m_status->setText(tr("No refined or reviewed image yet: accept some proposals first."));
        return {};
    }
    const QString path = QDir(QString::fromStdString(m_project->root())).filePath("refined-set.json");
    try {
        writeFileAtomic(path.toStdString(), refined.toJson());
    } catch (const std::exception& e) {
        m_status->setText(QString::fromUtf8(e.what()));
        return {};
    }
    m_status->setText(tr("Training set of %n refined image(s): %1", nullptr, static_cast<int>(images.size())).arg(path));
    Q_EMIT trainOnRequested(path);
    return path;
}

} // namespace mf
