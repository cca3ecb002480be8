#include "commands.h"

#include "project/dataset.h"
#include "sample/samplegenerator.h"

#include <filesystem>
#include <iostream>
#include <memory>

namespace mf::cli {

void addDemoCommand(CLI::App& app) {
    auto out = std::make_shared<std::string>("maskforge-demo");
    auto* cmd = app.add_subcommand("demo", "Make the sample project and check it (grows with each capability)");
    cmd->add_option("--out", *out, "folder for the demo project and its results")->capture_default_str();
    cmd->callback([out] {
        SampleOptions options;
        options.outDir = (std::filesystem::path(*out) / "sample").string();
        std::cout << "[demo] generating the sample project in " << options.outDir << "\n";
        makeSampleProject(options);
        const auto problems = validateDataset(options.outDir);
        for (const auto& p : problems)
            std::cout << p.file << ": " << p.message << "\n";
        std::cout << "[demo] validation: " << (problems.empty() ? "clean" : std::to_string(problems.size()) + " problem(s)")
                  << "\n";
        if (!problems.empty())
            throw CommandExit{1};
    });
}

} // namespace mf::cli
