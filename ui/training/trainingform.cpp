#include "training/trainingform.h"

#include "files/dialogdirs.h"

#include "machine/describedevice.h"
#include "train/trainer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

namespace mf {
namespace {

QSpinBox* spin(int lo, int hi, QWidget* parent) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    return s;
}

QDoubleSpinBox* dspin(double lo, double hi, int decimals, double step, QWidget* parent) {
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    return s;
}

QComboBox* combo(const QList<QPair<QString, QString>>& items, QWidget* parent) {
    auto* c = new QComboBox(parent);
    for (const auto& [label, value] : items)
        c->addItem(label, value);
    return c;
}

QString value(const QComboBox* c) { return c->currentData().toString(); }

QGroupBox* group(const QString& title, QFormLayout*& form, QWidget* parent) {
    auto* box = new QGroupBox(title, parent);
    form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return box;
}

} // namespace

TrainingForm::TrainingForm(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* presetRow = new QHBoxLayout;
    m_preset = new QComboBox(this);
    m_preset->addItems(presetNames());
    auto* apply = new QPushButton(tr("Apply preset"), this);
    presetRow->addWidget(new QLabel(tr("Preset"), this));
    presetRow->addWidget(m_preset, 1);
    presetRow->addWidget(apply);
    layout->addLayout(presetRow);
    m_planText = new QLabel(this);
    m_planText->setWordWrap(true);
    layout->addWidget(m_planText);
    layout->addWidget(buildRunBox());
    layout->addWidget(buildModelBox());
    layout->addWidget(buildLossBox());
    layout->addWidget(buildOptimBox());
    layout->addWidget(buildAugmentBox());
    layout->addStretch(1);
    connect(apply, &QPushButton::clicked, this, [this] {
        TrainConfig c = preset(m_preset->currentText());
        c.data = config().data;  // a preset changes how to train, not what
        setConfig(c);
        if (m_preset->currentIndex() == 0) {  // Auto: Start plans from the data
            m_auto = true;
            m_planText->setText(tr("Auto: Start plans the run from the data (fingerprint and a 15-minute budget)"));
        }
    });
    setConfig(quickCpuPreset());
    m_auto = true;  // Auto is the default
    m_planText->setText(tr("Auto: Start plans the run from the data (fingerprint and a 15-minute budget)"));
}

QWidget* TrainingForm::buildRunBox() {
    QFormLayout* f;
    auto* box = group(tr("Data and device"), f, this);
    auto* dataRow = new QHBoxLayout;
    m_data = new QLineEdit(box);
    m_data->setPlaceholderText(tr("project folder"));
    auto* browse = new QPushButton(tr("…"), box);
    dataRow->addWidget(m_data, 1);
    dataRow->addWidget(browse);
    f->addRow(tr("Project"), dataRow);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Project folder"),
                                                              dialogStartDir("trainingData", m_data->text()));
        rememberDialogDir("trainingData", dir);
        if (!dir.isEmpty())
            m_data->setText(dir);
    });
    connect(m_data, &QLineEdit::textChanged, this, &TrainingForm::dataChanged);
    m_device = combo({{tr("Automatic"), "auto"}, {tr("CPU"), "cpu"}, {tr("CUDA"), "cuda"}}, box);
    m_threads = spin(0, 256, box);
    m_threads->setSpecialValueText(tr("all cores"));
    m_mixed = new QCheckBox(tr("mixed precision"), box);
    m_deviceText = new QLabel(box);
    m_deviceText->setStyleSheet("color: palette(mid)");
    f->addRow(tr("Device"), m_device);
    f->addRow(tr("CPU threads"), m_threads);
    f->addRow(QString(), m_mixed);
    f->addRow(QString(), m_deviceText);
    connect(m_device, &QComboBox::currentIndexChanged, this, &TrainingForm::updateDeviceText);
    connect(m_threads, &QSpinBox::valueChanged, this, &TrainingForm::updateDeviceText);
    return box;
}

QWidget* TrainingForm::buildModelBox() {
    QFormLayout* f;
    auto* box = group(tr("Model"), f, this);
    m_arch = combo({{tr("Encoder-decoder"), "encdec"}, {tr("U-Net"), "unet"}, {tr("U-Net++"), "unetpp"}}, box);
    m_encoder = combo({{tr("Plain (reference blocks)"), "plain"}, {"ResNet-18", "resnet18"}, {"ResNet-34", "resnet34"},
                       {"EfficientNet-B0", "efficientnet_b0"}}, box);
    m_attention = new QCheckBox(tr("bottleneck self-attention"), box);
    m_deepSupervision = new QCheckBox(tr("deep supervision"), box);
    m_width = spin(2, 512, box);
    m_depth = spin(1, 6, box);
    m_size = spin(16, 4096, box);
    m_size->setSingleStep(32);
    f->addRow(tr("Architecture"), m_arch);
    f->addRow(tr("Encoder"), m_encoder);
    f->addRow(QString(), m_attention);
    f->addRow(QString(), m_deepSupervision);
    f->addRow(tr("Width"), m_width);
    f->addRow(tr("Depth"), m_depth);
    f->addRow(tr("Input size"), m_size);
    connect(m_arch, &QComboBox::currentIndexChanged, this, &TrainingForm::updateArchControls);
    return box;
}

QWidget* TrainingForm::buildLossBox() {
    QFormLayout* f;
    auto* box = group(tr("Loss"), f, this);
    m_ce = dspin(0, 10, 2, 0.1, box);
    m_dice = dspin(0, 10, 2, 0.1, box);
    m_focal = dspin(0, 10, 2, 0.1, box);
    m_gamma = dspin(0, 10, 1, 0.5, box);
    f->addRow(tr("Cross-entropy weight"), m_ce);
    f->addRow(tr("Dice weight"), m_dice);
    f->addRow(tr("Focal weight"), m_focal);
    f->addRow(tr("Focal gamma"), m_gamma);
    return box;
}

QWidget* TrainingForm::buildOptimBox() {
    QFormLayout* f;
    auto* box = group(tr("Optimisation"), f, this);
    m_epochs = spin(1, 10000, box);
    m_batch = spin(1, 1024, box);
    m_lr = dspin(1e-6, 1.0, 6, 1e-4, box);
    m_optimizer = combo({{"Adam", "adam"}, {"AdamW", "adamw"}, {"SGD", "sgd"}}, box);
    m_weightDecay = dspin(0, 1, 6, 1e-4, box);
    m_schedule = combo({{tr("Constant"), "none"}, {tr("Cosine"), "cosine"}, {tr("Step"), "step"}}, box);
    m_warmup = spin(0, 100, box);
    m_patience = spin(0, 1000, box);
    m_patience->setSpecialValueText(tr("no early stop"));
    f->addRow(tr("Epochs"), m_epochs);
    f->addRow(tr("Batch"), m_batch);
    f->addRow(tr("Learning rate"), m_lr);
    f->addRow(tr("Optimiser"), m_optimizer);
    f->addRow(tr("Weight decay"), m_weightDecay);
    f->addRow(tr("Schedule"), m_schedule);
    f->addRow(tr("Warm-up epochs"), m_warmup);
    f->addRow(tr("Patience"), m_patience);
    return box;
}

QWidget* TrainingForm::buildAugmentBox() {
    QFormLayout* f;
    auto* box = group(tr("Augmentation (probability)"), f, this);
    m_hflip = dspin(0, 1, 2, 0.05, box);
    m_vflip = dspin(0, 1, 2, 0.05, box);
    m_ssr = dspin(0, 1, 2, 0.05, box);
    m_brightness = dspin(0, 1, 2, 0.05, box);
    m_blur = dspin(0, 1, 2, 0.05, box);
    m_mosaic = dspin(0, 1, 2, 0.05, box);
    f->addRow(tr("Horizontal flip"), m_hflip);
    f->addRow(tr("Vertical flip"), m_vflip);
    f->addRow(tr("Shift/scale/rotate"), m_ssr);
    f->addRow(tr("Brightness/contrast"), m_brightness);
    f->addRow(tr("Gaussian blur"), m_blur);
    f->addRow(tr("Mosaic"), m_mosaic);
    return box;
}

void TrainingForm::updateArchControls() {
    // Only U-Net++ has nested decoders to supervise and a bottleneck attention block (ModelSpec).
    const bool pp = value(m_arch) == "unetpp";
    m_deepSupervision->setEnabled(pp);
    m_attention->setEnabled(pp);
}

void TrainingForm::updateDeviceText() {
    // describeDevice asks LibTorch; CUDA on a machine without it throws, which is worth saying.
    QString text;
    try {
        text = QString::fromStdString(describeDevice(value(m_device).toStdString(), m_threads->value()));
    } catch (const std::exception& e) {
        text = tr("unavailable: %1").arg(QString::fromUtf8(e.what()));
    }
    m_deviceText->setText(text);
}

} // namespace mf
