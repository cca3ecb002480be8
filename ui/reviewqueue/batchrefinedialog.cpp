#include "reviewqueue/batchrefinedialog.h"

#include "reviewqueue/batchrefiner.h"
#include "common/qtcv.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace mf {
namespace {

/** How a method is named to the person (the CLI's names are the columns' tool tips). */
QString methodTitle(const std::string& m) {
    if (m == kBoxesMethod)
        return QObject::tr("Boxes");
    if (m == "grabcut")
        return QStringLiteral("GrabCut");
    if (m == kClassifierMethod)
        return QObject::tr("Classifier");
    QString t = toQString(m);
    return t.isEmpty() ? t : t.left(1).toUpper() + t.mid(1);
}

QString score(double v) { return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', 3); }

/** Whether every method scores below the boxes for the class of `choice` (it keeps its boxes for that). */
bool everyMethodBelow(const RefinementReport& r, const ClassChoice& choice) {
    if (std::isnan(choice.boxIoU))
        return false;
    for (const std::string& m : r.methods) {
        const double v = r.choosing.iou(m, choice.classId);
        if (!std::isnan(v) && v >= choice.boxIoU)
            return false;
    }
    return true;
}

QString className(const RefinementReport& r, int c) {
    const QString n = c >= 0 && c < static_cast<int>(r.classNames.size()) ? toQString(r.classNames[static_cast<std::size_t>(c)]) : QString();
    return n.isEmpty() ? QObject::tr("class %1").arg(c) : n;
}

} // namespace

BatchRefineDialog::BatchRefineDialog(BatchRefiner* batch, QWidget* parent) : QDialog(parent), m_batch(batch) {
    setObjectName("batchRefineDialog");
    setWindowTitle(tr("Refine all coarse boxes"));
    setModal(false);
    m_mode = new QLabel(this);
    m_mode->setObjectName("batchMode");
    m_mode->setWordWrap(true);
    m_state = new QLabel(this);
    // The state line shows each log line as it comes, some of them long: wrapped, or the dialog grows to fit
    // one past the screen's edge.
    m_state->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName("batchStop");
    m_stop->setToolTip(tr("Stop the batch: what it finished stays in the review queue"));
    m_table = new QTableWidget(this);
    m_table->setObjectName("batchScores");
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_notes = new QLabel(this);
    m_notes->setObjectName("batchNotes");
    m_notes->setWordWrap(true);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName("batchLog");
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(500);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setToolTip(tr("Hide this window; the batch goes on in the background"));
    buttons->addButton(m_stop, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_mode);
    layout->addWidget(m_state);
    layout->addWidget(m_progress);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_notes);
    layout->addWidget(m_log, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::hide);
    connect(m_stop, &QPushButton::clicked, m_batch, &BatchRefiner::stop);
    connect(m_batch, &BatchRefiner::progress, this, [this](int done, int total) {
        // Auto computes every method on every image before the first proposal: busy until it has chosen.
        if (m_batch->mode() == BatchRefiner::Mode::Auto && !m_batch->hasReport() && done < total)
            return;
        m_progress->setRange(0, std::max(1, total));
        m_progress->setValue(done);
    });
    connect(m_batch, &BatchRefiner::message, this, [this](const QString& text) {
        m_log->appendPlainText(text);
        m_state->setText(text.section('\n', 0, 0));
    });
    connect(m_batch, &BatchRefiner::reportReady, this, &BatchRefineDialog::showReport);
    connect(m_batch, &BatchRefiner::finished, this, &BatchRefineDialog::batchFinished);
    resize(820, 480);
}

void BatchRefineDialog::showTable(bool shown) {
    // The table, when there is one, takes the room and the log keeps six lines; without it the log takes
    // the room (the labels and the bar no longer float in the empty height).
    m_table->setVisible(shown);
    m_log->setMaximumHeight(shown ? fontMetrics().lineSpacing() * 6 : QWIDGETSIZE_MAX);
}

void BatchRefineDialog::batchStarted(int reviewed, int images) {
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    m_notes->clear();
    m_log->clear();
    m_stop->setEnabled(true);
    m_progress->setRange(0, std::max(1, images));
    m_progress->setValue(0);
    if (m_batch->mode() == BatchRefiner::Mode::Auto) {
        QStringList methods;  // what the pass computes (the GUI's batch has no model)
        for (const std::string& m : refinementMethods(kAutoMethod, false))
            methods << methodTitle(m);
        m_mode->setText(tr("<b>Choosing per class</b> on %n reviewed image(s) that kept their boxes: the boxes and each "
                           "method (%1) are scored against their masks; the method with the best mean over the classes is "
                           "taken for every class, and a class keeps its boxes where it does not beat them. %2 coarse "
                           "image(s) to refine.",
                           nullptr, reviewed)
                            .arg(methods.join(", "))
                            .arg(images));
        m_state->setText(tr("Computing every method on the coarse and the reviewed images..."));
        m_progress->setRange(0, 0);
        showTable(false);
    } else {
        m_mode->setText(tr("<b>GrabCut for every class</b> (the default): no reviewed image kept its boxes, so nothing can "
                           "score the methods against true masks. Review a few refined images (status <i>reviewed</i>) and "
                           "run this again to let it choose per class. %n coarse image(s) to refine.", nullptr, images));
        m_state->setText(tr("GrabCut, image by image..."));
        showTable(false);
    }
}

QString BatchRefineDialog::shortReason(const RefinementReport& r, int row) {
    const ClassChoice& c = r.choices.at(static_cast<std::size_t>(row));
    QString reason;
    if (c.method == kBoxesMethod) {
        if (std::isnan(c.boxIoU))
            reason = tr("no reviewed image holds this class");
        else if (everyMethodBelow(r, c))
            reason = tr("every method scores below the boxes");
        else if (c.overall == kBoxesMethod)
            reason = tr("no method beats the boxes by over 0.02");
        else
            reason = tr("%1, taken for all, is not better here").arg(methodTitle(c.overall));
    } else {
        reason = c.why.find("within") != std::string::npos ? tr("tied best over all classes") : tr("best over all classes");
    }
    if (c.why.find("thin evidence") != std::string::npos)
        reason += tr("; thin evidence");
    return reason;
}

void BatchRefineDialog::showReport() {
    const RefinementReport& r = m_batch->report();
    QStringList headers{tr("Class"), methodTitle(kBoxesMethod)};
    for (const std::string& m : r.methods)
        headers << methodTitle(m);
    headers << tr("Takes") << tr("Why");
    m_table->clear();
    m_table->setColumnCount(static_cast<int>(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(static_cast<int>(r.choices.size()));
    QStringList kept, unscored;
    for (int row = 0; row < static_cast<int>(r.choices.size()); ++row) {
        const ClassChoice& c = r.choices[static_cast<std::size_t>(row)];
        auto* name = new QTableWidgetItem(className(r, c.classId));
        m_table->setItem(row, 0, name);
        std::vector<std::string> columns{kBoxesMethod};
        columns.insert(columns.end(), r.methods.begin(), r.methods.end());
        for (std::size_t k = 0; k < columns.size(); ++k) {
            const double v = r.choosing.iou(columns[k], c.classId);
            const bool below = k > 0 && !std::isnan(v) && !std::isnan(c.boxIoU) && v < c.boxIoU;
            auto* item = new QTableWidgetItem(score(v) + (below ? QStringLiteral(" <") : QString()));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (below) {
                item->setForeground(QColor(160, 40, 40));
                item->setToolTip(tr("below the boxes: never applied to this class"));
            }
            if (columns[k] == c.method) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
                item->setBackground(QColor(200, 235, 200));
            }
            m_table->setItem(row, static_cast<int>(k) + 1, item);
        }
        auto* takes = new QTableWidgetItem(methodTitle(c.method));
        QFont f = takes->font();
        f.setBold(true);
        takes->setFont(f);
        m_table->setItem(row, static_cast<int>(columns.size()) + 1, takes);
        auto* why = new QTableWidgetItem(shortReason(r, row));
        why->setToolTip(toQString(c.why));
        m_table->setItem(row, static_cast<int>(columns.size()) + 2, why);
        if (c.method == kBoxesMethod && !std::isnan(c.boxIoU))
            kept << className(r, c.classId);
        else if (c.method == kBoxesMethod && std::isnan(c.boxIoU))
            unscored << className(r, c.classId);
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
    showTable(true);
    QStringList notes;
    notes << tr("IoU against the masks of %n reviewed image(s); &lt; marks a method below the boxes, the class's choice is "
                "highlighted.", nullptr, r.reviewed);
    if (!kept.isEmpty())
        notes << tr("<b>Keeps its boxes: %1</b> — the method taken for every class does not beat the boxes there, so "
                    "none is applied.")
                     .arg(kept.join(", "));
    if (!unscored.isEmpty())
        notes << tr("Keeps its boxes, unscored: %1 — no reviewed image holds it.").arg(unscored.join(", "));
    if (!std::isnan(r.untidyMean)) {
        const QString means = tr("mean IoU %1 → %2 on the reviewed images")
                                  .arg(score(r.untidyMean), score(r.tidyMean));
        if (r.tidy)
            notes << tr("<b>Tidied</b>: each box's object made one piece (closed, holes filled, crumbs dropped): %1.").arg(means);
        else if (!r.tidyBelow.empty())
            notes << tr("Not tidied: one piece per box would put %1 below its boxes (%2).")
                         .arg(QString::fromStdString(r.tidyBelow), means);
        else
            notes << tr("Not tidied: one piece per box would not be better (%1).").arg(means);
    }
    m_notes->setText(notes.join("<br>"));
    m_state->setText(tr("Chosen; writing the proposals..."));
}

void BatchRefineDialog::batchFinished(int refined, const QStringList& errors) {
    m_stop->setEnabled(false);
    QString text = tr("Done: %n proposal(s) in the review queue.", nullptr, refined);
    if (!errors.isEmpty())
        text += tr(" %n problem(s), see below.", nullptr, static_cast<int>(errors.size()));
    m_state->setText(text);
    for (const QString& e : errors)
        m_log->appendPlainText(e);
}

} // namespace mf
