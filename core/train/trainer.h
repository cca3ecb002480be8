#pragma once
#include "runs/runmetrics.h"
#include "runs/trainconfig.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace mf {
namespace dist {
class Communicator;
}

/** Progress of one optimisation step. Plain data: crosses threads as a queued signal. */
struct StepReport {
    int epoch = 0;          ///< 1-based
    int step = 0;           ///< 1-based within the epoch
    int stepsPerEpoch = 0;
    int epochs = 0;         ///< the run's epoch count now (time_budget may change it between epochs)
    long long globalStep = 0;
    double loss = 0;
    double lr = 0;
    double secondsElapsed = 0;
    double etaSeconds = 0;
};

/** How a run ended. */
struct TrainResult {
    enum class Status { Finished, EarlyStopped, Cancelled, Failed };
    Status status = Status::Finished;
    std::string message;
    std::string runDir;
    int epochsDone = 0;
    int bestEpoch = 0;
    double bestScore = 0;
};

/** Receives progress from the trainer on the trainer's thread. */
class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual void onStart(const std::string& runDir, const std::string& deviceDescription) { (void)runDir, (void)deviceDescription; }
    virtual void onStep(const StepReport& report) { (void)report; }
    virtual void onEpoch(const EpochReport& report) { (void)report; }
    virtual void onLog(const std::string& line) { (void)line; }
    /** The trainer has stopped between two steps on a pause request (true), or goes on (false). */
    virtual void onPaused(bool paused) { (void)paused; }
};

/** Cancel and pause requests, set from any thread, honoured between steps. Time spent paused counts
 *  in no epoch's seconds, no step's elapsed time and no ETA. */
struct TrainControl {
    std::atomic<bool> cancel{false};
    std::atomic<bool> pause{false};
};

/** Trains one network as `config` says. Blocking; call it on a worker thread. Writes the run folder
 *  (config.yaml, metrics.csv, best.pt, last.pt, train.log) atomically; a cancel or a NaN loss keeps
 *  the last good checkpoint. Throws std::invalid_argument / FileError for bad configs before any work.
 *  With `group` (a process group of more than one rank) it trains data-parallel (dist::DataParallel):
 *  each rank takes its share of every epoch with config.batch items per step, and only rank 0 writes
 *  the run folder; a failed peer makes it throw std::runtime_error. */
TrainResult train(const TrainConfig& config, TrainObserver* observer = nullptr, TrainControl* control = nullptr,
                  std::shared_ptr<dist::Communicator> group = nullptr);


} // namespace mf
