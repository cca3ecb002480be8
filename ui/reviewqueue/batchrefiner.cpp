#include "reviewqueue/batchrefiner.h"

#include "io/imageio.h"
#include "common/qtcv.h"
#include "review/refinement.h"

#include <QThread>

#include <atomic>
#include <deque>
#include <filesystem>
#include <limits>
#include <mutex>

namespace mf {

namespace {
struct Job {
    int row = -1;
    ImageEntry entry;  ///< as it was when the batch started
};
struct Outcome {
    std::string error;
    ReviewEntry entry;
};

Outcome refineOne(const Project& project, const Job& job) {
    Outcome out;
    try {
        const cv::Mat image = readImageRgb(project.absolute(job.entry.image));
        const CoarseStart start = readCoarseStart(project, job.entry);
        if (start.coarse.size() != image.size())
            throw FileError(project.absolute(refinementSource(job.entry)), "coarse mask size differs from its image's");
        const RefinementProposal p = grabCutProposal(image, start);
        out.entry = writeProposal(project.root(), job.entry.image, kGrabCutOrigin, p.candidate, start.coarse, start.boxes);
        out.entry.emptyBoxes = p.emptyBoxes;
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

void removeCandidate(const Project& project, const Outcome& o) {
    std::error_code ignored;
    if (o.error.empty() && !o.entry.candidate.empty())
        std::filesystem::remove(project.absolute(o.entry.candidate), ignored);
}
} // namespace

/** What the workers and the GUI share for one batch. A result crosses under the mutex: once
 *  `cancelled` is set, a worker deletes its candidate instead of handing it over. */
struct BatchRefiner::State {
    std::shared_ptr<const Project> project;
    std::vector<Job> jobs;
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    bool cancelled = false;
    int working = 0;  ///< workers that have not returned
    std::deque<Outcome> ready;

    void work() {
        for (std::size_t i = next++; i < jobs.size(); i = next++) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (cancelled)
                    break;
            }
            Outcome o = refineOne(*project, jobs[i]);
            std::lock_guard<std::mutex> lock(mutex);
            if (cancelled) {
                removeCandidate(*project, o);
                break;
            }
            ready.push_back(std::move(o));
        }
        std::lock_guard<std::mutex> lock(mutex);
        --working;
    }
};

BatchRefiner::BatchRefiner(QObject* parent) : QObject(parent) {
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount() - 1));
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, [this] { deliver(kMaxBatch); });
}

BatchRefiner::~BatchRefiner() {
    std::shared_ptr<State> s = std::move(m_state);
    if (s) {
        std::lock_guard<std::mutex> lock(s->mutex);
        s->cancelled = true;
        for (const Outcome& o : s->ready)
            removeCandidate(*s->project, o);  // never handed over: nothing may point at them
        s->ready.clear();
    }
    m_pool.waitForDone();  // the window is gone; the running jobs delete their own candidates
}

int BatchRefiner::start(const Project& project, const std::set<std::string>& skip) {
    if (isRunning())
        return 0;
    auto s = std::make_shared<State>();
    for (int i = 0; i < static_cast<int>(project.images().size()); ++i) {
        const ImageEntry& e = project.images()[i];
        if (!refinementSource(e).empty() && !skip.count(e.image))
            s->jobs.push_back({i, e});
    }
    if (s->jobs.empty())
        return 0;
    // The jobs share one copy of the project: the window may close or open another one meanwhile.
    s->project = std::make_shared<const Project>(project);
    m_errors.clear();
    m_refined = m_done = 0;
    m_total = static_cast<int>(s->jobs.size());
    m_state = s;
    const int workers = std::min(m_pool.maxThreadCount(), m_total);
    s->working = workers;
    for (int i = 0; i < workers; ++i)
        m_pool.start([s] { s->work(); });
    m_poll.start();
    Q_EMIT progress(0, m_total);
    return m_total;
}

void BatchRefiner::deliver(int limit) {
    const std::shared_ptr<State> s = m_state;  // a slot below may stop this batch (or start another)
    if (!s)
        return;
    std::vector<Outcome> taken;
    bool over = false;
    {
        std::lock_guard<std::mutex> lock(s->mutex);
        while (!s->ready.empty() && static_cast<int>(taken.size()) < limit) {
            taken.push_back(std::move(s->ready.front()));
            s->ready.pop_front();
        }
        over = s->cancelled ? s->ready.empty() : (s->working == 0 && s->ready.empty());
    }
    QList<ReviewEntry> entries;
    for (const Outcome& o : taken) {
        if (o.error.empty())
            entries.push_back(o.entry);
        else
            m_errors << toQString(o.error);
    }
    m_done += static_cast<int>(taken.size());
    m_refined += static_cast<int>(entries.size());
    if (!entries.isEmpty())
        Q_EMIT imagesRefined(entries);
    if (!taken.empty())
        Q_EMIT progress(m_done, m_total);
    if (over && m_state == s) {
        m_poll.stop();
        m_state.reset();
        Q_EMIT finished(m_refined, m_errors);
    }
}

void BatchRefiner::stop() {
    if (!m_state)
        return;
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->cancelled = true;
    }
    // What finished before the cancel is on disk: it joins the queue, however many it is.
    deliver(std::numeric_limits<int>::max());
}

} // namespace mf
