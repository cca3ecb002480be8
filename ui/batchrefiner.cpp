#include "batchrefiner.h"

#include "edit/boximport.h"
#include "edit/boxrefiner.h"
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "qtcv.h"

#include <QFileInfo>
#include <QLocale>
#include <QtConcurrent>

namespace mf {

BatchRefiner::BatchRefiner(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcher<Outcome>::resultReadyAt, this, &BatchRefiner::resultReady);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &BatchRefiner::done);
    connect(&m_watcher, &QFutureWatcher<Outcome>::progressValueChanged, this,
            [this](int v) { Q_EMIT progress(v, m_watcher.progressMaximum()); });
}

BatchRefiner::~BatchRefiner() {
    m_watcher.cancel();
    m_watcher.waitForFinished();
}

int BatchRefiner::start(Project* project, int skipRow) {
    if (isRunning() || !project)
        return 0;
    m_project = project;
    m_errors.clear();
    m_refined = 0;
    QList<Job> jobs;
    for (int i = 0; i < static_cast<int>(project->images().size()); ++i) {
        ImageEntry& e = project->images()[i];
        if (i == skipRow || e.status != ImageStatus::Coarse || e.coarse.empty())
            continue;
        if (e.mask.empty())
            e.mask = "masks/" + QFileInfo(toQString(e.image)).completeBaseName().toStdString() + ".png";
        jobs.push_back({i, project->absolute(e.image), e.coarse, e.boxes, project->absolute(e.mask)});
    }
    if (jobs.isEmpty())
        return 0;
    // The worker reads the project only for paths fixed above, and writes only its own image's mask.
    const Project* readOnly = project;
    m_watcher.setFuture(QtConcurrent::mapped(jobs, [readOnly](const Job& j) { return run(readOnly, j); }));
    return static_cast<int>(jobs.size());
}

void BatchRefiner::cancel() { m_watcher.cancel(); }

BatchRefiner::Outcome BatchRefiner::run(const Project* project, const Job& job) {
    Outcome out;
    out.row = job.row;
    try {
        const cv::Mat image = readImageRgb(job.image);
        const cv::Mat coarse = readMask(project->absolute(job.coarse), project->maskEncoding());
        ImageEntry entry;
        entry.boxes = job.boxes;
        cv::Mat refined = coarse.clone();
        for (const DetectionBox& b : imageBoxes(*project, entry, coarse))
            applyRefinement(refined, refineBox(image, {}, b.rect, b.classId));
        makeDirs(QFileInfo(toQString(job.output)).absolutePath().toStdString());
        writeMaskAtomic(job.output, refined, project->maskEncoding());
        const cv::Mat diff = refined != coarse;
        out.changed = cv::countNonZero(diff);
        bool seen[256] = {};
        for (const cv::Mat* m : {&coarse, static_cast<const cv::Mat*>(&refined)})
            for (int y = 0; y < diff.rows; ++y)
                for (int x = 0; x < diff.cols; ++x)
                    if (diff.at<uchar>(y, x))
                        seen[m->at<uchar>(y, x)] = true;
        for (int c = 1; c < 256; ++c)
            if (seen[c])
                out.classes.push_back(c);
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

void BatchRefiner::resultReady(int at) {
    const Outcome o = m_watcher.resultAt(at);
    if (!o.error.empty()) {
        m_errors << toQString(o.error);
        return;
    }
    m_project->images()[o.row].status = ImageStatus::Refined;
    ++m_refined;
    Q_EMIT imageRefined(o.row, summary(o));
}

QString BatchRefiner::summary(const Outcome& o) const {
    QStringList names;
    for (int c : o.classes) {
        const ClassInfo* info = m_project->findClass(c);
        names << (info ? toQString(info->name) : QString::number(c));
    }
    const QString changed = tr("%1 px changed").arg(QLocale().toString(o.changed));
    return names.isEmpty() ? changed : QString("%1: %2").arg(changed, names.join(", "));
}

void BatchRefiner::done() {
    try {
        m_project->save();
    } catch (const std::exception& e) {
        m_errors << toQString(e.what());
    }
    Q_EMIT finished(m_refined, m_errors);
}

} // namespace mf
