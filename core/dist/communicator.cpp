#include "dist/communicator.h"

#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO  // the header hides the class without it; Debian's libtorch_cpu has the symbols
#endif
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if defined(MF_DIST_NCCL) || defined(USE_C10D_NCCL)
#define MF_HAVE_NCCL 1
#ifndef USE_C10D_NCCL
#define USE_C10D_NCCL
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <csignal>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace mf::dist {
namespace {

std::string firstLine(const std::string& text) {
    const std::string line = text.substr(0, text.find('\n'));
    return line.size() > 400 ? line.substr(0, 400) + "…" : line;
}

std::shared_ptr<::gloo::transport::Device> glooDevice(const std::string& host) {
    if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
        return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
    if (host == "127.0.0.1" || host == "localhost")
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

} // namespace

Communicator::Communicator(c10::intrusive_ptr<c10d::Store> store, int rank, int worldSize,
                           std::chrono::milliseconds timeout, bool cuda, const std::string& host)
    : m_rank(rank), m_worldSize(worldSize), m_timeout(timeout) {
    // A peer that dies closes its connections; the next write to one must come back as an error this
    // rank reports ("the process group failed while …"), not as SIGPIPE ending it without a word. Python
    // ignores SIGPIPE in every process, so PyTorch's own ranks never meet it; a C++ program must say so.
    std::signal(SIGPIPE, SIG_IGN);
    store->setTimeout(timeout);
    try {
#if defined(MF_HAVE_NCCL)
        if (cuda) {
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = timeout;
            m_group = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, worldSize, options);
            m_backend = "nccl";
            return;
        }
#else
        (void)cuda;
#endif
        auto options = c10d::ProcessGroupGloo::Options::create(timeout);
        options->devices.push_back(glooDevice(host));
        options->threads = 2;
        m_group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, worldSize, options);
        m_backend = "gloo";
    } catch (const std::exception& e) {
        fail("joining the process group", e);
    }
}

std::shared_ptr<Communicator> Communicator::join(const WorldInfo& w, std::chrono::milliseconds timeout, bool cuda) {
    c10::intrusive_ptr<c10d::Store> store;
    try {
        c10d::TCPStoreOptions o;
        o.port = static_cast<std::uint16_t>(w.masterPort);
        o.isServer = w.rank == 0 && !w.agentStore;
        o.numWorkers = w.agentStore ? c10::nullopt : c10::optional<std::size_t>(w.worldSize);
        o.waitWorkers = false;
        o.timeout = timeout;
        store = c10::make_intrusive<c10d::TCPStore>(w.masterAddr, o);
        if (w.agentStore)  // torchrun's agent shares its store; its workers use this prefix
            store = c10::make_intrusive<c10d::PrefixStore>("/worker/attempt_" + std::to_string(w.restartCount), store);
    } catch (const std::exception& e) {
        throw std::runtime_error("rank " + std::to_string(w.rank) + " of " + std::to_string(w.worldSize) +
                                 ": cannot reach the rendezvous store at " + w.masterAddr + ":" +
                                 std::to_string(w.masterPort) + " (MASTER_ADDR:MASTER_PORT): " + firstLine(e.what()));
    }
    return std::make_shared<Communicator>(store, w.rank, w.worldSize, timeout, cuda, w.masterAddr);
}

void Communicator::fail(const char* what, const std::exception& e) const {
    std::ostringstream s;
    s << "rank " << m_rank << " of " << m_worldSize << ": the process group failed while " << what
      << " (another rank probably failed or was stopped, or did not answer within the timeout of "
      << m_timeout.count() / 1000 << " s): " << firstLine(e.what());
    throw std::runtime_error(s.str());
}

void Communicator::wait(const c10::intrusive_ptr<c10d::Work>& work, const char* what) {
    try {
        work->wait(m_timeout);
    } catch (const std::exception& e) {
        fail(what, e);
    }
}

torch::Tensor Communicator::staged(const torch::Tensor& t) const {
    return m_backend == "nccl" && !t.is_cuda() ? t.to(torch::kCUDA) : t;
}

void Communicator::broadcast(std::vector<torch::Tensor>& tensors, int root) {
    c10d::BroadcastOptions o;
    o.rootRank = root;
    o.timeout = m_timeout;
    for (auto& t : tensors) {  // Gloo broadcasts one tensor per call
        std::vector<torch::Tensor> one{staged(t)};
        c10::intrusive_ptr<c10d::Work> work;
        try {
            work = m_group->broadcast(one, o);
        } catch (const std::exception& e) {
            fail("broadcasting", e);
        }
        wait(work, "broadcasting");
        if (!one[0].is_same(t))
            t.copy_(one[0]);
    }
}

c10::intrusive_ptr<c10d::Work> Communicator::allreduceSumAsync(std::vector<torch::Tensor>& tensors) {
    c10d::AllreduceOptions o;
    o.reduceOp = c10d::ReduceOp::SUM;
    o.timeout = m_timeout;
    try {
        return m_group->allreduce(tensors, o);
    } catch (const std::exception& e) {
        fail("summing (allreduce)", e);
    }
}

void Communicator::allreduceSum(std::vector<torch::Tensor>& tensors) {
    for (auto& t : tensors) {
        std::vector<torch::Tensor> one{staged(t)};
        wait(allreduceSumAsync(one), "summing (allreduce)");
        if (!one[0].is_same(t))
            t.copy_(one[0]);
    }
}

void Communicator::barrier() {
    c10d::BarrierOptions o;
    o.timeout = m_timeout;
    c10::intrusive_ptr<c10d::Work> work;
    try {
        work = m_group->barrier(o);
    } catch (const std::exception& e) {
        fail("waiting at a barrier", e);
    }
    wait(work, "waiting at a barrier");
}

std::vector<double> Communicator::sum(std::vector<double> values) {
    if (values.empty())
        return values;
    std::vector<torch::Tensor> t{torch::tensor(values, torch::kDouble)};
    allreduceSum(t);
    const auto c = t[0].contiguous();
    return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

} // namespace mf::dist

namespace mf::dist {

std::shared_ptr<Communicator> joinFromEnvironment(bool cuda, std::chrono::milliseconds timeout) {
    const WorldInfo w = worldFromEnvironment();
    return w.distributed() ? Communicator::join(w, timeout, cuda) : nullptr;
}

} // namespace mf::dist
