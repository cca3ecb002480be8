#include "commands.h"

#include "train/bench.h"
#include "train/peerbench.h"

#include <iostream>
#include <memory>

namespace mf::cli {

void addBenchCommand(CLI::App& app) {
    auto o = std::make_shared<BenchOptions>();
    auto peer = std::make_shared<PeerOptions>();
    auto compare = std::make_shared<bool>(false);
    auto loader = std::make_shared<LoaderBenchOptions>();
    auto* cmd = app.add_subcommand("bench", "Training and inference speed by the protocol of specs/reference-models.md");
    cmd->add_option("--arch", o->arch, "encdec | unet | unetpp | both")->capture_default_str();
    cmd->add_option("--width", o->width, "channels of the first level")->capture_default_str();
    cmd->add_option("--depth", o->depth, "levels")->capture_default_str();
    cmd->add_option("--size", o->size, "input side")->capture_default_str();
    cmd->add_option("--batch", o->batch, "batch size")->capture_default_str();
    cmd->add_option("--steps", o->steps, "timed steps after one warm-up step")->capture_default_str();
    cmd->add_option("--threads", o->threads, "0: one per core")->capture_default_str();
    cmd->add_option("--device", o->device, "cpu | cuda | auto")->capture_default_str();
    cmd->add_flag("--channels-last", o->channelsLast, "channels-last memory layout");
    cmd->add_flag("--bf16", o->bf16, "bf16 autocast forward passes (fp16 on CUDA)");
    cmd->add_flag("--compare-peer", *compare,
                  "run benchmarks/peer_pytorch.py (PyTorch's Python API) in both layouts back to back with "
                  "MaskForge and print medians, ratios and the fraction of the machine's fp32 limit");
    cmd->add_option("--repeats", peer->repeats, "--compare-peer: interleaved rounds")->capture_default_str();
    cmd->add_option("--python", peer->python, "--compare-peer: interpreter with torch (default /usr/bin/python3)");
    cmd->add_option("--peer-script", peer->script, "--compare-peer: path of peer_pytorch.py");
    cmd->add_option("--loader", loader->data,
                    "measure the data loader alone on this dataset (all augmentations on) at --size, --batch")
        ->check(CLI::ExistingPath);
    cmd->add_option("--workers", loader->workers, "--loader: augmentation threads")->capture_default_str();
    cmd->add_option("--batches", loader->batches, "--loader: timed batches")->capture_default_str();
    cmd->callback([o, peer, compare, loader] {
        if (!loader->data.empty()) {
            loader->size = o->size;
            loader->batch = o->batch;
            std::cout << loaderBenchToJson(runLoaderBenchmark(*loader)) << std::endl;
            return;
        }
        if (*compare) {
            compareWithPeer(*o, *peer, std::cout);
            return;
        }
        for (const auto& r : runBenchmark(*o))
            std::cout << benchToJson(r) << std::endl;
    });
}

} // namespace mf::cli
