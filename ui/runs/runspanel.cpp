#include "runs/runspanel.h"

#include "files/dialogdirs.h"

#include "charts/metricsfollower.h"
#include "charts/trainingcharts.h"
#include "io/atomicfile.h"
#include "metrics/metrics.h"
#include "infer/evaluate.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace mf {
namespace {

QTableWidgetItem* cell(const QString& text, const QVariant& sortValue = {}) {
    auto* item = new QTableWidgetItem(text);
    if (sortValue.isValid())
        item->setData(Qt::UserRole, sortValue);
    return item;
}

QString archText(const RunInfo& r) {
    static const std::map<std::string, QString> names = {{"encdec", "Encoder-decoder"}, {"unet", "U-Net"}, {"unetpp", "U-Net++"}};
    const auto it = names.find(r.arch);
    QString text = it != names.end() ? it->second : QString::fromStdString(r.arch);
    if (r.attention)
        text += " + attention";
    if (r.encoder != "plain" && !r.encoder.empty())
        text += " / " + QString::fromStdString(r.encoder);
    return text;
}

} // namespace

RunsPanel::RunsPanel(QWidget* parent) : QWidget(parent), m_report(new QFutureWatcher<QString>(this)) {
    m_table = new QTableWidget(0, 6, this);
    m_table->setHorizontalHeaderLabels({tr("run"), tr("architecture"), tr("date"), tr("best mIoU"), tr("epochs"), tr("status")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* buttons = new QHBoxLayout;
    auto add = [&](const QString& text, auto slot) {
        auto* b = new QPushButton(text, this);
        buttons->addWidget(b);
        connect(b, &QPushButton::clicked, this, slot);
        return b;
    };
    add(tr("Refresh"), [this] { refresh(); });
    add(tr("Charts"), [this] { runAction([this](const QString& d) { openCharts(d); }); });
    add(tr("Config"), [this] { runAction([this](const QString& d) { openConfig(d); }); });
    add(tr("Report"), [this] { runAction([this](const QString& d) { openReport(d); }); });
    add(tr("Predict with"), [this] { runAction([this](const QString& d) { Q_EMIT predictRequested(d); }); });
    add(tr("Compare two"), [this] {
        const QStringList runs = selectedRuns();
        if (runs.size() == 2)
            Q_EMIT compareRequested(runs[0], runs[1]);
        else
            Q_EMIT errorOccurred(tr("Select two runs to compare."));
    });
    m_rename = add(tr("Rename…"), [this] {
        runAction([this](const QString& d) {
            bool ok = false;
            const QString name = QInputDialog::getText(this, tr("Rename run"), tr("New name"), QLineEdit::Normal,
                                                       QDir(d).dirName(), &ok);
            if (ok)
                renameRun(d, name);
        });
    });
    m_delete = add(tr("Delete"), [this] { runAction([this](const QString& d) { deleteRun(d, m_interactive); }); });
    m_rename->setObjectName("renameRun");
    m_delete->setObjectName("deleteRun");
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &RunsPanel::updateButtons);
    add(tr("Open run folder…"), [this] {  // one written elsewhere, e.g. by a cluster job on a shared disk
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run folder"),
                                                              dialogStartDir("runFolder", m_runsDir));
        rememberDialogDir("runFolder", dir);
        if (!dir.isEmpty())
            openCharts(dir);
    });
    auto* v = new QVBoxLayout(this);
    v->addWidget(m_table, 1);
    v->addLayout(buttons);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        openCharts(QString::fromStdString(m_runs[row].dir));
    });
    connect(m_report, &QFutureWatcher<QString>::finished, this, [this] {
        const QString text = m_report->result();
        Q_EMIT reportReady(m_report->property("dir").toString(), text);
        if (m_interactive)
            showText(tr("Report: %1").arg(QDir(m_report->property("dir").toString()).dirName()), text);
    });
}

void RunsPanel::setRunsDir(const QString& runsDir) {
    m_runsDir = runsDir;
    refresh();
}

void RunsPanel::refresh() {
    m_runs = listRuns(m_runsDir.toStdString());
    m_table->setSortingEnabled(false);
    m_table->setRowCount(0);
    for (const RunInfo& r : m_runs) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, cell(QString::fromStdString(r.name), QString::fromStdString(r.dir)));
        m_table->setItem(row, 1, cell(archText(r)));
        m_table->setItem(row, 2, cell(QString::fromStdString(r.date)));
        m_table->setItem(row, 3, cell(r.bestEpoch > 0 ? QString("%1 (epoch %2)").arg(r.bestMIoU, 0, 'f', 4).arg(r.bestEpoch) : "—"));
        m_table->setItem(row, 4, cell(QString("%1/%2").arg(r.epochsDone).arg(r.epochs)));
        const bool active = isActive(QString::fromStdString(r.dir));
        auto* status = cell(active ? tr("training") : QString::fromStdString(r.status));
        if (!r.problem.empty())
            status->setToolTip(QString::fromStdString(r.problem));
        m_table->setItem(row, 5, status);
    }
    updateButtons();
}

bool RunsPanel::isActive(const QString& dir) const {
    return !m_activeRun.isEmpty() && QDir(m_activeRun) == QDir(dir);
}

// The trainer writes into the active run's folder until it stops: renaming or deleting it would
// pull the folder from under it.
void RunsPanel::updateButtons() {
    bool active = false;
    for (const QString& d : selectedRuns())
        active = active || isActive(d);
    const QString why = tr("Not while this run is training");
    for (QPushButton* b : {m_rename, m_delete}) {
        b->setEnabled(!active);
        b->setToolTip(active ? why : QString());
    }
}

void RunsPanel::setActiveRun(const QString& dir) {
    m_activeRun = dir;
    refresh();
}

QStringList RunsPanel::selectedRuns() const {
    QStringList out;
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, 0)->isSelected())
            out << m_table->item(row, 0)->data(Qt::UserRole).toString();
    return out;
}

void RunsPanel::selectRun(const QString& dir) {
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, 0)->data(Qt::UserRole).toString() == dir)
            m_table->selectRow(row);
}

void RunsPanel::runAction(const std::function<void(const QString&)>& action) {
    const QStringList runs = selectedRuns();
    if (runs.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select a run first."));
        return;
    }
    action(runs.first());
}

QWidget* RunsPanel::showText(const QString& title, const QString& text) {
    auto* view = new QPlainTextEdit;
    view->setAttribute(Qt::WA_DeleteOnClose);
    view->setWindowTitle(title);
    view->setReadOnly(true);
    view->setFont(QFont("monospace"));
    view->setPlainText(text);
    view->resize(640, 480);
    view->show();
    return view;
}

QWidget* RunsPanel::openCharts(const QString& dir) {
    auto* charts = new TrainingCharts;
    charts->setAttribute(Qt::WA_DeleteOnClose);
    charts->setWindowTitle(tr("Charts: %1").arg(QDir(dir).dirName()));
    try {
        charts->loadRun(dir);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
    }
    new MetricsFollower(charts, dir);  // a run still being written (here or by a cluster job) keeps growing
    charts->resize(1200, 420);
    charts->show();
    return charts;
}

QWidget* RunsPanel::openConfig(const QString& dir) {
    try {
        return showText(tr("Config: %1").arg(QDir(dir).dirName()),
                        QString::fromStdString(readFileBytes(QDir(dir).filePath("config.yaml").toStdString())));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
        return nullptr;
    }
}

void RunsPanel::openReport(const QString& dir) {
    if (m_report->isRunning())
        return;
    m_report->setProperty("dir", dir);
    m_report->setFuture(QtConcurrent::run([dir]() -> QString {
        try {
            const Evaluation e = evaluate(dir.toStdString(), "val");
            return QString::fromStdString(reportToText(e.report, e.classNames));
        } catch (const std::exception& ex) {
            return QObject::tr("Could not evaluate: %1").arg(QString::fromUtf8(ex.what()));
        }
    }));
}

bool RunsPanel::renameRun(const QString& dir, const QString& newName) {
    if (isActive(dir)) {
        Q_EMIT errorOccurred(tr("Cannot rename %1 while it is training.").arg(QDir(dir).dirName()));
        return false;
    }
    try {
        mf::renameRun(dir.toStdString(), newName.toStdString());
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
        return false;
    }
    refresh();
    return true;
}

bool RunsPanel::deleteRun(const QString& dir, bool ask) {
    if (isActive(dir)) {
        Q_EMIT errorOccurred(tr("Cannot delete %1 while it is training.").arg(QDir(dir).dirName()));
        return false;
    }
    if (ask && QMessageBox::question(this, tr("Delete run"), tr("Delete the run %1 and its checkpoints?").arg(QDir(dir).dirName())) !=
                   QMessageBox::Yes)
        return false;
    try {
        mf::deleteRun(dir.toStdString());
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
        return false;
    }
    refresh();
    return true;
}

} // namespace mf
