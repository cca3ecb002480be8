#include "dist/dataparallel.h"

#include <cstdio>
#include <map>
#include <stdexcept>

namespace mf::dist {
namespace {

/** Tensors grouped by type, each group sent as one flat tensor: one collective per type instead of one
 *  per tensor. `op` runs the collective on the flat tensor in place. */
template <class Op>
void coalesced(const std::vector<torch::Tensor>& tensors, Op op) {
    std::map<std::pair<int, std::string>, std::vector<torch::Tensor>> groups;
    for (const auto& t : tensors)
        groups[{static_cast<int>(t.scalar_type()), t.device().str()}].push_back(t);
    for (auto& [key, group] : groups) {
        std::vector<torch::Tensor> flat;
        for (const auto& t : group)
            flat.push_back(t.detach().reshape({-1}));
        torch::Tensor buffer = torch::cat(flat);
        op(buffer);
        std::int64_t offset = 0;
        torch::NoGradGuard noGrad;
        for (auto& t : group) {
            t.copy_(buffer.narrow(0, offset, t.numel()).view(t.sizes()));
            offset += t.numel();
        }
    }
}

} // namespace

DataParallel::DataParallel(std::shared_ptr<Communicator> comm, torch::nn::Module& model, std::size_t bucketBytes)
    : m_comm(std::move(comm)) {
    std::vector<torch::Tensor> state = model.parameters();
    for (const auto& b : model.buffers())
        state.push_back(b);
    coalesced(state, [this](torch::Tensor& flat) {
        std::vector<torch::Tensor> one{flat};
        m_comm->broadcast(one, 0);
    });
    m_sync = std::make_unique<GradientSync>(m_comm, model.parameters(), bucketBytes);
}

torch::Tensor DataParallel::afterBackward(const torch::Tensor& loss, bool stop) {
    const auto shared = m_sync->finish(torch::stack({loss.detach().to(torch::kCPU, torch::kDouble),
                                                     torch::tensor(stop ? 1.0 : 0.0, torch::kDouble)}));
    m_stop = shared[1].item<double>() > 0;
    return shared[0].to(loss.device());
}

std::string DataParallel::describe() const {
    return std::to_string(worldSize()) + " processes (" + m_comm->backend() + ")";
}

void DataParallel::averageBuffers(torch::nn::Module& model) {
    std::vector<torch::Tensor> floats;
    for (const auto& b : model.buffers())
        if (b.is_floating_point())
            floats.push_back(b);
    const double w = worldSize();
    coalesced(floats, [this, w](torch::Tensor& flat) {
        std::vector<torch::Tensor> one{flat};
        m_comm->allreduceSum(one);
        flat.div_(w);
    });
}

MetricsAccumulator DataParallel::gather(const MetricsAccumulator& local, std::size_t total,
                                        const std::vector<std::string>& names) {
    if (!names.empty() && names.size() != total)
        throw std::logic_error("gather: " + std::to_string(names.size()) + " names for " + std::to_string(total) +
                               " images");
    const int C = local.classCount();
    const std::size_t W = static_cast<std::size_t>(worldSize()), r = static_cast<std::size_t>(rank());
    if (local.imageCount() != (total / W + (r < total % W ? 1 : 0)))
        throw std::logic_error("gather: rank " + std::to_string(r) + " counted " + std::to_string(local.imageCount()) +
                               " images, not its share of " + std::to_string(total));
    // One table for every image and class (tp, fp, fn, tn), each rank filling its own rows, then summed;
    // the confusion matrix rides along at the end.
    const std::size_t cells = total * C * 4;
    torch::Tensor table = torch::zeros({static_cast<std::int64_t>(cells + std::size_t(C) * C)}, torch::kLong);
    auto* t = table.data_ptr<std::int64_t>();
    for (std::size_t j = 0; j < local.imageCount(); ++j) {
        std::int64_t* row = t + (r + j * W) * C * 4;
        for (int c = 0; c < C; ++c) {
            const ClassCounts& k = local.perImage()[j][c];
            row[4 * c] = k.tp, row[4 * c + 1] = k.fp, row[4 * c + 2] = k.fn, row[4 * c + 3] = k.tn;
        }
    }
    for (int i = 0; i < C * C; ++i)
        t[cells + i] = local.confusion()[i];
    std::vector<torch::Tensor> one{table};
    m_comm->allreduceSum(one);
    t = table.data_ptr<std::int64_t>();
    MetricsAccumulator out(C, local.ignoreIndex());
    for (std::size_t i = 0; i < total; ++i) {
        std::vector<ClassCounts> image(C);
        for (int c = 0; c < C; ++c) {
            const std::int64_t* k = t + (i * C + c) * 4;
            image[c] = {k[0], k[1], k[2], k[3]};
        }
        out.addCounts(std::move(image), names.empty() ? std::string() : names[i]);
    }
    out.addConfusion(std::vector<std::int64_t>(t + cells, t + cells + std::size_t(C) * C));
    return out;
}

std::string DataParallel::takeCommunicationReport() {
    const long long steps = m_sync->steps() - m_reportedSteps;
    const double wait = m_sync->waitSeconds() - m_reportedWait;
    const long long early = m_sync->bucketsStartedEarly() - m_reportedEarly;
    m_reportedSteps = m_sync->steps();
    m_reportedWait = m_sync->waitSeconds();
    m_reportedEarly = m_sync->bucketsStartedEarly();
    char line[256];
    std::snprintf(line, sizeof line,
                  "allreduce (%s, %d ranks): %zu buckets, %.2f MB per step, %.1f ms per step blocked after "
                  "backward over %lld steps, %.1f of %zu buckets started during backward",
                  m_comm->backend().c_str(), worldSize(), m_sync->bucketCount(), m_sync->bytesPerStep() / 1048576.0,
                  steps ? 1000.0 * wait / steps : 0.0, steps, steps ? double(early) / steps : 0.0, m_sync->bucketCount());
    return line;
}

} // namespace mf::dist
