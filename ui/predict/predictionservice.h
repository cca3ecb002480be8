#pragma once
#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include "io/imageio.h"

#include <opencv2/core.hpp>

#include <functional>
#include <optional>
#include <memory>
#include <vector>

namespace mf {

/** What predicting one image gave (plain data; crosses threads). Heavy maps may be dropped by a
 *  batch job that only needs its own figures. */
struct ImagePrediction {
    int row = -1;               ///< the image's row in the project
    QString image, truth;       ///< paths; truth empty when the image has no mask
    QString error;              ///< non-empty when the prediction failed
    cv::Mat rgb, truthMask, labels;
    std::vector<cv::Mat> probabilities;
    cv::Mat candidate;          ///< a batch job's proposed mask (refinement)
    cv::Mat proposedOver;       ///< the mask the candidate would replace (its coarse mask)
    int changedPixels = 0, emptyBoxes = 0;
};

/** One image for a batch job. */
struct PredictItem {
    int row = -1;
    QString image, truth;
    MaskEncoding truthEncoding;  // the project's: how `truth` stores classes
};

/** Holds a run's Predictor and runs it off the GUI thread: one image at a time through
 *  QtConcurrent + QFutureWatcher, or a batch with progress and cancel. The predictor is opened
 *  lazily on the worker (loading a checkpoint takes a moment) and used by one job at a time. */
class PredictionService : public QObject {
    Q_OBJECT
public:
    /** Runs on the worker after a batch item's prediction; may fill `candidate` and drop maps. */
    using ItemHook = std::function<void(ImagePrediction&)>;

    explicit PredictionService(QObject* parent = nullptr);
    ~PredictionService() override;

    void setRun(const QString& runOrCheckpoint);
    QString run() const;
    bool isBusy() const;

    /** Predicts one image; predicted() follows on the GUI thread. While one prediction runs, the
     *  latest request waits (earlier waiting ones are dropped): the GUI never blocks on a job. */
    void predictImage(const PredictItem& item);
    /** Predicts each item in order; itemDone() per image, progress(), then batchFinished(). False
     *  (nothing started) while another batch runs. */
    bool predictBatch(const std::vector<PredictItem>& items, ItemHook hook = {});
    void cancel();
    /** Blocks until the current job ends (for shutdown and tests). */
    void waitForIdle();

Q_SIGNALS:
    void predicted(const mf::ImagePrediction& prediction);
    void itemDone(const mf::ImagePrediction& prediction);
    void progress(int done, int total);
    void batchFinished(int done, const QStringList& errors);

private:
    struct State;
    void startSingle(const PredictItem& item);

    std::shared_ptr<State> m_state;
    std::optional<PredictItem> m_waiting;
    QFutureWatcher<ImagePrediction>* m_single;
    QFutureWatcher<void>* m_batch;
};


} // namespace mf

Q_DECLARE_METATYPE(mf::ImagePrediction)
