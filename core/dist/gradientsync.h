#pragma once
#include "dist/communicator.h"

#include <cstddef>
#include <memory>
#include <mutex>
#include <torch/torch.h>
#include <vector>

namespace mf::dist {

/** Averages the gradients of a set of parameters over the ranks, DDP-style: parameters are packed (in
 *  reverse registration order, roughly the order backward produces their gradients) into flat buckets
 *  of about `bucketBytes`; a gradient hook copies each gradient into its bucket as backward computes it,
 *  and a full bucket starts its all-reduce at once (in bucket order, the same on every rank), so
 *  communication overlaps the rest of backward. finish() waits for the buckets and writes the averages
 *  into the parameters' .grad. Owns its hooks: removes them when destroyed. Not copyable. */
class GradientSync {
public:
    GradientSync(std::shared_ptr<Communicator> comm, std::vector<torch::Tensor> parameters,
                 std::size_t bucketBytes = std::size_t(1) << 20);
    ~GradientSync();
    GradientSync(const GradientSync&) = delete;
    GradientSync& operator=(const GradientSync&) = delete;

    /** Also sums `extra` (e.g. the step's loss and a stop flag) after the last bucket; returns it, as a
     *  1-D double tensor, divided by the world size. Call after backward; every rank, every step. */
    torch::Tensor finish(const torch::Tensor& extra = {});

    std::size_t bucketCount() const { return m_buckets.size(); }
    std::size_t bytesPerStep() const;
    /** Seconds finish() spent blocked on communication, summed over the steps so far. */
    double waitSeconds() const { return m_waitSeconds; }
    long long steps() const { return m_steps; }
    /** How many buckets had started before backward ended, summed over steps (the overlap achieved). */
    long long bucketsStartedEarly() const { return m_startedEarly; }

private:
    struct Bucket {
        torch::Tensor flat;
        std::vector<std::size_t> params;  // indices into m_params
        std::vector<std::int64_t> offsets;
        std::size_t pending = 0;
        c10::intrusive_ptr<c10d::Work> work;
    };
    void onGradient(std::size_t param, const torch::Tensor& grad);
    void launchReady();  // with m_mutex held
    void launch(Bucket& b);
    void reset();

    std::shared_ptr<Communicator> m_comm;
    std::vector<torch::Tensor> m_params;
    std::vector<std::size_t> m_bucketOf, m_slotOf;
    std::vector<bool> m_seen;
    std::vector<unsigned> m_hooks;
    std::vector<Bucket> m_buckets;
    std::size_t m_nextLaunch = 0;
    std::mutex m_mutex;
    double m_waitSeconds = 0;
    long long m_steps = 0, m_startedEarly = 0;
};

} // namespace mf::dist
