#pragma once
#include "charts/chartsupport.h"
#include "training/trainingtypes.h"
#include "runs/runmetrics.h"
#include "viz/series.h"

#include <QPointer>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>

namespace mf {

/** The live charts of one run: training loss per step (raw and smoothed) with validation loss per
 *  epoch; validation mIoU and per-class IoU per epoch (legend toggles classes) with the best epoch
 *  marked; learning rate. Points are appended, the step curves decimated and the axes grown only
 *  when a point falls outside, so a long run does not redraw the world at every step. */
class TrainingCharts : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCharts(QWidget* parent = nullptr);

    /** Clears everything for a run with these classes (names used in the IoU legend). */
    void reset(const QStringList& classNames);
    void addSteps(const QVector<StepReport>& steps);
    void addEpoch(const EpochReport& epoch);
    /** Shows a finished run from its metrics.csv (steps are not stored: the loss chart shows the
     *  per-epoch train loss instead). Throws FileError on a malformed file. */
    void loadRun(const QString& runDir);

    /** Saves each chart as <prefix>-loss.png, -iou.png, -lr.png; false on a write failure. */
    bool exportPng(const QString& prefix) const;
    /** Epoch figures as metrics.csv does, plus <path>.steps.csv with the step curve kept. */
    bool exportCsv(const QString& path) const;

    int stepPoints() const;
    int epochPoints() const { return static_cast<int>(m_metrics.epochs.size()); }
    int bestEpoch() const { return m_metrics.bestEpoch(); }
    QChartView* lossView() const { return m_lossView; }
    /** The charts stand side by side when the panel is wide enough for the three, else one above
     *  the other (a laptop's Training dock: no sideways scrolling). */
    bool sideBySide() const;
    QChartView* iouView() const { return m_iouView; }
    QChartView* lrView() const { return m_lrView; }

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    /** Side by side when the room there is (this width, less what a scroll area around it cannot show)
     *  holds the three charts' minimum widths; else top to bottom. */
    void chooseDirection();
    QPointer<QWidget> m_watchedViewport;
    void buildLossChart();
    void buildIouChart();
    void buildLrChart();
    void ensureClassSeries(std::size_t count);
    void appendDecimated(Decimator& d, QLineSeries* s, double x, double y);
    void markBest();

    QChartView *m_lossView, *m_iouView, *m_lrView;
    QLineSeries *m_stepLoss = nullptr, *m_smoothLoss = nullptr, *m_valLoss = nullptr, *m_epochLoss = nullptr;
    QLineSeries *m_miou = nullptr, *m_lr = nullptr;
    QScatterSeries* m_best = nullptr;
    QVector<QLineSeries*> m_classSeries;
    GrowingAxis m_lossX, m_lossY, m_iouX, m_lrX, m_lrY;
    Decimator m_rawDecimator{1500}, m_smoothDecimator{1500}, m_lrDecimator{1500};
    Smoother m_smoother{0.9};
    QStringList m_classNames;
    RunMetrics m_metrics;
};

} // namespace mf
