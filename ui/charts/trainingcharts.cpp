#include "charts/trainingcharts.h"

#include "io/atomicfile.h"

#include <algorithm>

#include <QBoxLayout>
#include <QFile>
#include <QResizeEvent>
#include <QScrollArea>

namespace mf {
namespace {

QLineSeries* lineSeries(const QString& name, const QColor& colour, qreal width = 1.5) {
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(colour);
    pen.setWidthF(width);
    s->setPen(pen);
    return s;
}

double stepX(const StepReport& s) {
    return (s.epoch - 1) + (s.stepsPerEpoch > 0 ? static_cast<double>(s.step) / s.stepsPerEpoch : 0.0);
}

} // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
    m_lossView = makeChartView(tr("Loss"), tr("epoch"), tr("loss"), this);
    m_iouView = makeChartView(tr("Validation IoU"), tr("epoch"), tr("IoU"), this);
    m_lrView = makeChartView(tr("Learning rate"), tr("epoch"), tr("lr"), this);
    buildLossChart();
    buildIouChart();
    buildLrChart();
    // Top to bottom until the panel is wide enough (resizeEvent): side by side, the three minimum
    // widths would force a laptop's dock to scroll sideways.
    auto* layout = new QBoxLayout(QBoxLayout::TopToBottom, this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_lossView, 3);
    layout->addWidget(m_iouView, 4);
    layout->addWidget(m_lrView, 2);
    reset({});
}

bool TrainingCharts::sideBySide() const {
    return static_cast<QBoxLayout*>(layout())->direction() == QBoxLayout::LeftToRight;
}

void TrainingCharts::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    chooseDirection();
}

bool TrainingCharts::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_watchedViewport && event->type() == QEvent::Resize)
        chooseDirection();
    return QWidget::eventFilter(watched, event);
}

void TrainingCharts::chooseDirection() {
    auto* box = static_cast<QBoxLayout*>(layout());
    const int wide = m_lossView->minimumWidth() + m_iouView->minimumWidth() + m_lrView->minimumWidth() +
                     2 * std::max(0, box->spacing());
    // Side by side, the three minimum widths hold a scroll area's content at least that wide, so this
    // widget's own width never shrinks below them when the window does: the room is what the scroll
    // area's viewport shows of it. Watch that viewport too, since this widget is not resized then.
    int room = width();
    QScrollArea* area = nullptr;
    for (QWidget* p = parentWidget(); p && !area; p = p->parentWidget())
        area = qobject_cast<QScrollArea*>(p);
    if (area && area->widget()) {
        if (m_watchedViewport != area->viewport()) {
            if (m_watchedViewport)
                m_watchedViewport->removeEventFilter(this);
            m_watchedViewport = area->viewport();
            m_watchedViewport->installEventFilter(this);
        }
        room -= std::max(0, area->widget()->width() - area->viewport()->width());
    }
    const auto direction = room >= wide ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (box->direction() != direction)
        box->setDirection(direction);
}

void TrainingCharts::buildLossChart() {
    QChart* chart = m_lossView->chart();
    m_stepLoss = lineSeries(tr("step"), QColor(120, 160, 220, 110), 1.0);
    m_smoothLoss = lineSeries(tr("smoothed"), QColor(20, 80, 200), 2.0);
    m_epochLoss = lineSeries(tr("train"), QColor(20, 80, 200), 2.0);
    m_valLoss = lineSeries(tr("val"), QColor(230, 110, 0), 2.0);
    m_valLoss->setPointsVisible(true);
    for (QLineSeries* s : {m_stepLoss, m_smoothLoss, m_epochLoss, m_valLoss}) {
        addSeries(chart, s);
        showValuesOnHover(s, m_lossView, tr("epoch"));
    }
    m_lossX.setAxis(xAxisOf(chart));
    m_lossX.setFloor(0);
    m_lossY.setAxis(yAxisOf(chart));
    m_lossY.setFloor(0);
    makeLegendToggles(chart);
}

void TrainingCharts::buildIouChart() {
    QChart* chart = m_iouView->chart();
    m_miou = lineSeries(tr("mIoU (no bg)"), Qt::black, 2.5);
    m_miou->setPointsVisible(true);
    m_best = new QScatterSeries;
    m_best->setName(tr("best"));
    m_best->setMarkerShape(QScatterSeries::MarkerShapeStar);
    m_best->setMarkerSize(18);
    m_best->setColor(QColor(230, 30, 30));
    addSeries(chart, m_miou);
    addSeries(chart, m_best);
    showValuesOnHover(m_miou, m_iouView, tr("epoch"));
    showValuesOnHover(m_best, m_iouView, tr("epoch"));
    yAxisOf(chart)->setRange(0, 1);
    m_iouX.setAxis(xAxisOf(chart));
    m_iouX.setFloor(0);
}

void TrainingCharts::buildLrChart() {
    QChart* chart = m_lrView->chart();
    m_lr = lineSeries(tr("lr"), QColor(0, 140, 90), 2.0);
    addSeries(chart, m_lr);
    showValuesOnHover(m_lr, m_lrView, tr("epoch"));
    chart->legend()->hide();
    m_lrX.setAxis(xAxisOf(chart));
    m_lrX.setFloor(0);
    m_lrY.setAxis(yAxisOf(chart));
    m_lrY.setFloor(0);
}

void TrainingCharts::reset(const QStringList& classNames) {
    m_classNames = classNames;
    m_metrics = {};
    for (QLineSeries* s : {m_stepLoss, m_smoothLoss, m_epochLoss, m_valLoss, m_miou, m_lr})
        s->clear();
    m_best->clear();
    m_best->setName(tr("best"));  // not the last run's "best: epoch N"
    for (QLineSeries* s : m_classSeries) {
        m_iouView->chart()->removeSeries(s);
        delete s;
    }
    m_classSeries.clear();
    m_rawDecimator.clear(), m_smoothDecimator.clear(), m_lrDecimator.clear();
    m_smoother.reset();
    for (GrowingAxis* a : {&m_lossX, &m_lossY, &m_iouX, &m_lrX, &m_lrY})
        a->reset();
}

void TrainingCharts::appendDecimated(Decimator& d, QLineSeries* s, double x, double y) {
    switch (d.push(x, y)) {
    case Decimator::Push::Skipped: return;
    case Decimator::Push::Appended: s->append(x, y); return;
    case Decimator::Push::Thinned: {
        QList<QPointF> points;
        points.reserve(static_cast<int>(d.points().size()));
        for (const CurvePoint& p : d.points())
            points.append({p.x, p.y});
        s->replace(points);  // one redraw per doubling of the stride
        return;
    }
    }
}

void TrainingCharts::addSteps(const QVector<StepReport>& steps) {
    for (const StepReport& s : steps) {
        const double x = stepX(s);
        appendDecimated(m_rawDecimator, m_stepLoss, x, s.loss);
        appendDecimated(m_smoothDecimator, m_smoothLoss, x, m_smoother.add(s.loss));
        appendDecimated(m_lrDecimator, m_lr, x, s.lr);
        m_lossX.include(x);
        m_lossY.include(s.loss);
        m_lrX.include(x);
        m_lrY.include(s.lr);
    }
}

void TrainingCharts::ensureClassSeries(std::size_t count) {
    QChart* chart = m_iouView->chart();
    while (static_cast<std::size_t>(m_classSeries.size()) < count) {
        const int c = static_cast<int>(m_classSeries.size());
        const QString name = c < m_classNames.size() ? m_classNames[c] : tr("class %1").arg(c);
        auto* s = lineSeries(name, QColor::fromHsv((c * 67 + 20) % 360, 200, 200), 1.2);
        addSeries(chart, s);
        showValuesOnHover(s, m_iouView, tr("epoch"));
        if (c == 0)
            s->setVisible(false);  // background IoU sits near 1 and flattens the rest; a click brings it back
        m_classSeries.push_back(s);
    }
    makeLegendToggles(chart);
}

void TrainingCharts::addEpoch(const EpochReport& e) {
    m_metrics.epochs.push_back(e);
    if (m_metrics.classNames.empty())
        for (int c = 0; c < static_cast<int>(e.classIoU.size()); ++c)
            m_metrics.classNames.push_back(c < m_classNames.size() ? m_classNames[c].toStdString() : std::to_string(c));
    m_valLoss->append(e.epoch, e.valLoss);
    m_lossY.include(e.valLoss);
    m_lossX.include(e.epoch);
    if (m_stepLoss->count() == 0) {  // no steps (a run read from disk): show the epoch's train loss
        m_epochLoss->append(e.epoch, e.trainLoss);
        m_lossY.include(e.trainLoss);
        m_lr->append(e.epoch, e.lr);
        m_lrX.include(e.epoch);
        m_lrY.include(e.lr);
    }
    m_miou->append(e.epoch, e.mIoUNoBackground);
    ensureClassSeries(e.classIoU.size());
    for (std::size_t c = 0; c < e.classIoU.size(); ++c)
        m_classSeries[static_cast<int>(c)]->append(e.epoch, e.classIoU[c]);
    m_iouX.include(e.epoch);
    if (e.best)
        markBest();
}

void TrainingCharts::markBest() {
    for (const EpochReport& e : m_metrics.epochs)
        if (e.epoch == m_metrics.bestEpoch()) {
            m_best->clear();
            m_best->append(e.epoch, e.mIoUNoBackground);
            m_best->setName(tr("best: epoch %1").arg(e.epoch));
        }
}

void TrainingCharts::loadRun(const QString& runDir) {
    const RunMetrics m = readRunMetrics(runDir.toStdString());
    QStringList names;
    for (const auto& n : m.classNames)
        names << QString::fromStdString(n);
    reset(names);
    for (const EpochReport& e : m.epochs)
        addEpoch(e);
}

int TrainingCharts::stepPoints() const { return m_stepLoss->count(); }

bool TrainingCharts::exportPng(const QString& prefix) const {
    bool ok = true;
    ok &= m_lossView->grab().save(prefix + "-loss.png");
    ok &= m_iouView->grab().save(prefix + "-iou.png");
    ok &= m_lrView->grab().save(prefix + "-lr.png");
    return ok;
}

bool TrainingCharts::exportCsv(const QString& path) const {
    try {
        writeFileAtomic(path.toStdString(), runMetricsToCsv(m_metrics));
        std::string steps = "epoch_position,loss,smoothed_loss,lr\n";
        const auto& raw = m_rawDecimator.points();
        const auto& smooth = m_smoothDecimator.points();
        const auto& lr = m_lrDecimator.points();
        for (std::size_t i = 0; i < raw.size() && i < smooth.size() && i < lr.size(); ++i)
            steps += std::to_string(raw[i].x) + "," + std::to_string(raw[i].y) + "," + std::to_string(smooth[i].y) +
                     "," + std::to_string(lr[i].y) + "\n";
        writeFileAtomic(path.toStdString() + ".steps.csv", steps);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace mf
