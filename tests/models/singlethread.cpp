#include <gtest/gtest.h>
#include <torch/torch.h>

namespace {

// The networks here run on tiny batches, where intra-op threads only add cost; and on a
// machine busier than its cores, OpenMP's spinning workers made a training test ten times
// slower (2.7 s with one thread, 24 s with two, OMP_NUM_THREADS=2 under load 10 on 2 cores).
class SingleThreadEnvironment : public ::testing::Environment {
public:
    void SetUp() override { torch::set_num_threads(1); }
};

[[maybe_unused]] auto* const g_environment =
    ::testing::AddGlobalTestEnvironment(new SingleThreadEnvironment);

} // namespace
