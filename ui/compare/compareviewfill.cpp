// CompareView: filling the table, the ranking and the curves, and showing one image's predictions.
#include "compare/compareview.h"

#include "charts/chartsupport.h"

#include "predict/imagepane.h"
#include "predict/overlayrender.h"
#include "project/project.h"
#include "viz/overlay.h"
#include "runs/runmetrics.h"

#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QTableWidget>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

namespace mf {
namespace {

QTableWidgetItem* number(double v, bool signedValue = false) {
    auto* item = new QTableWidgetItem(signedValue ? QString::asprintf("%+.4f", v) : QString::asprintf("%.4f", v));
    item->setData(Qt::UserRole, v);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (signedValue && std::abs(v) >= 0.005)
        item->setForeground(v > 0 ? QColor(0, 130, 60) : QColor(200, 30, 30));
    return item;
}

void addRow(QTableWidget* t, const QString& name, double a, double b, bool bold = false) {
    const int row = t->rowCount();
    t->insertRow(row);
    auto* label = new QTableWidgetItem(name);
    t->setItem(row, 0, label);
    t->setItem(row, 1, number(a));
    t->setItem(row, 2, number(b));
    t->setItem(row, 3, number(b - a, true));
    if (bold)
        for (int c = 0; c < 4; ++c) {
            QFont f = t->item(row, c)->font();
            f.setBold(true);
            t->item(row, c)->setFont(f);
        }
}

QLineSeries* curve(const RunMetrics& m, const QString& name, QColor colour, bool dashed, bool loss) {
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(colour);
    pen.setWidthF(2.0);
    if (dashed)
        pen.setStyle(Qt::DashLine);
    s->setPen(pen);
    for (const EpochReport& e : m.epochs)
        s->append(e.epoch, loss ? e.valLoss : e.mIoUNoBackground);
    return s;
}

} // namespace

void CompareView::fillTable(const Evaluation& a, const Evaluation& b) {
    m_table->setRowCount(0);
    for (int c = 0; c < a.report.classCount; ++c) {
        const QString name = c < static_cast<int>(a.classNames.size()) ? QString::fromStdString(a.classNames[c])
                                                                        : QString::number(c);
        addRow(m_table, name, a.report.iou[c], b.report.iou[c]);
    }
    addRow(m_table, tr("mIoU"), a.report.mIoU, b.report.mIoU, true);
    addRow(m_table, tr("mIoU (no background)"), a.report.mIoUNoBackground, b.report.mIoUNoBackground, true);
    addRow(m_table, tr("pixel accuracy"), a.report.pixelAccuracy, b.report.pixelAccuracy);
}

void CompareView::fillRanking(const RunComparison& c) {
    m_ranking.clear();
    for (const ImageDiff& d : c.images)
        if (!d.item.image.empty())
            m_ranking.push_back({d.item, d.a, d.b});
    const QSignalBlocker block(m_ranked);
    m_ranked->clear();
    for (const RankedImage& i : m_ranking)
        m_ranked->addItem(QString("%1   A %2   B %3   %4")
                              .arg(QString::fromStdString(i.item.name))
                              .arg(i.iouA, 0, 'f', 3)
                              .arg(i.iouB, 0, 'f', 3)
                              .arg(QString::asprintf("%+.3f", i.iouB - i.iouA)));
}

void CompareView::fillCurves() {
    auto* chart = new QChart;
    chart->setTitle(tr("Validation curves: mIoU (solid, left) and loss (dashed, right)"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* x = new QValueAxis;
    x->setTitleText(tr("epoch"));
    x->setLabelFormat("%d");
    auto* yIou = new QValueAxis;
    yIou->setRange(0, 1);
    yIou->setTitleText(tr("mIoU"));
    auto* yLoss = new QValueAxis;
    yLoss->setTitleText(tr("val loss"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(yIou, Qt::AlignLeft);
    chart->addAxis(yLoss, Qt::AlignRight);
    const RunMetrics a = readRunMetrics(m_shownA.toStdString()), b = readRunMetrics(m_shownB.toStdString());
    const QColor colourA(230, 120, 0), colourB(20, 100, 210);
    double maxLoss = 0, maxEpoch = 1;
    for (const auto* m : {&a, &b})
        for (const EpochReport& e : m->epochs)
            maxLoss = std::max(maxLoss, e.valLoss), maxEpoch = std::max<double>(maxEpoch, e.epoch);
    const QString nameA = QDir(m_shownA).dirName(), nameB = QDir(m_shownB).dirName();
    for (auto [m, name, colour] : {std::tuple{&a, nameA, colourA}, std::tuple{&b, nameB, colourB}}) {
        QLineSeries* iou = curve(*m, tr("%1 mIoU").arg(name), colour, false, false);
        QLineSeries* loss = curve(*m, tr("%1 val loss").arg(name), colour, true, true);
        chart->addSeries(iou);
        chart->addSeries(loss);
        iou->attachAxis(x), iou->attachAxis(yIou);
        loss->attachAxis(x), loss->attachAxis(yLoss);
    }
    x->setRange(1, maxEpoch);
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(std::max(1.0, niceStep(maxEpoch)));
    yLoss->setRange(0, maxLoss > 0 ? maxLoss * 1.1 : 1);
    QChart* old = m_curves->chart();
    m_curves->setChart(chart);
    delete old;
}

void CompareView::showRanked(int rank) {
    if (rank < 0 || rank >= static_cast<int>(m_ranking.size()))
        return;
    const EvalItem& item = m_ranking[rank].item;
    m_gotA.reset(), m_gotB.reset();
    m_status->setText(tr("Predicting %1 with both runs…").arg(QString::fromStdString(item.name)));
    const PredictItem request{rank, QString::fromStdString(item.image), QString::fromStdString(item.mask), item.maskEncoding};
    m_predictA->predictImage(request);
    m_predictB->predictImage(request);
}

void CompareView::onPredicted() {
    if (!m_gotA || !m_gotB)
        return;
    const ImagePrediction &a = *m_gotA, &b = *m_gotB;
    if (!a.error.isEmpty() || !b.error.isEmpty()) {
        m_status->setText(tr("Error: %1").arg(!a.error.isEmpty() ? a.error : b.error));
        return;
    }
    const std::vector<Rgb> palette = classPalette();
    const QImage image = imageFromMat(a.rgb);
    m_paneA->setImage(image);
    m_paneB->setImage(image);
    m_paneDiff->setImage(image);
    m_paneA->setOverlay(renderOverlay(a, OverlayMode::Labels, -1, palette, m_ignoreIndex));
    m_paneB->setOverlay(renderOverlay(b, OverlayMode::Labels, -1, palette, m_ignoreIndex));
    m_paneDiff->setOverlay(imageFromMat(colorizeDisagreement(disagreementCodes(a.labels, b.labels, a.truthMask, m_ignoreIndex))));
    const RankedImage& r = m_ranking[a.row];
    m_status->setText(tr("%1: IoU A %2, B %3; %4 pixels differ")
                          .arg(QString::fromStdString(r.item.name))
                          .arg(r.iouA, 0, 'f', 3)
                          .arg(r.iouB, 0, 'f', 3)
                          .arg(cv::countNonZero(disagreementMask(a.labels, b.labels))));
    Q_EMIT imagesShown();
}

} // namespace mf
