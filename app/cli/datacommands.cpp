#include "commands.h"

#include "project/dataset.h"
#include "sample/samplegenerator.h"

#include <iostream>
#include <memory>

namespace mf::cli {
namespace {

void runValidate(const std::string& dir) {
    std::vector<Problem> notes;
    const auto problems = validateDataset(dir, &notes);
    for (const auto& n : notes)
        std::cout << n.file << ": " << n.message << "\n";
    for (const auto& p : problems)
        std::cout << p.file << ": " << p.message << "\n";
    if (problems.empty()) {
        std::cout << dir << ": no problems found\n";
        return;
    }
    std::cerr << problems.size() << " problem(s) found\n";
    throw CommandExit{1};
}

struct ImportArgs {
    std::string dir, encoding;
    int classes = 0;
    bool overwrite = false, allowProblems = false;
};

void runImport(const ImportArgs& a) {
    std::vector<Problem> problems;
    ImportOptions options;
    options.classCount = a.classes;
    options.overwrite = a.overwrite;
    if (!a.encoding.empty())
        options.maskEncoding = parseMaskEncoding(a.encoding);  // CLI11 checked the word
    // Looked at first without writing: a dataset with problems is imported only when asked, so a
    // failed import changes nothing on disk.
    options.writeProject = false;
    Project p = importDataset(a.dir, options, &problems);
    for (auto& pr : validateProject(p))
        problems.push_back(std::move(pr));
    for (const auto& pr : problems)
        std::cerr << pr.file << ": " << pr.message << "\n";
    if (!problems.empty() && !a.allowProblems) {
        std::cerr << problems.size() << " problem(s) found; nothing written (pass --allow-problems to import the rest)\n";
        throw CommandExit{1};
    }
    options.writeProject = true;
    problems.clear();
    p = importDataset(a.dir, options, &problems);
    for (const auto& w : p.loadWarnings())
        std::cout << w.message << "\n";
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

    auto importArgs = std::make_shared<ImportArgs>();
    auto* import = app.add_subcommand("import", "Make a project (maskforge.json) from images/ + masks/ or annotations/");
    import->add_option("dir", importArgs->dir, "dataset folder")->required();
    import->add_option("--classes", importArgs->classes, "number of classes (default: inferred from the masks)");
    import->add_option("--mask-encoding", importArgs->encoding,
                       "how masks store classes: index | binary255 (0/255 = classes 0/1) | palette "
                       "(default: decided once from all masks, and said)")
        ->check(CLI::IsMember({"index", "binary255", "palette"}));
    import->add_flag("--overwrite", importArgs->overwrite, "replace an existing maskforge.json (its statuses and splits)");
    import->add_flag("--allow-problems", importArgs->allowProblems,
                     "write the project even when some files have problems (they are listed and left out)");
    import->callback([importArgs] { runImport(*importArgs); });
}

} // namespace mf::cli
