#include "compare/compareview.h"

#include "predict/imagepane.h"
#include "predict/overlayrender.h"
#include "project/project.h"
#include "viz/overlay.h"
#include "runs/runlist.h"

#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtCharts/QChartView>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <map>

namespace mf {

CompareView::CompareView(QWidget* parent)
    : QWidget(parent), m_eval(new QFutureWatcher<Result>(this)), m_predictA(new PredictionService(this)),
      m_predictB(new PredictionService(this)) {
    m_table = new QTableWidget(0, 4, this);
    m_table->setHorizontalHeaderLabels({tr("class"), tr("IoU A"), tr("IoU B"), tr("B − A")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_ranked = new QListWidget(this);
    m_ranked->setToolTip(tr("Validation images, largest IoU difference first: click one to see both predictions"));
    m_curves = new QChartView(this);
    m_curves->setRenderHint(QPainter::Antialiasing);
    m_curves->setMinimumHeight(220);

    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_table);
    auto* rankedBox = new QWidget;
    auto* rv = new QVBoxLayout(rankedBox);
    rv->setContentsMargins(0, 0, 0, 0);
    rv->addWidget(new QLabel(tr("Images by IoU difference (B − A)"), rankedBox));
    rv->addWidget(m_ranked);
    left->addWidget(rankedBox);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(buildPanes());
    right->addWidget(m_curves);
    right->setSizes({560, 320});
    auto* body = new QSplitter(Qt::Horizontal, this);
    body->addWidget(left);
    body->addWidget(right);
    body->setStretchFactor(1, 1);
    body->setSizes({400, 1100});
    auto* v = new QVBoxLayout(this);
    v->addWidget(buildTop());
    v->addWidget(body, 1);

    connect(m_eval, &QFutureWatcher<Result>::finished, this, &CompareView::onEvaluated);
    connect(m_ranked, &QListWidget::currentRowChanged, this, &CompareView::showRanked);
    connect(m_predictA, &PredictionService::predicted, this, [this](const ImagePrediction& p) {
        m_gotA = p;
        onPredicted();
    });
    connect(m_predictB, &PredictionService::predicted, this, [this](const ImagePrediction& p) {
        m_gotB = p;
        onPredicted();
    });
}

QWidget* CompareView::buildTop() {
    auto* w = new QWidget(this);
    auto* h = new QHBoxLayout(w);
    h->setContentsMargins(0, 0, 0, 0);
    m_runA = new QComboBox(w);
    m_runB = new QComboBox(w);
    m_split = new QComboBox(w);
    m_split->addItems({"val", "test", "train"});
    m_go = new QPushButton(tr("Compare"), w);
    m_status = new QLabel(w);
    h->addWidget(new QLabel(tr("A"), w));
    h->addWidget(m_runA, 1);
    h->addWidget(new QLabel(tr("B"), w));
    h->addWidget(m_runB, 1);
    h->addWidget(new QLabel(tr("split"), w));
    h->addWidget(m_split);
    h->addWidget(m_go);
    h->addWidget(m_status, 1);
    connect(m_go, &QPushButton::clicked, this, [this] {
        compare(m_runA->currentData().toString(), m_runB->currentData().toString(), m_split->currentText());
    });
    return w;
}

QWidget* CompareView::buildPanes() {
    auto* w = new QWidget(this);
    auto* v = new QVBoxLayout(w);
    v->setContentsMargins(0, 0, 0, 0);
    auto* h = new QHBoxLayout;
    m_paneA = new ImagePane(w);
    m_paneB = new ImagePane(w);
    m_paneDiff = new ImagePane(w);
    m_paneA->setTitle(tr("A"));
    m_paneB->setTitle(tr("B"));
    m_paneDiff->setTitle(tr("where they disagree"));
    for (ImagePane* p : {m_paneA, m_paneB, m_paneDiff})
        h->addWidget(p, 1);
    synchroniseViews({m_paneA, m_paneB, m_paneDiff});
    v->addLayout(h, 1);
    auto* bottom = new QHBoxLayout;
    m_opacity = new QSlider(Qt::Horizontal, w);
    m_opacity->setRange(0, 100);
    m_opacity->setValue(60);
    auto swatch = [](DisagreementCode c, const QString& text) {
        const Rgb rgb = disagreementColor(c);
        return QString("<span style='color:rgb(%1,%2,%3)'>&#9632;</span> %4").arg(rgb[0]).arg(rgb[1]).arg(rgb[2]).arg(text);
    };
    auto* legend = new QLabel(swatch(DisagreementCode::OnlyARight, tr("only A right")) + "&nbsp;&nbsp;" +
                                  swatch(DisagreementCode::OnlyBRight, tr("only B right")) + "&nbsp;&nbsp;" +
                                  swatch(DisagreementCode::BothWrong, tr("both wrong")),
                              w);
    bottom->addWidget(new QLabel(tr("Opacity"), w));
    bottom->addWidget(m_opacity, 1);
    bottom->addWidget(legend);
    v->addLayout(bottom);
    connect(m_opacity, &QSlider::valueChanged, this, [this](int value) {
        for (ImagePane* p : {m_paneA, m_paneB, m_paneDiff})
            p->setOpacity(value / 100.0);
    });
    return w;
}

void CompareView::setRunsDir(const QString& runsDir) {
    for (QComboBox* c : {m_runA, m_runB})
        c->clear();
    const auto runs = listRuns(runsDir.toStdString());
    for (const RunInfo& r : runs)
        if (r.hasBest)
            for (QComboBox* c : {m_runA, m_runB})
                c->addItem(QString("%1 (%2)").arg(QString::fromStdString(r.name), QString::fromStdString(r.arch)),
                           QString::fromStdString(r.dir));
    // Default pairing: the encoder-decoder as A and a U-Net as B when both exist.
    for (int i = 0; i < m_runA->count(); ++i) {
        if (m_runA->itemText(i).contains("(encdec)"))
            m_runA->setCurrentIndex(i);
        if (m_runB->itemText(i).contains("(unet)"))
            m_runB->setCurrentIndex(i);
    }
}

CompareView::Result CompareView::evaluateBoth(const QString& a, const QString& b, const QString& split) {
    Result r;
    try {
        r.comparison = compareRuns(a.toStdString(), b.toStdString(), split.toStdString());
    } catch (const std::exception& e) {
        r.error = QString::fromUtf8(e.what());
    }
    return r;
}

void CompareView::compare(const QString& runA, const QString& runB, const QString& split) {
    if (m_eval->isRunning() || runA.isEmpty() || runB.isEmpty())
        return;
    m_shownA = runA, m_shownB = runB;
    m_predictA->setRun(runA);
    m_predictB->setRun(runB);
    m_paneA->setTitle(tr("A: %1").arg(QDir(runA).dirName()));
    m_paneB->setTitle(tr("B: %1").arg(QDir(runB).dirName()));
    m_status->setText(tr("Evaluating both runs on %1…").arg(split));
    m_go->setEnabled(false);
    m_eval->setFuture(QtConcurrent::run(&CompareView::evaluateBoth, runA, runB, split));
}

void CompareView::onEvaluated() {
    m_go->setEnabled(true);
    const Result r = m_eval->result();
    if (!r.error.isEmpty()) {
        m_status->setText(tr("Error: %1").arg(r.error));
        Q_EMIT failed(r.error);
        return;
    }
    const RunComparison& c = *r.comparison;
    m_classNames = c.a.classNames;
    m_ignoreIndex = c.a.report.ignoreIndex;
    fillTable(c.a, c.b);
    fillRanking(c);
    fillCurves();
    m_status->setText(tr("%1 images: mIoU (no bg) A %2, B %3")
                          .arg(c.a.report.images)
                          .arg(c.a.report.mIoUNoBackground, 0, 'f', 4)
                          .arg(c.b.report.mIoUNoBackground, 0, 'f', 4));
    Q_EMIT compared();
    // The image where the runs differ most is shown at once: the three panes stayed empty until one was clicked.
    if (m_ranked->count() > 0)
        m_ranked->setCurrentRow(0);
}

} // namespace mf
