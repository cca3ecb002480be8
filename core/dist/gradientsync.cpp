#include "dist/gradientsync.h"

#include <chrono>
#include <stdexcept>

namespace mf::dist {

GradientSync::GradientSync(std::shared_ptr<Communicator> comm, std::vector<torch::Tensor> parameters,
                           std::size_t bucketBytes)
    : m_comm(std::move(comm)) {
    for (auto& p : parameters)
        if (p.requires_grad())
            m_params.push_back(p);
    m_bucketOf.resize(m_params.size());
    m_slotOf.resize(m_params.size());
    m_seen.assign(m_params.size(), false);
    // Reverse order: backward reaches the last layers first, so the first bucket fills first.
    std::vector<std::vector<std::size_t>> groups;
    std::size_t bytes = 0;
    for (std::size_t k = m_params.size(); k-- > 0;) {
        const auto& p = m_params[k];
        const bool sameKind = !groups.empty() && m_params[groups.back().front()].scalar_type() == p.scalar_type() &&
                              m_params[groups.back().front()].device() == p.device();
        if (groups.empty() || !sameKind || bytes >= bucketBytes) {
            groups.emplace_back();
            bytes = 0;
        }
        groups.back().push_back(k);
        bytes += static_cast<std::size_t>(p.numel()) * p.element_size();
    }
    for (const auto& g : groups) {
        Bucket b;
        std::int64_t n = 0;
        for (std::size_t k : g) {
            m_bucketOf[k] = m_buckets.size();
            m_slotOf[k] = b.params.size();
            b.params.push_back(k);
            b.offsets.push_back(n);
            n += m_params[k].numel();
        }
        b.flat = torch::zeros({n}, m_params[g.front()].options().requires_grad(false));
        m_buckets.push_back(std::move(b));
    }
    reset();
    for (std::size_t k = 0; k < m_params.size(); ++k)
        m_hooks.push_back(m_params[k].register_hook([this, k](const torch::Tensor& grad) { onGradient(k, grad); }));
}

GradientSync::~GradientSync() {
    for (std::size_t k = 0; k < m_params.size(); ++k)
        m_params[k].remove_hook(m_hooks[k]);
    // A bucket still in flight (finish() threw) must not outlive the buffers it reads.
    for (auto& b : m_buckets)
        if (b.work)
            try {
                b.work->wait(m_comm->timeout());
            } catch (...) {
            }
}

std::size_t GradientSync::bytesPerStep() const {
    std::size_t n = 0;
    for (const auto& b : m_buckets)
        n += static_cast<std::size_t>(b.flat.numel()) * b.flat.element_size();
    return n;
}

void GradientSync::reset() {
    for (auto& b : m_buckets) {
        b.pending = b.params.size();
        b.work.reset();
    }
    m_seen.assign(m_params.size(), false);
    m_nextLaunch = 0;
}

void GradientSync::onGradient(std::size_t k, const torch::Tensor& grad) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_seen[k])  // a second backward before finish(): add up, as .grad would
        throw std::logic_error("GradientSync: two backward passes without finish() in between");
    m_seen[k] = true;
    Bucket& b = m_buckets[m_bucketOf[k]];
    const auto& p = m_params[k];
    b.flat.narrow(0, b.offsets[m_slotOf[k]], p.numel()).view(p.sizes()).copy_(grad);
    if (--b.pending == 0)
        launchReady();
}

void GradientSync::launch(Bucket& b) {
    b.flat.div_(m_comm->worldSize());
    std::vector<torch::Tensor> one{b.flat};
    b.work = m_comm->allreduceSumAsync(one);
}

void GradientSync::launchReady() {
    while (m_nextLaunch < m_buckets.size() && m_buckets[m_nextLaunch].pending == 0)
        launch(m_buckets[m_nextLaunch++]);
}

torch::Tensor GradientSync::finish(const torch::Tensor& extra) {
    const auto t0 = std::chrono::steady_clock::now();
    torch::Tensor shared;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_startedEarly += static_cast<long long>(m_nextLaunch);
        // Parameters backward did not reach (unused this step) contribute zeros, the same on every rank.
        for (std::size_t k = 0; k < m_params.size(); ++k)
            if (!m_seen[k]) {
                Bucket& b = m_buckets[m_bucketOf[k]];
                b.flat.narrow(0, b.offsets[m_slotOf[k]], m_params[k].numel()).zero_();
                --b.pending;
            }
        launchReady();
    }
    if (extra.defined()) {
        // Where the buckets are: the backend (NCCL) may not take host tensors.
        const auto device = m_buckets.empty() ? extra.device() : m_buckets.front().flat.device();
        std::vector<torch::Tensor> one{extra.detach().to(device, torch::kDouble).reshape({-1}).clone()};
        m_comm->wait(m_comm->allreduceSumAsync(one), "summing the loss (allreduce)");
        shared = one[0] / m_comm->worldSize();
    }
    for (auto& b : m_buckets) {
        m_comm->wait(b.work, "averaging gradients (allreduce)");
        for (std::size_t s = 0; s < b.params.size(); ++s) {
            auto& p = m_params[b.params[s]];
            const auto avg = b.flat.narrow(0, b.offsets[s], p.numel()).view(p.sizes());
            if (p.grad().defined())
                p.mutable_grad().copy_(avg);
            else
                p.mutable_grad() = avg.clone();
        }
    }
    reset();
    ++m_steps;
    m_waitSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return shared;
}

} // namespace mf::dist
