#include "commands.h"

#include "train/bench.h"

#include <iostream>
#include <memory>

namespace mf::cli {

void addBenchCommand(CLI::App& app) {
    auto o = std::make_shared<BenchOptions>();
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
    cmd->callback([o] {
        for (const auto& r : runBenchmark(*o))
            std::cout << benchToJson(r) << std::endl;
    });
}

} // namespace mf::cli
