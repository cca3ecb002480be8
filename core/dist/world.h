#pragma once
#include <chrono>
#include <memory>
#include <string>

namespace mf::dist {

/** Where this process stands in a data-parallel job, as torchrun, Slurm (through a launcher script)
 *  and Kubernetes' PyTorchJob describe it in the environment. Plain data. */
struct WorldInfo {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 0;
    /** torchrun's agent already hosts the store at MASTER_ADDR:MASTER_PORT (TORCHELASTIC_USE_AGENT_STORE). */
    bool agentStore = false;
    int restartCount = 0;  ///< TORCHELASTIC_RESTART_COUNT, names the agent store's key prefix
    bool distributed() const { return worldSize > 1; }
};

/** Reads RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT (and torchrun's agent-store variables).
 *  No WORLD_SIZE, or 1: a single process. Throws std::invalid_argument naming the variable when one is
 *  malformed, out of range or missing while WORLD_SIZE > 1. */
WorldInfo worldFromEnvironment();

/** How long a collective may wait for the other ranks before the job fails: MF_DIST_TIMEOUT seconds
 *  when set, else `fallback`. */
std::chrono::milliseconds timeoutFromEnvironment(std::chrono::milliseconds fallback = std::chrono::minutes(5));

} // namespace mf::dist

namespace mf::dist {
class Communicator;

/** Joins the process group the environment describes (worldFromEnvironment) and returns it, or
 *  nullptr for a single process. `cuda`: the trainer's device is a GPU (NCCL where built in). */
std::shared_ptr<Communicator> joinFromEnvironment(bool cuda, std::chrono::milliseconds timeout);

} // namespace mf::dist
