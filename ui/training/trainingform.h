#pragma once
#include "plan/planner.h"
#include "runs/trainconfig.h"

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
    /** Shows `config` (an explicit choice: the Auto preset is no longer in force). */
    void setConfig(const TrainConfig& config);
    /** Points the form at a dataset, keeping every other value (and Auto). */
    void setData(const QString& data);

    /** True while the Auto preset (the default) is in force: Start plans the run from the data
     *  first (TrainingPanel), as `maskforge-cli train` does without a config. */
    bool autoPlan() const { return m_auto; }
    /** Shows a plan's config and a one-line summary (reasons in its tooltip); Auto stays in force. */
    void applyPlan(const TrainingPlan& plan);

    /** Built-in presets: "Auto" (planned from the data; shows the quick CPU values until planned),
     *  then the values of configs/quick-cpu.yaml and configs/full-gpu.yaml. */
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
    QLabel* m_planText = nullptr;
    bool m_auto = true;
};

} // namespace mf
