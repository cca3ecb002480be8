#include "reviewqueue/batchrefiner.h"

#include "io/cancelled.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "common/qtcv.h"
#include "review/keptboxes.h"
#include "review/refinement.h"
#include "review/reviewqueue.h"

#include <QThread>

#include <algorithm>
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
    bool kept = false;  ///< auto: every class of the image kept its boxes, nothing to propose
    std::string decided;  ///< ...on the reviewed images' evidence (keptboxes.h): this image, to be marked refined
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
    Mode mode = Mode::GrabCut;
    std::vector<Job> jobs;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> cancel{false};  ///< the same as `cancelled`, read without the lock by the auto pass
    std::mutex mutex;
    bool cancelled = false;
    int working = 0;  ///< workers that have not returned
    std::deque<Outcome> ready;
    std::deque<std::string> messages;
    std::unique_ptr<RefinementReport> report;  ///< auto's, until the GUI takes it

    /** Hands `o` over, or deletes its candidate when the batch was cancelled meanwhile; false then. */
    bool handOver(Outcome o) {
        std::lock_guard<std::mutex> lock(mutex);
        if (cancelled) {
            removeCandidate(*project, o);
            return false;
        }
        ready.push_back(std::move(o));
        return true;
    }

    void work() {
        for (std::size_t i = next++; i < jobs.size(); i = next++) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                if (cancelled)
                    break;
            }
            if (!handOver(refineOne(*project, jobs[i])))
                break;
        }
        std::lock_guard<std::mutex> lock(mutex);
        --working;
    }

    void say(const std::string& text) {
        std::lock_guard<std::mutex> lock(mutex);
        messages.push_back(text);
    }

    /** Auto: the CLI's refinement pass on the reviewed images' evidence (its own parallelism inside),
     *  then a proposal for every image whose labels change. */
    void autoWork() {
        try {
            autoPass();
        } catch (const Cancelled&) {
            // stopped: what was handed over stays, nothing more is written
        } catch (const std::exception& e) {
            handOver({e.what(), {}, false, {}});
        }
        std::lock_guard<std::mutex> lock(mutex);
        --working;
    }

    void autoPass() {
        const RefineSay tell = [this](const std::string& t) { say(t); };
        std::vector<const ImageEntry*> targets;
        for (const Job& j : jobs)
            targets.push_back(&j.entry);
        std::vector<std::string> problems;
        std::vector<RefineItem> items = loadRefineItems(*project, targets, {}, problems, tell);
        int loaded = 0;
        for (const RefineItem& w : items)
            loaded += w.target ? 1 : 0;
        // An image that cannot be read, or whose boxes name a class the project lacks, is left out and said.
        for (const std::string& p : problems)
            handOver({p, {}, false, {}});
        RefinePassOptions o;
        if (!hasTrustedMask(items)) {  // the reviewed images could not be read (said among the errors)
            o.method = "grabcut";
            tell("no reviewed image could be read: GrabCut for every class (the default)");
        }
        o.cancel = &cancel;
        o.say = tell;
        o.projectName = project->root();
        std::vector<std::string> failed;
        RefinementReport r = runRefinementPass(*project, items, o, failed);
        if (!failed.empty()) {
            for (const std::string& f : failed)
                handOver({f, {}, false, {}});
            for (int i = 0; i < loaded; ++i)
                handOver({std::string(), {}, true, {}});
            return;
        }
        if (o.method == kAutoMethod) {
            std::lock_guard<std::mutex> lock(mutex);
            report = std::make_unique<RefinementReport>(r);
        }
        int unchanged = 0;
        const std::vector<std::string> decided = boxesKeptOnEvidence(items, r.choices, o.method);
        const std::vector<std::size_t> changed = changedTargets(items, r.choices, unchanged);
        if (!decided.empty())
            say(std::to_string(decided.size()) + " image(s) where every class kept its boxes on the reviewed images: "
                "marked refined (their box fills are decided labels; masks unchanged)\n");
        for (int i = 0; i < unchanged; ++i)
            if (!handOver({std::string(), {}, true, i < static_cast<int>(decided.size()) ? decided[i] : std::string()}))
                return;
        const std::string origin = o.method == kAutoMethod ? refinementOrigin(kAutoMethod, r.choices) : std::string(kGrabCutOrigin);
        for (std::size_t i : changed) {
            if (cancel.load())
                return;
            const RefineItem& w = items[i];
            const RefinementProposal& p = w.proposals.at("final");
            Outcome out;
            try {
                out.entry = writeProposal(project->root(), w.image, origin, p.candidate, w.start.coarse, w.start.boxes);
                out.entry.emptyBoxes = p.emptyBoxes;
            } catch (const std::exception& e) {
                out.error = e.what();
            }
            if (!handOver(std::move(out)))
                return;
        }
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
        s->cancel = true;
        std::lock_guard<std::mutex> lock(s->mutex);
        s->cancelled = true;
        for (const Outcome& o : s->ready)
            removeCandidate(*s->project, o);  // never handed over: nothing may point at them
        s->ready.clear();
    }
    m_pool.waitForDone();  // the window is gone; the running jobs stop at their next image and delete their own candidates
}

int BatchRefiner::reviewedEvidence(const Project& project) {
    int n = 0;
    for (const ImageEntry& e : project.images())
        n += e.status == ImageStatus::Reviewed && !e.mask.empty() && !e.coarse.empty() ? 1 : 0;
    return n;
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
    s->mode = reviewedEvidence(project) > 0 ? Mode::Auto : Mode::GrabCut;
    m_mode = s->mode;
    m_report = RefinementReport();
    m_hasReport = false;
    m_errors.clear();
    m_refined = m_done = 0;
    m_total = static_cast<int>(s->jobs.size());
    m_state = s;
    startWorkers(s);
    m_poll.start();
    Q_EMIT progress(0, m_total);
    return m_total;
}

void BatchRefiner::startWorkers(const std::shared_ptr<State>& s) {
    if (s->mode == Mode::Auto) {
        s->working = 1;  // one pass; it runs its images in parallel itself
        m_pool.start([s] { s->autoWork(); });
        return;
    }
    const int workers = std::min(m_pool.maxThreadCount(), m_total);
    s->working = workers;
    for (int i = 0; i < workers; ++i)
        m_pool.start([s] { s->work(); });
}

void BatchRefiner::deliver(int limit) {
    const std::shared_ptr<State> s = m_state;  // a slot below may stop this batch (or start another)
    if (!s)
        return;
    std::vector<Outcome> taken;
    std::deque<std::string> messages;
    std::unique_ptr<RefinementReport> report;
    bool over = false;
    {
        std::lock_guard<std::mutex> lock(s->mutex);
        messages.swap(s->messages);
        report = std::move(s->report);
        while (!s->ready.empty() && static_cast<int>(taken.size()) < limit) {
            taken.push_back(std::move(s->ready.front()));
            s->ready.pop_front();
        }
        over = s->cancelled ? s->ready.empty() : (s->working == 0 && s->ready.empty());
    }
    for (const std::string& m : messages)
        Q_EMIT message(toQString(m).trimmed());
    if (report && m_state == s) {
        m_report = std::move(*report);
        m_hasReport = true;
        Q_EMIT reportReady();
    }
    QList<ReviewEntry> entries;
    QStringList decided;
    for (const Outcome& o : taken) {
        if (o.kept) {
            if (!o.decided.empty())
                decided << toQString(o.decided);
            continue;
        }
        if (o.error.empty())
            entries.push_back(o.entry);
        else
            m_errors << toQString(o.error);
    }
    m_done += static_cast<int>(taken.size());
    m_refined += static_cast<int>(entries.size());
    if (!entries.isEmpty())
        Q_EMIT imagesRefined(entries);
    if (!decided.isEmpty())
        Q_EMIT boxesKept(decided);
    if (!taken.empty())
        Q_EMIT progress(std::min(m_done, m_total), m_total);
    if (over && m_state == s) {
        if (m_done < m_total && !s->cancelled)
            Q_EMIT progress(m_total, m_total);  // auto: images left out for a problem are said among the errors
        m_poll.stop();
        m_state.reset();
        Q_EMIT finished(m_refined, m_errors);
    }
}

void BatchRefiner::stop() {
    if (!m_state)
        return;
    m_state->cancel = true;
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->cancelled = true;
    }
    // What finished before the cancel is on disk: it joins the queue, however many it is.
    deliver(std::numeric_limits<int>::max());
}

} // namespace mf
