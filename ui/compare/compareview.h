#pragma once
#include "predict/predictionservice.h"
#include "infer/comparison.h"

#include <QFutureWatcher>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QTableWidget;
class QChartView;

namespace mf {

class ImagePane;

/** Two runs side by side (typically the encoder-decoder against the U-Net): per-class IoU of both
 *  with the difference, both runs' curves on one chart, the images ranked by IoU difference, and
 *  for a chosen image each run's prediction and where they disagree, in panes that zoom and pan
 *  together. Evaluation and prediction run off the GUI thread. */
class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);

    /** Lists the runs of a project's runs folder in the two choosers. */
    void setRunsDir(const QString& runsDir);
    /** Evaluates both runs on `split` (worker thread); compared() or failed() follows. */
    void compare(const QString& runA, const QString& runB, const QString& split = "val");
    /** Predicts ranked image `rank` with both runs and shows it; imagesShown() follows. */
    void showRanked(int rank);

    QTableWidget* table() const { return m_table; }
    QListWidget* rankedList() const { return m_ranked; }
    ImagePane* paneA() const { return m_paneA; }
    ImagePane* paneB() const { return m_paneB; }
    ImagePane* paneDiff() const { return m_paneDiff; }
    QChartView* curves() const { return m_curves; }

    /** One image of the ranking. */
    struct RankedImage {
        EvalItem item;
        double iouA = 0, iouB = 0;
    };
    const std::vector<RankedImage>& ranking() const { return m_ranking; }

Q_SIGNALS:
    void compared();
    void failed(const QString& message);
    void imagesShown();

private:
    struct Result {
        std::optional<RunComparison> comparison;
        QString error;
    };
    QWidget* buildTop();
    QWidget* buildPanes();
    void onEvaluated();
    void fillTable(const Evaluation& a, const Evaluation& b);
    void fillRanking(const RunComparison& c);
    void fillCurves();
    void onPredicted();
    static Result evaluateBoth(const QString& a, const QString& b, const QString& split);

    QComboBox *m_runA, *m_runB, *m_split;
    QPushButton* m_go;
    QLabel* m_status;
    QTableWidget* m_table;
    QListWidget* m_ranked;
    QChartView* m_curves;
    ImagePane *m_paneA, *m_paneB, *m_paneDiff;
    QSlider* m_opacity;
    QFutureWatcher<Result>* m_eval;
    PredictionService *m_predictA, *m_predictB;
    std::optional<ImagePrediction> m_gotA, m_gotB;
    std::vector<RankedImage> m_ranking;
    QString m_shownA, m_shownB;
    int m_ignoreIndex = 255;
    std::vector<std::string> m_classNames;
};

} // namespace mf
