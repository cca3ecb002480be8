// Gradient all-reduce cost alone, two ranks on threads of this process over loopback Gloo (the
// transport `maskforge-cli train --nproc 2` uses), without the compute imbalance that a training
// run's "blocked after backward" figure includes. Usage: bench_allreduce [MB per step] [bucket MB] [reps]
#include "dist/communicator.h"

#include <torch/csrc/distributed/c10d/HashStore.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

int main(int argc, char** argv) {
    const double mb = argc > 1 ? std::atof(argv[1]) : 7.49;  // U-Net w=16 d=4: its gradients per step
    const double bucketMb = argc > 2 ? std::atof(argv[2]) : 1.0;
    const int reps = argc > 3 ? std::atoi(argv[3]) : 20;
    const auto floats = static_cast<std::int64_t>(mb * 1048576 / 4);
    const auto perBucket = static_cast<std::int64_t>(bucketMb * 1048576 / 4);
    auto store = c10::make_intrusive<c10d::HashStore>();
    double seconds[2] = {0, 0};
    std::vector<std::thread> ranks;
    for (int r = 0; r < 2; ++r)
        ranks.emplace_back([&, r] {
            mf::dist::Communicator comm(store, r, 2, std::chrono::seconds(60));
            std::vector<torch::Tensor> buckets;
            for (std::int64_t done = 0; done < floats; done += perBucket)
                buckets.push_back(torch::ones({std::min(perBucket, floats - done)}));
            comm.barrier();
            const auto t0 = std::chrono::steady_clock::now();
            for (int i = 0; i < reps; ++i) {
                std::vector<c10::intrusive_ptr<c10d::Work>> work;
                for (auto& b : buckets) {  // all buckets in flight at once, as after a backward
                    std::vector<torch::Tensor> one{b};
                    work.push_back(comm.allreduceSumAsync(one));
                }
                for (auto& w : work)
                    comm.wait(w, "benchmark");
            }
            seconds[r] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        });
    for (auto& t : ranks)
        t.join();
    std::printf("allreduce of %.2f MB in %.2f MB buckets, 2 ranks, loopback Gloo: %.2f ms per step (%d steps)\n", mb,
                bucketMb, 1000.0 * seconds[0] / reps, reps);
}
