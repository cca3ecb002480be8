#pragma once
#include <string>

namespace mf {

/** "CUDA: N device(s)" or "CPU: N threads" for the device `device` resolves to, with `threads` as
 *  TrainConfig::threads (0: one per core, or OMP_NUM_THREADS when set). */
std::string describeDevice(const std::string& device, int threads = 0);

} // namespace mf
