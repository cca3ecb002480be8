#pragma once
#include <torch/torch.h>

#include <string>

namespace mf {

/** The torch device `name` (auto | cpu | cuda) resolves to on this machine; throws
 *  std::invalid_argument for cuda without a CUDA device or an unknown name. */
torch::Device resolveDevice(const std::string& name);

/** Sets torch's intra-op thread count (0: one per core, or OMP_NUM_THREADS when set); a call with
 *  the count already in use is free. Returns the count in use. */
int useThreads(int threads);

/** Turns autocast on for the scope (fp16 on CUDA, bf16 on CPU) and restores the previous state. */
class AutocastScope {
public:
    AutocastScope(bool enabled, const torch::Device& device);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool m_enabled;
    bool m_cuda;
    bool m_previous = false;
};

/** Converts the module's 4-D parameters and buffers to channels-last (C++ Module::to has no memory format). */
void toChannelsLast(torch::nn::Module& module);

} // namespace mf
