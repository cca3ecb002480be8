#pragma once
#include "train/trainer.h"

namespace mf::cli {

/** Training progress on the terminal: a redrawn bar when stdout is a terminal, plain lines otherwise. */
class ConsoleObserver : public TrainObserver {
public:
    ConsoleObserver();
    void onStart(const std::string& runDir, const std::string& device) override;
    void onStep(const StepReport& r) override;
    void onEpoch(const EpochReport& r) override;
    void onLog(const std::string& line) override;

private:
    bool m_tty;
};

} // namespace mf::cli
