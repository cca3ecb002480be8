#pragma once
#include <QString>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>
#include <QtCharts/QXYSeries>

namespace mf {

/** Grows a value axis to hold new points, touching it only when a point falls outside (so a live
 *  chart does not re-layout at every step) and leaving some head-room to make that rare. */
class GrowingAxis {
public:
    explicit GrowingAxis(QValueAxis* axis = nullptr, double headroom = 0.1) : m_axis(axis), m_headroom(headroom) {}
    void setAxis(QValueAxis* axis) { m_axis = axis; }
    void reset();
    void include(double v);
    void setFloor(double v) { m_floor = v, m_hasFloor = true; }

private:
    QValueAxis* m_axis;
    double m_headroom;
    double m_lo = 0, m_hi = 0, m_floor = 0;
    bool m_empty = true, m_hasFloor = false;
};

/** 1, 2 or 5 times a power of ten giving at most five ticks over `span`: intervals read at a glance. */
double niceStep(double span);

/** Shows the hovered point's values as a tool tip over `view`. */
void showValuesOnHover(QXYSeries* series, QChartView* view, const QString& xName);
/** Clicking a legend marker toggles its series (a dimmed marker stays in the legend). */
void makeLegendToggles(QChart* chart);
/** A chart with a value axis on x and y, legend at the bottom, in a view with antialiasing. */
QChartView* makeChartView(const QString& title, const QString& xTitle, const QString& yTitle, QWidget* parent);
QValueAxis* xAxisOf(QChart* chart);
QValueAxis* yAxisOf(QChart* chart);
/** Adds `series` to the chart and its two axes. */
void addSeries(QChart* chart, QAbstractSeries* series);

} // namespace mf
