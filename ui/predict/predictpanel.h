#pragma once
#include "predict/overlayrender.h"
#include "predict/predictionservice.h"
#include "reviewqueue/reviewqueuemodel.h"

#include <QImage>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;

namespace mf {

class Project;

/** Predictions on the canvas: pick a run, predict the current image off the GUI thread, show the
 *  argmax mask, a class's probability heat map or the error map against the truth at an opacity;
 *  predict the whole dataset; and the model-assisted refinement loop (refine coarse masks, review
 *  queue, retrain on the refined set). The overlay leaves as overlayChanged() for the canvas. */
class PredictPanel : public QWidget {
    Q_OBJECT
public:
    explicit PredictPanel(QWidget* parent = nullptr);

    /** The project the panel works on (not owned; null for none). A batch still running for the
     *  previous one is cancelled and whatever it still delivers is dropped. */
    void setProject(Project* project);
    /** What predicting project row `row` reads: its image and, as truth, its mask unless that is a
     *  coarse box fill (status coarse), which an error map must not be scored against. */
    PredictItem itemOf(int row) const;
    /** The image on the canvas; with "follow" on, it is predicted at once. */
    void setCurrentRow(int row);
    void refreshRuns();
    void setRun(const QString& runDir);
    QString run() const;

    void setMode(OverlayMode mode);
    OverlayMode mode() const;
    /** -1: all classes (error map) / class 1 (heat map). */
    void setClassId(int classId);
    void setOpacity(double opacity);
    double opacity() const;

    void predictCurrent();
    void predictDataset();
    /** Proposes, for each image whose status is coarse, its coarse mask with each box's fill replaced
     *  by the model's prediction inside the box; each proposal is written under .maskforge/review/ and
     *  announced by proposalReady() for the project's one review queue. */
    void refineCoarse();
    /** Writes <project>/refined-set.json holding the refined and reviewed images (their splits kept)
     *  and asks for training on it. */
    QString trainOnRefined();

    /** Shows a prediction as if it had just come back (tests and the comparison view use it). */
    void showPrediction(const ImagePrediction& prediction);
    const ImagePrediction& currentPrediction() const { return m_current; }
    QImage overlay() const { return m_overlay; }
    PredictionService* service() const { return m_service; }

Q_SIGNALS:
    void overlayChanged(const QImage& overlay, double opacity);
    void openImageRequested(int row);
    /** A model proposal for the current project, written by writeProposal(). */
    void proposalReady(const mf::ReviewEntry& entry);
    void trainOnRequested(const QString& data);
    void batchDone(int done, const QStringList& errors);
    void message(const QString& text);

private:
    QWidget* buildControls();
    void render();
    void fillClasses();
    std::vector<Rgb> palette() const;
    bool requireRun();

    Project* m_project = nullptr;
    int m_row = -1;
    PredictionService* m_service;
    ImagePrediction m_current;
    QImage m_overlay;
    QComboBox *m_runs, *m_mode, *m_class;
    QCheckBox* m_follow;
    QSlider* m_opacity;
    QLabel *m_legend, *m_status;
    QProgressBar* m_progress;
    QPushButton *m_predict, *m_predictAll, *m_refine, *m_train, *m_cancel;
    int m_generation = 0;
    int m_batchGeneration = 0;  ///< the generation the running batch was started in  ///< bumped per project: a batch's late results carry an older one
};

} // namespace mf
