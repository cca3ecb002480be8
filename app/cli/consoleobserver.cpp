#include "consoleobserver.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace mf::cli {
namespace {

std::string clock(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    std::ostringstream o;
    if (s >= 3600)
        o << s / 3600 << "h" << std::setw(2) << std::setfill('0') << (s / 60) % 60 << "m";
    else
        o << s / 60 << "m" << std::setw(2) << std::setfill('0') << s % 60 << "s";
    return o.str();
}

} // namespace

ConsoleObserver::ConsoleObserver() : m_tty(isatty(STDOUT_FILENO)) {}

void ConsoleObserver::onStart(const std::string& runDir, const std::string& device) {
    std::cout << "run folder " << runDir << ", " << device << std::endl;
}

void ConsoleObserver::onStep(const StepReport& r) {
    std::ostringstream line;
    line << "epoch " << r.epoch << " step " << r.step << "/" << r.stepsPerEpoch << " loss " << std::fixed
         << std::setprecision(4) << r.loss << " lr " << std::scientific << std::setprecision(2) << r.lr << " ETA "
         << clock(r.etaSeconds);
    if (m_tty) {
        const int width = 20, filled = width * r.step / std::max(1, r.stepsPerEpoch);
        std::cout << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << line.str()
                  << "   " << std::flush;
    } else if (r.step == r.stepsPerEpoch || r.step % std::max(1, r.stepsPerEpoch / 4) == 0) {
        std::cout << line.str() << "\n";
    }
}

void ConsoleObserver::onEpoch(const EpochReport& r) {
    if (m_tty)
        std::cout << "\r" << std::string(100, ' ') << "\r";
    std::cout << std::fixed << std::setprecision(4) << "epoch " << r.epoch << "/" << r.epochs << " train_loss "
              << r.trainLoss << " val_loss " << r.valLoss << " mIoU " << r.mIoU << " mIoU(no bg) " << r.mIoUNoBackground
              << " " << std::setprecision(1) << r.seconds << " s, ETA " << clock(r.etaSeconds)
              << (r.best ? "  *best*" : "") << std::endl;
}

void ConsoleObserver::onLog(const std::string& line) {
    if (line.rfind("epoch ", 0) != 0)  // epoch lines are printed by onEpoch
        std::cout << (m_tty ? "\r" : "") << line << std::endl;
}

} // namespace mf::cli
