#pragma once
#include "train/trainconfig.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace mf {

/** The training settings as a form: architecture, encoder, loss weights, epochs, batch, learning
 *  rate and schedule, input size, augmentations, device. It edits a TrainConfig and keeps the fields
 *  it does not show, so YAML read from the CLI's files round-trips unchanged. */
class TrainingForm : public QWidget {
    Q_OBJECT
public:
    explicit TrainingForm(QWidget* parent = nullptr);

    /** The form's values over the config last set. */
    TrainConfig config() const;
    void setConfig(const TrainConfig& config);

    /** Built-in presets, the same values as configs/quick-cpu.yaml and configs/full-gpu.yaml. */
    static TrainConfig quickCpuPreset();
    static TrainConfig fullGpuPreset();
    static QStringList presetNames();
    static TrainConfig preset(const QString& name);

    /** Reads a run YAML into the form; throws FileError / std::invalid_argument naming the key. */
    void loadYaml(const QString& path);
    /** Writes the form's config as YAML (atomically). */
    void saveYaml(const QString& path) const;

Q_SIGNALS:
    void dataChanged(const QString& data);

private:
    QWidget* buildModelBox();
    QWidget* buildLossBox();
    QWidget* buildOptimBox();
    QWidget* buildAugmentBox();
    QWidget* buildRunBox();
    void updateDeviceText();
    void updateArchControls();

    TrainConfig m_base;
    QLineEdit* m_data;
    QComboBox *m_arch, *m_encoder, *m_optimizer, *m_schedule, *m_device, *m_preset;
    QCheckBox *m_attention, *m_deepSupervision, *m_mixed;
    QSpinBox *m_width, *m_depth, *m_epochs, *m_batch, *m_size, *m_warmup, *m_threads, *m_patience;
    QDoubleSpinBox *m_ce, *m_dice, *m_focal, *m_gamma, *m_lr, *m_weightDecay;
    QDoubleSpinBox *m_hflip, *m_vflip, *m_ssr, *m_brightness, *m_blur, *m_mosaic;
    QLabel* m_deviceText;
};

} // namespace mf
