#include "charts/chartsupport.h"

#include <QToolTip>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>

#include <algorithm>
#include <cmath>

namespace mf {

double niceStep(double span) {
    // The smallest of 1, 2, 5 x 10^k that gives at most five labels: a short docked chart elides more.
    const double raw = span / 4.0;
    if (!(raw > 0))
        return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double n = raw / magnitude;
    return (n <= 1.0 ? 1.0 : n <= 2.0 ? 2.0 : n <= 5.0 ? 5.0 : 10.0) * magnitude;
}

void GrowingAxis::reset() {
    m_empty = true;
    if (!m_axis)
        return;
    // The ticks go with the range: the last run's interval (1e-4 for a learning rate) over a fresh
    // 0..1 range would draw thousands of labels on top of each other.
    const double lo = m_hasFloor ? m_floor : 0;
    m_axis->setRange(lo, lo + 1);
    m_axis->setTickType(QValueAxis::TicksDynamic);
    m_axis->setTickAnchor(0.0);
    m_axis->setTickInterval(niceStep(1.0));
}

void GrowingAxis::include(double v) {
    if (!m_axis || !std::isfinite(v))
        return;
    if (m_empty) {
        m_lo = m_hasFloor ? std::min(m_floor, v) : v;
        m_hi = v + std::abs(v) * m_headroom;  // the first point should not sit on the frame
        m_empty = false;
    } else if (v >= m_lo && v <= m_hi) {
        return;
    }
    const double span = std::max(m_hi - m_lo, std::abs(v) * 0.05 + 1e-9);
    if (v > m_hi)
        m_hi = v + span * m_headroom;
    if (v < m_lo)
        m_lo = m_hasFloor && v >= m_floor ? m_floor : v - span * m_headroom;
    if (m_hi <= m_lo)  // a first value of 0 (a warm-up's learning rate) must not make an empty range
        m_hi = m_lo + std::max(std::abs(m_lo) * 0.1, 1e-9);
    m_axis->setRange(m_lo, m_hi);
    // Ticks on round values anchored at zero, not at the range's arbitrary ends.
    m_axis->setTickType(QValueAxis::TicksDynamic);
    m_axis->setTickAnchor(0.0);
    m_axis->setTickInterval(niceStep(m_hi - m_lo));
}

void showValuesOnHover(QXYSeries* series, QChartView* view, const QString& xName) {
    QObject::connect(series, &QXYSeries::hovered, view, [series, view, xName](const QPointF& p, bool state) {
        if (!state) {
            QToolTip::hideText();
            return;
        }
        const QString text = QString("%1\n%2 %3\nvalue %4").arg(series->name(), xName).arg(p.x(), 0, 'f', 2).arg(p.y(), 0, 'g', 5);
        QToolTip::showText(QCursor::pos(), text, view);
    });
}

void makeLegendToggles(QChart* chart) {
    for (QLegendMarker* marker : chart->legend()->markers()) {
        if (marker->property("mfToggles").toBool())
            continue;  // called again as series are added: one connection per marker
        marker->setProperty("mfToggles", true);
        QObject::connect(marker, &QLegendMarker::clicked, chart, [marker] {
            QAbstractSeries* s = marker->series();
            s->setVisible(!s->isVisible());
            marker->setVisible(true);  // hiding a series hides its marker too; keep it clickable
            QFont f = marker->font();
            f.setStrikeOut(!s->isVisible());
            marker->setFont(f);
            QBrush b = marker->labelBrush();
            QColor c = b.color();
            c.setAlphaF(s->isVisible() ? 1.0 : 0.4);
            b.setColor(c);
            marker->setLabelBrush(b);
        });
    }
}

QChartView* makeChartView(const QString& title, const QString& xTitle, const QString& yTitle, QWidget* parent) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    QFont small = chart->legend()->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    chart->legend()->setFont(small);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* x = new QValueAxis;
    x->setTitleText(xTitle);
    x->setLabelFormat("%g");
    auto* y = new QValueAxis;
    y->setTitleText(yTitle);
    y->setLabelFormat("%g");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(260, 200);
    return view;
}

QValueAxis* xAxisOf(QChart* chart) {
    const auto axes = chart->axes(Qt::Horizontal);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis*>(axes.first());
}

QValueAxis* yAxisOf(QChart* chart) {
    const auto axes = chart->axes(Qt::Vertical);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis*>(axes.first());
}

void addSeries(QChart* chart, QAbstractSeries* series) {
    chart->addSeries(series);
    series->attachAxis(xAxisOf(chart));
    series->attachAxis(yAxisOf(chart));
}

} // namespace mf
