#include "predict/predictpanel.h"

#include "project/project.h"
#include "runs/runlist.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

#include <filesystem>

namespace mf {

PredictPanel::PredictPanel(QWidget* parent)
    : QWidget(parent), m_service(new PredictionService(this)) {
    auto* v = new QVBoxLayout(this);
    v->addWidget(buildControls());
    auto* review = new QGroupBox(tr("Model-assisted refinement"), this);
    auto* rv = new QVBoxLayout(review);
    auto* row = new QVBoxLayout;  // one above the other: side by side they outgrow a laptop's dock
    m_refine = new QPushButton(tr("Refine coarse masks with this model"), review);
    m_train = new QPushButton(tr("Retrain on refined set"), review);
    row->addWidget(m_refine);
    row->addWidget(m_train);
    rv->addLayout(row);
    auto* where = new QLabel(tr("Proposals join the Review queue panel, with the run's name as their origin."), review);
    where->setWordWrap(true);
    rv->addWidget(where);
    v->addWidget(review);
    v->addStretch(1);

    connect(m_service, &PredictionService::predicted, this, &PredictPanel::showPrediction);
    connect(m_service, &PredictionService::progress, this, [this](int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
    });
    connect(m_service, &PredictionService::batchFinished, this, [this](int done, const QStringList& errors) {
        if (m_batchGeneration != m_generation)
            return;  // a batch of the previous project, cancelled when it closed
        m_status->setText(errors.isEmpty() ? tr("%n image(s) done", nullptr, done)
                                           : tr("%1 done, %2 failed; first: %3").arg(done).arg(errors.size()).arg(errors.first()));
        m_cancel->setEnabled(false);
        Q_EMIT batchDone(done, errors);
    });
    connect(m_refine, &QPushButton::clicked, this, &PredictPanel::refineCoarse);
    connect(m_train, &QPushButton::clicked, this, &PredictPanel::trainOnRefined);
}

QWidget* PredictPanel::buildControls() {
    auto* box = new QGroupBox(tr("Prediction"), this);
    auto* f = new QFormLayout(box);
    m_runs = new QComboBox(box);
    auto* refresh = new QPushButton(tr("↻"), box);
    refresh->setToolTip(tr("Refresh the list of runs"));
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_runs, 1);
    runRow->addWidget(refresh);
    f->addRow(tr("Run"), runRow);
    m_mode = new QComboBox(box);
    m_mode->addItem(tr("Predicted mask"), int(OverlayMode::Labels));
    m_mode->addItem(tr("Probability heat map"), int(OverlayMode::Heatmap));
    m_mode->addItem(tr("Error map vs truth"), int(OverlayMode::Errors));
    f->addRow(tr("Show"), m_mode);
    m_class = new QComboBox(box);
    f->addRow(tr("Class"), m_class);
    m_opacity = new QSlider(Qt::Horizontal, box);
    m_opacity->setRange(0, 100);
    m_opacity->setValue(60);
    f->addRow(tr("Opacity"), m_opacity);
    m_legend = new QLabel(box);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);  // the error map's four entries wrap instead of widening the dock
    f->addRow(QString(), m_legend);
    m_follow = new QCheckBox(tr("predict each image as it is shown"), box);
    f->addRow(m_follow);  // across the form: in the field column it widened a laptop's dock past its edge
    auto* buttons = new QHBoxLayout;
    m_predict = new QPushButton(tr("Predict image"), box);
    m_predictAll = new QPushButton(tr("Predict dataset"), box);
    m_cancel = new QPushButton(tr("Cancel"), box);
    m_cancel->setEnabled(false);
    for (QPushButton* b : {m_predict, m_predictAll, m_cancel})
        buttons->addWidget(b);
    f->addRow(buttons);
    m_progress = new QProgressBar(box);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    f->addRow(m_progress);
    m_status = new QLabel(box);
    m_status->setObjectName("predictStatus");
    m_status->setWordWrap(true);
    f->addRow(m_status);

    connect(refresh, &QPushButton::clicked, this, &PredictPanel::refreshRuns);
    connect(m_runs, &QComboBox::currentIndexChanged, this, [this] { m_service->setRun(run()); });
    connect(m_mode, &QComboBox::currentIndexChanged, this, &PredictPanel::render);
    connect(m_class, &QComboBox::currentIndexChanged, this, &PredictPanel::render);
    connect(m_opacity, &QSlider::valueChanged, this, [this] { Q_EMIT overlayChanged(m_overlay, opacity()); });
    connect(m_predict, &QPushButton::clicked, this, &PredictPanel::predictCurrent);
    connect(m_predictAll, &QPushButton::clicked, this, &PredictPanel::predictDataset);
    connect(m_cancel, &QPushButton::clicked, m_service, &PredictionService::cancel);
    render();
    // Combo boxes as narrow as a short name, not their longest entry ("Error map vs truth", a run's long
    // folder name): at their full width the group outgrew a laptop's dock and scrolled sideways.
    for (QComboBox* combo : box->findChildren<QComboBox*>()) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
    }
    return box;
}

void PredictPanel::setProject(Project* project) {
    if (project != m_project || !project) {
        m_service->cancel();
        ++m_generation;
        m_status->clear();
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
    }
    m_project = project;
    m_row = -1;
    m_current = {};
    fillClasses();
    refreshRuns();
    render();
}

void PredictPanel::fillClasses() {
    const QSignalBlocker block(m_class);
    m_class->clear();
    m_class->addItem(tr("all classes"), -1);
    if (m_project)
        for (const ClassInfo& c : m_project->classes())
            if (c.id > 0)
                m_class->addItem(QString::fromStdString(c.name), c.id);
}

void PredictPanel::refreshRuns() {
    const QString keep = run();
    const QSignalBlocker block(m_runs);
    m_runs->clear();
    if (m_project)
        for (const RunInfo& r : listRuns((std::filesystem::path(m_project->root()) / "runs").string()))
            if (r.hasBest)
                m_runs->addItem(QString("%1 — %2, mIoU %3").arg(QString::fromStdString(r.name), QString::fromStdString(r.arch))
                                    .arg(r.bestMIoU, 0, 'f', 3),
                                QString::fromStdString(r.dir));
    const int i = m_runs->findData(keep);
    m_runs->setCurrentIndex(i >= 0 ? i : 0);
    m_service->setRun(run());
}

void PredictPanel::setRun(const QString& runDir) {
    int i = m_runs->findData(runDir);
    if (i < 0) {
        m_runs->addItem(QDir(runDir).dirName(), runDir);
        i = m_runs->count() - 1;
    }
    m_runs->setCurrentIndex(i);
    m_service->setRun(runDir);
}

QString PredictPanel::run() const { return m_runs->currentData().toString(); }

void PredictPanel::setMode(OverlayMode mode) { m_mode->setCurrentIndex(m_mode->findData(int(mode))); }
OverlayMode PredictPanel::mode() const { return static_cast<OverlayMode>(m_mode->currentData().toInt()); }
void PredictPanel::setClassId(int classId) { m_class->setCurrentIndex(std::max(0, m_class->findData(classId))); }
void PredictPanel::setOpacity(double opacity) { m_opacity->setValue(static_cast<int>(opacity * 100 + 0.5)); }
double PredictPanel::opacity() const { return m_opacity->value() / 100.0; }

void PredictPanel::setCurrentRow(int row) {
    m_row = row;
    if (m_current.row != row) {
        m_current = {};
        render();
    }
    if (m_follow->isChecked() && row >= 0 && !run().isEmpty())
        predictCurrent();
}

bool PredictPanel::requireRun() {
    if (!m_project) {
        m_status->setText(tr("Open a project first."));
        return false;
    }
    if (run().isEmpty()) {
        m_status->setText(m_runs->count() == 0 ? tr("No trained run yet: train one (Studio > Start training), then choose it above.")
                                               : tr("Choose a trained run above first."));
        return false;
    }
    return true;
}

PredictItem PredictPanel::itemOf(int row) const {
    const ImageEntry& e = m_project->images()[row];
    const bool truth = !e.mask.empty() && e.status != ImageStatus::Coarse;
    return {row, QString::fromStdString(m_project->absolute(e.image)),
            truth ? QString::fromStdString(m_project->absolute(e.mask)) : QString(), m_project->maskEncoding()};
}

void PredictPanel::predictCurrent() {
    if (!requireRun() || m_row < 0 || m_row >= static_cast<int>(m_project->images().size()))
        return;
    const PredictItem item = itemOf(m_row);
    m_status->setText(tr("Predicting %1…").arg(QFileInfo(item.image).fileName()));
    m_service->predictImage(item);
}

void PredictPanel::showPrediction(const ImagePrediction& p) {
    if (!p.error.isEmpty()) {
        m_status->setText(tr("Prediction failed: %1").arg(p.error));
        return;
    }
    m_current = p;
    m_status->setText(tr("Predicted %1 with %2").arg(QFileInfo(p.image).fileName(), QDir(run()).dirName()));
    render();
}

std::vector<Rgb> PredictPanel::palette() const { return classPalette(m_project ? m_project->classes() : std::vector<ClassInfo>{}); }

void PredictPanel::render() {
    const int classId = m_class->currentData().isValid() ? m_class->currentData().toInt() : -1;
    m_overlay = renderOverlay(m_current, mode(), classId, palette(), m_project ? m_project->ignoreIndex() : 255);
    m_legend->setText(overlayLegend(mode()));
    if (mode() == OverlayMode::Errors && !m_current.labels.empty() && m_current.truthMask.empty()) {
        const bool coarse = m_project && m_current.row >= 0 && m_current.row < static_cast<int>(m_project->images().size()) &&
                            m_project->images()[m_current.row].status == ImageStatus::Coarse;
        m_status->setText(coarse ? tr("This image's mask is a coarse box fill, not a true mask: there is nothing to score the prediction against.")
                                 : tr("This image has no true mask to compare with."));
    }
    Q_EMIT overlayChanged(m_overlay, opacity());
}

} // namespace mf
