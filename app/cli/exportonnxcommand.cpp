#include "commands.h"

#include "deploy/onnxexport.h"

#include <iostream>
#include <memory>

namespace mf::cli {

void addExportOnnxCommand(CLI::App& app) {
    struct Args {
        std::string run, out;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("export-onnx",
                                   "Write a trained network as ONNX for OpenCV DNN and other runtimes (no LibTorch needed)");
    cmd->add_option("--run", a->run, "run folder (best.pt, else last.pt) or checkpoint file")->required();
    cmd->add_option("--out", a->out, "the .onnx file to write")->required();
    cmd->callback([a] {
        const auto info = deploy::exportOnnx(a->run, a->out);
        std::cout << "wrote " << a->out << ": " << info.description << ", " << info.nodes << " nodes, "
                  << info.initializers << " initializers; passes onnx::checker\n"
                  << "input 'image' N×3×" << (info.fixedSize ? std::to_string(info.fixedSize) : "H") << "×"
                  << (info.fixedSize ? std::to_string(info.fixedSize) : "W")
                  << " (normalised; H, W multiples of " << info.sizeDivisor << "), output 'logits' N×"
                  << info.classes << "×H×W\noperators:";
        for (const auto& op : info.opTypes)
            std::cout << " " << op;
        std::cout << "\n";
    });
}

} // namespace mf::cli
