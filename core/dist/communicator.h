#pragma once
#include "dist/world.h"

#include <chrono>
#include <memory>
#include <string>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/torch.h>
#include <vector>

namespace mf::dist {

/** This process's membership of a process group (c10d: Gloo on CPU, NCCL on CUDA builds that have it).
 *  Every collective blocks at most the timeout; a failure (a peer gone, a timeout) throws
 *  std::runtime_error saying which rank saw it, during what, and what probably happened. Owned by
 *  whoever joined (the CLI); shared with the trainer. Collectives must be called in the same order on
 *  every rank. */
class Communicator {
public:
    /** Joins through a store other ranks share (a TCPStore, or a HashStore for ranks on threads of one
     *  process in tests). `cuda` picks NCCL when this build has it; `host` is the address Gloo binds. */
    Communicator(c10::intrusive_ptr<c10d::Store> store, int rank, int worldSize, std::chrono::milliseconds timeout,
                 bool cuda = false, const std::string& host = "127.0.0.1");

    /** Joins the job the environment describes (MASTER_ADDR:MASTER_PORT store: rank 0 hosts it unless
     *  torchrun's agent does). Throws std::runtime_error naming the address when that fails. */
    static std::shared_ptr<Communicator> join(const WorldInfo& world, std::chrono::milliseconds timeout, bool cuda);

    int rank() const { return m_rank; }
    int worldSize() const { return m_worldSize; }
    const std::string& backend() const { return m_backend; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    /** Copies root's tensors into everyone's (in place). The blocking calls take tensors on any device
     *  (NCCL's are staged through the GPU); allreduceSumAsync needs them where the backend works. */
    void broadcast(std::vector<torch::Tensor>& tensors, int root = 0);
    /** Sums in place over the ranks. */
    void allreduceSum(std::vector<torch::Tensor>& tensors);
    /** Starts a sum in place; hand the result to wait(). */
    c10::intrusive_ptr<c10d::Work> allreduceSumAsync(std::vector<torch::Tensor>& tensors);
    void wait(const c10::intrusive_ptr<c10d::Work>& work, const char* what);
    void barrier();

    /** Sums plain numbers over the ranks (metrics, counts). */
    std::vector<double> sum(std::vector<double> values);

private:
    [[noreturn]] void fail(const char* what, const std::exception& e) const;
    /** `t`, or a copy of it on the GPU when NCCL needs it there. */
    torch::Tensor staged(const torch::Tensor& t) const;

    int m_rank, m_worldSize;
    std::chrono::milliseconds m_timeout;
    std::string m_backend;
    c10::intrusive_ptr<c10d::ProcessGroup> m_group;
};

} // namespace mf::dist
