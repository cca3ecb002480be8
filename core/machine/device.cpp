#include "machine/device.h"

#include "machine/describedevice.h"

#include <ATen/autocast_mode.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

// LibTorch 2.4 deprecates the per-device autocast setters in favour of set_autocast_enabled(device);
// the old ones are the only spelling that also exists in 1.13, so keep them and silence the notice.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace mf {

torch::Device resolveDevice(const std::string& name) {
    if (name == "cpu")
        return torch::kCPU;
    if (name == "cuda") {
        if (!torch::cuda::is_available())
            throw std::invalid_argument("config key 'device': cuda asked for, but no CUDA device is available "
                                        "(this LibTorch build or machine has none); use auto or cpu");
        return torch::kCUDA;
    }
    if (name == "auto" || name.empty())
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    throw std::invalid_argument("config key 'device': '" + name + "' is not one of auto, cpu, cuda");
}

namespace {
// 0 means one per core, unless OMP_NUM_THREADS says otherwise (test runners and shared machines).
int threadsFor(int threads) {
    if (threads <= 0 && std::getenv("OMP_NUM_THREADS"))
        return torch::get_num_threads();
    return threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}
} // namespace

int useThreads(int threads) {
    const int wanted = threadsFor(threads);
    if (torch::get_num_threads() != wanted)
        torch::set_num_threads(wanted);
    return wanted;
}

std::string describeDevice(const std::string& device, int threads) {
    const torch::Device d = resolveDevice(device);
    if (d.is_cuda())
        return "CUDA: " + std::to_string(torch::cuda::device_count()) + " device(s)";
    return "CPU: " + std::to_string(threadsFor(threads)) + " threads";
}

AutocastScope::AutocastScope(bool enabled, const torch::Device& device) : m_enabled(enabled), m_cuda(device.is_cuda()) {
    if (!m_enabled)
        return;
    if (m_cuda) {
        m_previous = at::autocast::is_enabled();
        at::autocast::set_autocast_gpu_dtype(at::kHalf);
        at::autocast::set_enabled(true);
    } else {
        m_previous = at::autocast::is_cpu_enabled();
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(true);
    }
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
    if (!m_enabled)
        return;
    // Cached bf16/fp16 weight casts must go when the outermost scope ends, or the next step
    // would use the weights from before the optimiser step.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    if (m_cuda)
        at::autocast::set_enabled(m_previous);
    else
        at::autocast::set_cpu_enabled(m_previous);
}

void toChannelsLast(torch::nn::Module& module) {
    torch::NoGradGuard noGrad;
    for (auto& p : module.parameters())
        if (p.dim() == 4)
            p.set_data(p.data().contiguous(at::MemoryFormat::ChannelsLast));
    for (auto& b : module.buffers())
        if (b.dim() == 4)
            b.set_data(b.data().contiguous(at::MemoryFormat::ChannelsLast));
}

} // namespace mf
