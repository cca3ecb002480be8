#include "commands.h"

#include "project/dataset.h"
#include "sample/samplegenerator.h"

#include <iostream>
#include <memory>

namespace mf::cli {
namespace {

void runValidate(const std::string& dir) {
    const auto problems = validateDataset(dir);
    for (const auto& p : problems)
        std::cout << p.file << ": " << p.message << "\n";
    if (problems.empty()) {
        std::cout << dir << ": no problems found\n";
        return;
    }
    std::cerr << problems.size() << " problem(s) found\n";
    throw CommandExit{1};
}

void runImport(const std::string& dir, int classes) {
    std::vector<Problem> problems;
    ImportOptions options;
    options.classCount = classes;
    Project p = importDataset(dir, options, &problems);
    for (const auto& pr : problems)
        std::cerr << pr.file << ": " << pr.message << "\n";
    std::cout << "wrote " << p.filePath() << ": " << p.images().size() << " images, " << p.classCount() << " classes\n";
}

} // namespace

void addDataCommands(CLI::App& app) {
    auto dir = std::make_shared<std::string>();
    auto* validate = app.add_subcommand("validate", "Check every image and mask of a dataset or project; changes nothing. "
                                                    "Exit 0 when clean, 1 when problems were found.");
    validate->add_option("dir", *dir, "project folder, maskforge.json, or images/ + masks/ folder")->required();
    validate->callback([dir] { runValidate(*dir); });

    auto sample = std::make_shared<SampleOptions>();
    auto* make = app.add_subcommand("make-sample", "Generate the synthetic pipe-defect sample project");
    make->add_option("--out", sample->outDir, "output folder")->required();
    make->add_option("--seed", sample->seed, "random seed")->capture_default_str();
    make->add_option("--count", sample->count, "number of images")->capture_default_str()->check(CLI::Range(1, 100000));
    make->add_option("--size", sample->size, "image side in pixels")->capture_default_str()->check(CLI::Range(32, 8192));
    make->add_flag("--workflow", sample->workflowStates,
                   "images in every state (unlabelled, coarse, refined, reviewed; true masks in truth/) for the README walkthrough");
    make->callback([sample] {
        makeSampleProject(*sample);
        std::cout << "sample project written to " << sample->outDir << " (" << sample->count << " images, "
                  << sample->size << "x" << sample->size << ")\n";
    });

    auto importDir = std::make_shared<std::string>();
    auto classes = std::make_shared<int>(0);
    auto* import = app.add_subcommand("import", "Make a project (maskforge.json) from images/ + masks/ or annotations/");
    import->add_option("dir", *importDir, "dataset folder")->required();
    import->add_option("--classes", *classes, "number of classes (default: inferred from the masks)");
    import->callback([importDir, classes] { runImport(*importDir, *classes); });
}

} // namespace mf::cli
