#include "commands.h"

#include "bench/bench.h"
#include "bench/peerbench.h"

#include <iostream>
#include <memory>

namespace mf::cli {

void addBenchCommand(CLI::App& app) {
    auto o = std::make_shared<BenchOptions>();
    auto peer = std::make_shared<PeerOptions>();
    auto compare = std::make_shared<bool>(false);
    auto precision = std::make_shared<std::string>("auto");
    auto layout = std::make_shared<std::string>("auto");
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
    cmd->add_option("--precision", *precision,
                    "auto (what train's plan and predict use here: bf16 where the CPU has bf16 units) | fp32 | bf16")
        ->check(CLI::IsMember({"auto", "fp32", "bf16"}))
        ->capture_default_str();
    cmd->add_option("--layout", *layout, "auto (both timed, the faster training kept, as the plan does) | contiguous | channels_last")
        ->check(CLI::IsMember({"auto", "contiguous", "channels_last"}))
        ->capture_default_str();
    cmd->add_flag("--channels-last", o->channelsLast, "same as --layout channels_last");
    cmd->add_flag("--bf16", o->bf16, "same as --precision bf16 (fp16 autocast on CUDA)");
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
    cmd->callback([o, peer, compare, loader, precision, layout] {
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
        if (o->bf16)
            *precision = "bf16";
        if (o->channelsLast)
            *layout = "channels_last";
        for (const auto& r : runBenchmarkAsChosen(*o, *precision, *layout))
            std::cout << benchToJson(r) << std::endl;
    });
}

} // namespace mf::cli
