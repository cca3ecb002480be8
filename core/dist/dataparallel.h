#pragma once
#include "dist/communicator.h"
#include "dist/gradientsync.h"
#include "metrics/metrics.h"

#include <memory>
#include <string>
#include <torch/torch.h>

namespace mf::dist {

/** What the trainer needs to train one model on several processes: the model's state made equal at
 *  the start, gradients averaged every step (GradientSync), batch-norm running statistics averaged
 *  before they are used, and validation figures gathered from every rank. Batch normalisation in
 *  training mode normalises with each rank's own batch statistics (like PyTorch's DDP without
 *  SyncBatchNorm). Holds the model's parameters (shared tensors) and the communicator. */
class DataParallel {
public:
    /** Copies rank 0's parameters and buffers to every rank (call after loading or resuming) and hooks
     *  the gradients. */
    DataParallel(std::shared_ptr<Communicator> comm, torch::nn::Module& model,
                 std::size_t bucketBytes = std::size_t(1) << 20);

    int rank() const { return m_comm->rank(); }
    int worldSize() const { return m_comm->worldSize(); }
    /** Only rank 0 writes the run folder. */
    bool isWriter() const { return rank() == 0; }
    /** "2 processes (gloo)". */
    std::string describe() const;

    /** After loss.backward(): averages the gradients; returns the loss averaged over the ranks.
     *  `stop`: this rank was asked to stop (Ctrl+C); shared with the others, see stopAgreed(). */
    torch::Tensor afterBackward(const torch::Tensor& loss, bool stop = false);
    /** Some rank asked to stop during the last step: every rank sees the same answer, so all stop at
     *  the same step instead of the others waiting on the one that left. */
    bool stopAgreed() const { return m_stop; }
    /** Averages floating-point buffers (batch-norm running mean and variance) over the ranks. */
    void averageBuffers(torch::nn::Module& model);
    /** Sums numbers over the ranks. */
    std::vector<double> sum(std::vector<double> values) { return m_comm->sum(std::move(values)); }
    /** The whole validation set's accumulator from each rank's share: rank r counted items
     *  r, r+W, r+2W, … (dist::shardOf, unpadded) of `total`; the result holds them in item order, as one
     *  process would have, named by `names` (every item's name in item order) when given. */
    MetricsAccumulator gather(const MetricsAccumulator& local, std::size_t total,
                              const std::vector<std::string>& names = {});
    const GradientSync& gradients() const { return *m_sync; }
    /** One line on the communication since the last call: buckets, bytes and time blocked per step. */
    std::string takeCommunicationReport();

private:
    std::shared_ptr<Communicator> m_comm;
    std::unique_ptr<GradientSync> m_sync;
    bool m_stop = false;
    double m_reportedWait = 0;
    long long m_reportedSteps = 0, m_reportedEarly = 0;
};

} // namespace mf::dist
