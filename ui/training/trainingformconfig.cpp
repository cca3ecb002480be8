#include "training/trainingform.h"

#include "io/atomicfile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace mf {
namespace {

// The same values as configs/quick-cpu.yaml and configs/full-gpu.yaml, built in so the GUI works
// wherever it is installed.
const char* const kQuickCpu = R"(size: 128
batch: 8
workers: 2
arch: unet
encoder: plain
width: 16
depth: 4
ce_weight: 1.0
dice_weight: 1.0
optimizer: adam
lr: 0.001
schedule: none
epochs: 10
seed: 42
device: cpu
monitor: miou_no_background
augment:
  hflip: 0.5
)";

const char* const kFullGpu = R"(size: 512
batch: 16
workers: 6
prefetch: 8
arch: unet
encoder: plain
width: 32
depth: 4
ce_weight: 1.0
dice_weight: 1.0
optimizer: adamw
lr: 0.001
weight_decay: 0.0001
schedule: cosine
warmup_epochs: 2
clip_norm: 1.0
epochs: 100
seed: 42
device: cuda
mixed_precision: true
channels_last: true
monitor: miou_no_background
patience: 15
augment:
  hflip: 0.5
  shift_scale_rotate: 0.5
  brightness_contrast: 0.3
  gaussian_blur: 0.1
)";

QString value(const QComboBox* c) { return c->currentData().toString(); }

void select(QComboBox* c, const std::string& v) {
    const int i = c->findData(QString::fromStdString(v));
    if (i >= 0)
        c->setCurrentIndex(i);
}

} // namespace

TrainConfig TrainingForm::quickCpuPreset() { return parseTrainConfig(kQuickCpu, "quick CPU preset"); }
TrainConfig TrainingForm::fullGpuPreset() { return parseTrainConfig(kFullGpu, "full GPU preset"); }
QStringList TrainingForm::presetNames() {
    return {tr("Auto (planned from the data)"), tr("Quick CPU run"), tr("Full GPU run")};
}

TrainConfig TrainingForm::preset(const QString& name) {
    return name == presetNames().value(2) ? fullGpuPreset() : quickCpuPreset();
}

TrainConfig TrainingForm::config() const {
    TrainConfig c = m_base;
    c.data = m_data->text().trimmed().toStdString();
    c.device = value(m_device).toStdString();
    c.threads = m_threads->value();
    c.mixedPrecision = m_mixed->isChecked();
    c.arch = value(m_arch).toStdString();
    c.encoder = value(m_encoder).toStdString();
    c.attention = m_attention->isChecked() && c.arch == "unetpp";
    c.deepSupervision = m_deepSupervision->isChecked() && c.arch == "unetpp";
    c.width = m_width->value(), c.depth = m_depth->value(), c.size = m_size->value();
    c.ceWeight = m_ce->value(), c.diceWeight = m_dice->value(), c.focalWeight = m_focal->value();
    c.focalGamma = m_gamma->value();
    c.epochs = m_epochs->value(), c.batch = m_batch->value(), c.lr = m_lr->value();
    c.optimizer = value(m_optimizer).toStdString();
    c.weightDecay = m_weightDecay->value();
    c.schedule = value(m_schedule).toStdString();
    c.warmupEpochs = m_warmup->value(), c.patience = m_patience->value();
    c.augment.hflip = m_hflip->value(), c.augment.vflip = m_vflip->value();
    c.augment.shiftScaleRotate = m_ssr->value(), c.augment.brightnessContrast = m_brightness->value();
    c.augment.gaussianBlur = m_blur->value(), c.augment.mosaic = m_mosaic->value();
    return c;
}

void TrainingForm::setData(const QString& data) {
    m_base.data = data.toStdString();
    m_data->setText(data);
}

void TrainingForm::applyPlan(const TrainingPlan& plan) {
    TrainConfig c = plan.config;
    c.data = config().data;
    c.device = config().device, c.threads = config().threads;  // where to train is the person's choice
    setConfig(c);
    m_auto = true;
    m_preset->setCurrentIndex(0);
    m_planText->setText(tr("Planned: %1 at %2 px, %3 width %4, %5 epochs, about %6 min")
                            .arg(QString::fromStdString(c.input)).arg(c.size).arg(QString::fromStdString(c.arch))
                            .arg(c.width).arg(c.epochs).arg(qRound(plan.estimatedSeconds / 60.0)));
    QString why;
    for (const auto& [key, reason] : plan.reasons)
        why += QString::fromStdString(key + ": " + reason) + "\n";
    m_planText->setToolTip(why.trimmed());
}

void TrainingForm::setConfig(const TrainConfig& c) {
    m_auto = false;
    if (m_planText)
        m_planText->clear(), m_planText->setToolTip({});
    m_base = c;
    m_data->setText(QString::fromStdString(c.data));
    select(m_device, c.device);
    m_threads->setValue(c.threads);
    m_mixed->setChecked(c.mixedPrecision);
    select(m_arch, c.arch);
    select(m_encoder, c.encoder);
    m_attention->setChecked(c.attention);
    m_deepSupervision->setChecked(c.deepSupervision);
    m_width->setValue(c.width), m_depth->setValue(c.depth), m_size->setValue(c.size);
    m_ce->setValue(c.ceWeight), m_dice->setValue(c.diceWeight), m_focal->setValue(c.focalWeight);
    m_gamma->setValue(c.focalGamma);
    m_epochs->setValue(c.epochs), m_batch->setValue(c.batch), m_lr->setValue(c.lr);
    select(m_optimizer, c.optimizer);
    m_weightDecay->setValue(c.weightDecay);
    select(m_schedule, c.schedule);
    m_warmup->setValue(c.warmupEpochs), m_patience->setValue(c.patience);
    m_hflip->setValue(c.augment.hflip), m_vflip->setValue(c.augment.vflip);
    m_ssr->setValue(c.augment.shiftScaleRotate), m_brightness->setValue(c.augment.brightnessContrast);
    m_blur->setValue(c.augment.gaussianBlur), m_mosaic->setValue(c.augment.mosaic);
    updateArchControls();
    updateDeviceText();
}

void TrainingForm::loadYaml(const QString& path) { setConfig(loadTrainConfig(path.toStdString())); }

void TrainingForm::saveYaml(const QString& path) const { writeFileAtomic(path.toStdString(), toYaml(config())); }

} // namespace mf
