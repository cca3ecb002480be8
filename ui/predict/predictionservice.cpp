#include "predict/predictionservice.h"

#include "io/imageio.h"
#include "infer/predictor.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <filesystem>
#include <mutex>

namespace mf {

struct PredictionService::State {
    std::mutex mutex;  // the Predictor takes one call at a time
    std::unique_ptr<Predictor> predictor;
    std::string openRun, wantedRun;
    std::atomic<bool> cancel{false};

    Predictor& ensure() {
        if (!predictor || openRun != wantedRun) {
            predictor.reset();
            predictor = Predictor::open(wantedRun, "auto");
            openRun = wantedRun;
        }
        return *predictor;
    }

    ImagePrediction run(const PredictItem& item) {
        ImagePrediction out;
        out.row = item.row, out.image = item.image, out.truth = item.truth;
        // The ui boundary: a missing file or a broken checkpoint becomes a message, not a crash.
        try {
            out.rgb = readImageRgb(item.image.toStdString());
            std::lock_guard<std::mutex> lock(mutex);
            Prediction p = ensure().predict(out.rgb);
            out.labels = p.labels;
            out.probabilities = std::move(p.probabilities);
            if (!item.truth.isEmpty() && std::filesystem::is_regular_file(item.truth.toStdString()))
                out.truthMask = readMask(item.truth.toStdString(), item.truthEncoding);
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        }
        return out;
    }
};

PredictionService::PredictionService(QObject* parent)
    : QObject(parent), m_state(std::make_shared<State>()), m_single(new QFutureWatcher<ImagePrediction>(this)),
      m_batch(new QFutureWatcher<void>(this)) {
    qRegisterMetaType<mf::ImagePrediction>();
    connect(m_single, &QFutureWatcher<ImagePrediction>::finished, this, [this] {
        const ImagePrediction result = m_single->result();
        if (m_waiting) {
            const PredictItem next = *m_waiting;
            m_waiting.reset();
            startSingle(next);
        }
        Q_EMIT predicted(result);
    });
}

PredictionService::~PredictionService() {
    cancel();
    waitForIdle();
}

void PredictionService::setRun(const QString& runOrCheckpoint) {
    std::lock_guard<std::mutex> lock(m_state->mutex);
    m_state->wantedRun = runOrCheckpoint.toStdString();
}

QString PredictionService::run() const {
    std::lock_guard<std::mutex> lock(m_state->mutex);
    return QString::fromStdString(m_state->wantedRun);
}

bool PredictionService::isBusy() const { return m_single->isRunning() || m_batch->isRunning(); }

void PredictionService::predictImage(const PredictItem& item) {
    if (m_single->isRunning())
        m_waiting = item;
    else
        startSingle(item);
}

void PredictionService::startSingle(const PredictItem& item) {
    m_single->setFuture(QtConcurrent::run([state = m_state, item] { return state->run(item); }));
}

bool PredictionService::predictBatch(const std::vector<PredictItem>& items, ItemHook hook) {
    if (m_batch->isRunning())
        return false;
    m_state->cancel = false;
    QPointer<PredictionService> self(this);
    m_batch->setFuture(QtConcurrent::run([state = m_state, items, hook, self] {
        QStringList errors;
        int done = 0;
        for (const PredictItem& item : items) {
            if (state->cancel)
                break;
            ImagePrediction p = state->run(item);
            if (p.error.isEmpty() && hook) {
                try {
                    hook(p);
                } catch (const std::exception& e) {
                    p.error = QString::fromUtf8(e.what());
                }
            }
            if (!p.error.isEmpty())
                errors << item.image + ": " + p.error;
            ++done;
            const int total = static_cast<int>(items.size());
            QMetaObject::invokeMethod(self, [self, p, done, total] {
                if (self) {
                    Q_EMIT self->itemDone(p);
                    Q_EMIT self->progress(done, total);
                }
            }, Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(self, [self, done, errors] {
            if (self)
                Q_EMIT self->batchFinished(done, errors);
        }, Qt::QueuedConnection);
    }));
    return true;
}

void PredictionService::cancel() { m_state->cancel = true; }

void PredictionService::waitForIdle() {
    m_waiting.reset();
    m_single->waitForFinished();
    m_batch->waitForFinished();
}

} // namespace mf
