#include "batchrefiner.h"

#include "io/imageio.h"
#include "qtcv.h"
#include "review/refinement.h"

#include <QtConcurrent>

namespace mf {

BatchRefiner::BatchRefiner(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcher<Outcome>::resultReadyAt, this, &BatchRefiner::resultReady);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &BatchRefiner::done);
    connect(&m_watcher, &QFutureWatcher<Outcome>::progressValueChanged, this,
            [this](int v) { Q_EMIT progress(v, m_watcher.progressMaximum()); });
}

BatchRefiner::~BatchRefiner() {
    m_active = false;
    m_watcher.cancel();
    m_watcher.waitForFinished();
}

int BatchRefiner::start(const Project& project, const std::set<std::string>& skip) {
    if (isRunning())
        return 0;
    QList<Job> jobs;
    for (int i = 0; i < static_cast<int>(project.images().size()); ++i) {
        const ImageEntry& e = project.images()[i];
        if (!refinementSource(e).empty() && !skip.count(e.image))
            jobs.push_back({i, e});
    }
    if (jobs.isEmpty())
        return 0;
    m_errors.clear();
    m_handled.clear();
    m_refined = 0;
    m_active = true;
    // The jobs share one copy of the project: the window may close or open another one meanwhile.
    auto snapshot = std::make_shared<const Project>(project);
    m_watcher.setFuture(QtConcurrent::mapped(jobs, [snapshot](const Job& j) { return run(*snapshot, j); }));
    return static_cast<int>(jobs.size());
}

BatchRefiner::Outcome BatchRefiner::run(const Project& project, const Job& job) {
    Outcome out;
    out.row = job.row;
    try {
        const cv::Mat image = readImageRgb(project.absolute(job.entry.image));
        const CoarseStart start = readCoarseStart(project, job.entry);
        if (start.coarse.size() != image.size())
            throw FileError(project.absolute(refinementSource(job.entry)), "coarse mask size differs from its image's");
        const RefinementProposal p = grabCutProposal(image, start);
        out.entry = writeProposal(project.root(), job.entry.image, kGrabCutOrigin, p.candidate, start.coarse);
        out.entry.emptyBoxes = p.emptyBoxes;
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

void BatchRefiner::resultReady(int at) {
    if (!m_active || m_handled.contains(at))
        return;
    m_handled.insert(at);
    const Outcome o = m_watcher.resultAt(at);
    if (!o.error.empty()) {
        m_errors << toQString(o.error);
        return;
    }
    ++m_refined;
    Q_EMIT imageRefined(o.row, o.entry);
}

void BatchRefiner::stop() {
    if (!m_active)
        return;
    m_watcher.cancel();
    m_watcher.waitForFinished();
    const QFuture<Outcome> f = m_watcher.future();
    for (int i = 0; i < f.resultCount(); ++i)
        if (f.isResultReadyAt(i))
            resultReady(i);
    done();
}

void BatchRefiner::done() {
    if (!m_active)
        return;  // stop() has said it already
    m_active = false;
    Q_EMIT finished(m_refined, m_errors);
}

} // namespace mf
