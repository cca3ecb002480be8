#include "training/trainingpanel.h"

#include "charts/trainingcharts.h"
#include "files/dialogdirs.h"
#include "project/project.h"
#include "training/trainingform.h"
#include "training/trainingrunner.h"
#include "plan/speedprobe.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>

namespace mf {
namespace {

QString duration(double seconds) {
    const int s = static_cast<int>(seconds + 0.5);
    return s >= 3600 ? QString("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'))
                     : QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

QStringList classNamesOf(const std::string& data) {
    QStringList names;
    try {
        const Project project = Project::load(data);
        for (const ClassInfo& c : project.classes())
            names << QString::fromStdString(c.name);
    } catch (const std::exception&) {
        // A plain images/ + masks/ folder has no class names: the charts number the classes.
    }
    return names;
}

QString freshRunDir(const QString& runsDir, const TrainConfig& c) {
    const QString stem = QString::fromStdString(c.arch) + (c.attention ? "-att" : "") + "-" +
                         QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    QString dir = QDir(runsDir).filePath(stem);
    for (int i = 2; QFileInfo::exists(dir); ++i)
        dir = QDir(runsDir).filePath(stem + "-" + QString::number(i));
    return dir;
}

} // namespace

TrainingPanel::TrainingPanel(QWidget* parent)
    : QWidget(parent), m_form(new TrainingForm), m_charts(new TrainingCharts), m_runner(new TrainingRunner(this)) {
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_form);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(m_form->sizeHint().width() + 24);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scroll);
    split->addWidget(buildControls());
    split->setStretchFactor(1, 1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);

    restoreLastConfig();
    connect(m_runner, &TrainingRunner::started, this, &TrainingPanel::onStarted);
    connect(m_runner, &TrainingRunner::stepsDone, this, &TrainingPanel::onSteps);
    connect(m_runner, &TrainingRunner::epochDone, this, &TrainingPanel::onEpoch);
    connect(m_runner, &TrainingRunner::logLine, m_log, &QPlainTextEdit::appendPlainText);
    connect(m_runner, &TrainingRunner::pausedChanged, this, &TrainingPanel::updateButtons);
    connect(m_runner, &TrainingRunner::trainerPaused, this, [this](bool paused) {
        if (paused && m_runner->isPaused())
            m_status->setText(tr("Paused"));
    });
    connect(m_runner, &TrainingRunner::finished, this, &TrainingPanel::onFinished);
    updateButtons();
}

TrainingPanel::~TrainingPanel() { m_runner->shutdown(); }

QWidget* TrainingPanel::buildControls() {
    auto* w = new QWidget;
    auto* v = new QVBoxLayout(w);
    auto* row = new QHBoxLayout;
    m_start = new QPushButton(tr("Start"), w);
    m_pause = new QPushButton(tr("Pause"), w);
    m_stop = new QPushButton(tr("Stop"), w);
    auto* load = new QPushButton(tr("Load YAML…"), w);
    auto* save = new QPushButton(tr("Save YAML…"), w);
    auto* exportButton = new QPushButton(tr("Export charts…"), w);
    // Two rows: the six buttons side by side outgrew a laptop's Training dock.
    auto* files = new QHBoxLayout;
    for (QPushButton* b : {m_start, m_pause, m_stop})
        row->addWidget(b);
    row->addStretch(1);
    for (QPushButton* b : {load, save, exportButton})
        files->addWidget(b);
    files->addStretch(1);
    v->addLayout(row);
    v->addLayout(files);
    m_progress = new QProgressBar(w);
    m_progress->setFormat("%p%");
    m_status = new QLabel(tr("Idle"), w);
    m_status->setObjectName("trainingStatus");
    m_device = new QLabel(w);
    // A long status line ("epoch 3/30 · step 11/26 · loss … · ETA …") wraps: unwrapped it widened the
    // panel past a laptop's dock and its end ("CPU: 2 threads") was cut off behind a scroll bar.
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_device);
    v->addWidget(m_progress);
    v->addLayout(statusRow);
    m_log = new QPlainTextEdit(w);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setFont(QFont("monospace"));
    auto* split = new QSplitter(Qt::Vertical, w);
    split->addWidget(m_charts);
    split->addWidget(m_log);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    v->addWidget(split, 1);
    connect(m_start, &QPushButton::clicked, this, &TrainingPanel::startTraining);
    connect(m_pause, &QPushButton::clicked, this, &TrainingPanel::togglePause);
    connect(m_stop, &QPushButton::clicked, this, &TrainingPanel::stopTraining);
    connect(load, &QPushButton::clicked, this, &TrainingPanel::loadYaml);
    connect(save, &QPushButton::clicked, this, &TrainingPanel::saveYaml);
    connect(exportButton, &QPushButton::clicked, this, &TrainingPanel::exportCharts);
    return w;
}

QString TrainingPanel::runsDirFor(const QString& data) {
    const QFileInfo info(data);
    return QDir(info.isDir() ? info.absoluteFilePath() : info.absolutePath()).filePath("runs");
}

void TrainingPanel::setProject(const QString& projectDir) {
    const bool other = m_form->config().data != projectDir.toStdString();
    m_form->setData(projectDir);
    // The charts, log and messages belong to the previous project's last run; a run still training
    // keeps them (it goes on writing into its own folder).
    if (other && !isTraining()) {
        m_charts->reset({});
        m_log->clear();
        m_status->clear();
        m_device->clear();
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_runDir.clear();
        m_lastError.clear();
    }
}

void TrainingPanel::planThenStart() {
    PlanRequest request;
    request.data = m_form->config().data;
    request.val = m_form->config().val;
    if (request.data.empty()) {
        showError(tr("choose a project folder to train on"));
        return;
    }
    struct Outcome {
        TrainingPlan plan;
        std::string error;
    };
    m_planning = true;
    updateButtons();
    m_status->setText(tr("Planning the run from the data (fingerprint, a speed test)…"));
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        m_planning = false;
        const Outcome o = watcher->result();
        // Planned for a project that is no longer the form's (another one was opened meanwhile): the
        // plan describes other data, and nobody asked to train the new project.
        if (m_form->config().data != request.data) {
            m_status->setText(tr("The plan for %1 was dropped: another project was opened while it was being made.")
                                  .arg(QFileInfo(QString::fromStdString(request.data)).fileName()));
            updateButtons();
            return;
        }
        if (!o.error.empty()) {
            showError(QString::fromStdString(o.error));
            updateButtons();
            return;
        }
        m_form->applyPlan(o.plan);
        m_skipPlan = true;
        startTraining();
        m_skipPlan = false;
    });
    watcher->setFuture(QtConcurrent::run([request, plan = m_plan] {
        Outcome o;
        try {
            o.plan = plan ? plan(request) : planTraining(request);
        } catch (const std::exception& e) {
            o.error = e.what();
        }
        return o;
    }));
}

// The form comes back as it was at the last start (not the project or run folder: those follow the
// open project), so a day's experiments do not begin with re-entering the settings each time.
void TrainingPanel::rememberConfig(TrainConfig c) {
    if (m_form->autoPlan()) {  // Auto stays the choice: the next start plans again from the data
        QSettings().remove("training/lastConfig");
        return;
    }
    c.data.clear(), c.out.clear(), c.resume.clear();
    QSettings().setValue("training/lastConfig", QString::fromStdString(toYaml(c)));
}

void TrainingPanel::restoreLastConfig() {
    const QString yaml = QSettings().value("training/lastConfig").toString();
    if (yaml.isEmpty())
        return;
    try {
        TrainConfig c = parseTrainConfig(yaml.toStdString(), "settings: training/lastConfig");
        c.data = m_form->config().data;
        m_form->setConfig(c);
    } catch (const std::exception&) {
        // Settings from another version that no longer parse: the defaults stand.
    }
}

QString TrainingPanel::coarseLabelsNote(const QString& data) {
    int coarse = 0, labelled = 0;
    try {
        if (!QFileInfo::exists(QDir(data).filePath("maskforge.json")))
            return {};
        const Project p = Project::load(data.toStdString());
        for (const ImageEntry& e : p.images()) {
            labelled += e.mask.empty() ? 0 : 1;
            coarse += !e.mask.empty() && e.status == ImageStatus::Coarse ? 1 : 0;
        }
    } catch (const std::exception&) {
        return {};  // the run's own loading reports what is wrong with the project
    }
    if (coarse == 0)
        return {};
    return tr("Note: %1 of the %2 labelled images are coarse box fills (status coarse): they train as labels as they "
              "are, boxes and all. Refine and review them first (Tools > Refine all coarse boxes in the dataset) for sharper masks.")
        .arg(coarse).arg(labelled);
}

QString TrainingPanel::projectDir() const { return QString::fromStdString(m_form->config().data); }

bool TrainingPanel::startTraining() {
    if (m_runner->isRunning() || m_planning)
        return false;
    if (m_form->autoPlan() && !m_skipPlan) {
        planThenStart();  // continues in startTraining once the plan is made
        return true;
    }
    TrainConfig c = m_form->config();
    try {
        if (c.data.empty())
            throw std::invalid_argument("choose a project folder to train on");
        c.out = freshRunDir(runsDirFor(QString::fromStdString(c.data)), c).toStdString();
        validateTrainConfig(c);
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
        return false;
    }
    m_lastError.clear();
    rememberConfig(c);
    m_runDir = QString::fromStdString(c.out);
    m_epochs = c.epochs;
    m_charts->reset(classNamesOf(c.data));
    m_log->clear();
    const QString coarse = coarseLabelsNote(QString::fromStdString(c.data));
    if (!coarse.isEmpty())
        m_log->appendPlainText(coarse);
    m_progress->setRange(0, 0);  // busy until the first step says how many there are
    m_status->setText(tr("Preparing %1…").arg(QFileInfo(m_runDir).fileName()));
    m_runner->start(c);
    updateButtons();
    Q_EMIT runStarted(m_runDir);
    return true;
}

void TrainingPanel::togglePause() {
    if (m_runner->isPaused())
        m_runner->resume();
    else
        m_runner->pause();
    m_status->setText(m_runner->isPaused() ? tr("Paused (finishing the current step)") : tr("Resumed"));
}

void TrainingPanel::stopTraining() {
    m_runner->stop();
    m_status->setText(tr("Stopping after the current step…"));
    m_stop->setEnabled(false);
}

bool TrainingPanel::isTraining() const { return m_runner->isRunning(); }

bool TrainingPanel::stopBeforeClose(bool ask) {
    if (!m_runner->isRunning())
        return true;
    if (ask && QMessageBox::question(this, tr("Training is running"),
                                     tr("A training run is in progress. Stop it and close? The last good "
                                        "checkpoint is kept.")) != QMessageBox::Yes)
        return false;
    return m_runner->shutdown();
}

void TrainingPanel::onStarted(const QString& runDir, const QString& device) {
    m_device->setText(device);
    m_status->setText(tr("Training in %1").arg(runDir));
}

void TrainingPanel::onSteps(const QVector<StepReport>& steps) {
    if (steps.isEmpty())
        return;
    m_charts->addSteps(steps);
    const StepReport& s = steps.back();
    if (s.epochs > 0)
        m_epochs = s.epochs;  // a run with a time budget refits its epoch count between epochs
    const long long total = static_cast<long long>(m_epochs) * s.stepsPerEpoch;
    m_progress->setRange(0, static_cast<int>(std::max(1LL, total)));
    m_progress->setValue(static_cast<int>(std::min(total, s.globalStep)));
    if (!m_runner->isPaused())
        m_status->setText(tr("epoch %1/%2 · step %3/%4 · loss %5 · ETA %6")
                              .arg(s.epoch).arg(m_epochs).arg(s.step).arg(s.stepsPerEpoch)
                              .arg(s.loss, 0, 'f', 4).arg(duration(s.etaSeconds)));
}

void TrainingPanel::onEpoch(const EpochReport& e) { m_charts->addEpoch(e); }

void TrainingPanel::onFinished(const TrainResult& r) {
    static const char* const names[] = {"finished", "stopped early", "stopped", "failed"};
    const QString what = QString::fromUtf8(names[static_cast<int>(r.status)]);
    m_progress->setRange(0, 1);
    m_progress->setValue(r.status == TrainResult::Status::Finished ? 1 : 0);
    m_status->setText(tr("Run %1: %2").arg(what, QString::fromStdString(r.message)));
    if (r.status == TrainResult::Status::Failed)
        showError(QString::fromStdString(r.message));
    updateButtons();
    Q_EMIT runFinished(m_runDir, r);
}

void TrainingPanel::showError(const QString& message) {
    m_lastError = message;
    m_status->setText(tr("Error: %1").arg(message));
    m_log->appendPlainText(tr("ERROR: %1").arg(message));
}

void TrainingPanel::updateButtons() {
    const bool running = m_runner->isRunning();
    m_start->setEnabled(!running && !m_planning);
    m_pause->setEnabled(running);
    m_pause->setText(m_runner->isPaused() ? tr("Resume") : tr("Pause"));
    m_stop->setEnabled(running);
    m_form->setEnabled(!running);
}

void TrainingPanel::loadYaml() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load training YAML"), dialogStartDir("trainingYaml", projectDir()),
                                                      tr("YAML (*.yaml *.yml)"));
    rememberDialogDir("trainingYaml", path);
    if (path.isEmpty())
        return;
    const std::string data = m_form->config().data;
    try {
        m_form->loadYaml(path);
        if (m_form->config().data.empty()) {  // preset files leave data empty: keep the project
            TrainConfig c = m_form->config();
            c.data = data;
            m_form->setConfig(c);
        }
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

void TrainingPanel::saveYaml() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save training YAML"), QDir(dialogStartDir("trainingYaml", projectDir())).filePath("train.yaml"),
        tr("YAML (*.yaml)"));
    rememberDialogDir("trainingYaml", path);
    if (path.isEmpty())
        return;
    try {
        m_form->saveYaml(path);
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

void TrainingPanel::exportCharts() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export charts to"), dialogStartDir("exportCharts", projectDir()));
    rememberDialogDir("exportCharts", dir);
    if (dir.isEmpty())
        return;
    const QString stem = QDir(dir).filePath(m_runDir.isEmpty() ? "charts" : QFileInfo(m_runDir).fileName());
    if (!m_charts->exportPng(stem) || !m_charts->exportCsv(stem + "-metrics.csv"))
        showError(tr("could not write the charts to %1").arg(dir));
}

} // namespace mf
