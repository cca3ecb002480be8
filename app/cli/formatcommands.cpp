#include "commands.h"

#include "formats/formatimport.h"
#include "formats/hygiene.h"
#include "project/project.h"

#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace mf::cli {
namespace {

const std::vector<std::string> kFormats = {"png", "voc", "labelme", "coco", "yolo", "cvat"};

struct ImportArgs {
    std::string format, input, labels, out, images;
    bool dryRun = false, keepClasses = false, replace = false, merge = false;
};

struct ExportArgs {
    std::string format, project, out;
    bool rle = false, embed = false, strict = false, includeCoarse = false, overwrite = false;
};

void printProblems(const std::vector<Problem>& problems) {
    for (const Problem& p : problems)
        std::cerr << p.file << ": " << p.message << "\n";
}

void runFormatImport(const ImportArgs& a) {
    if (a.input.empty() || a.out.empty())
        throw CLI::ValidationError("import --format", "needs --input PATH and --out PROJECT");
    formats::ImportRequest r;
    r.format = *formats::parseFormat(a.format);
    r.input = a.input;
    r.labelsFile = a.labels;
    r.dryRun = a.dryRun;
    r.addMissingClasses = !a.keepClasses;
    r.imagesDir = a.images;
    if (a.replace && a.merge)
        throw CLI::ValidationError("--replace/--merge", "choose one");
    r.onExisting = a.replace ? formats::OnExisting::Replace : a.merge ? formats::OnExisting::Merge : formats::OnExisting::Keep;
    const formats::ImportReport report = formats::importAnnotations(a.out, r);
    printProblems(report.problems);
    const std::size_t kept = static_cast<std::size_t>(formats::keptMaskCount(report));
    for (const formats::ImportConflict& c : report.conflicts)
        if (c.applied != formats::OnExisting::Keep)
            std::cout << (a.dryRun ? "would " : "") << formats::toString(c.applied) << " the " << toString(c.status) << " mask of "
                      << c.image << " (" << c.changedPixels << " pixels change)\n";
    if (kept)
        std::cout << kept << " refined or reviewed mask(s) kept as they are (listed above); --replace or --merge to apply the import to them\n";
    if (a.dryRun)
        for (const std::string& f : report.written)
            std::cout << "would write " << a.out << "/" << f << "\n";
    if (report.classesFromFile)
        std::cout << "took the file's " << report.classesFromFile << " classes with their ids\n";
    for (const std::string& c : report.addedClasses)
        std::cout << "added class \"" << c << "\"\n";
    std::cout << (a.dryRun ? "dry run: " : "") << report.files << " file(s) read, " << report.images << " image(s) with masks, "
              << report.shapes << " shape(s)" << (report.boxes ? " (" + std::to_string(report.boxes) + " boxes as coarse masks)" : "")
              << ", " << report.problems.size() - kept << " problem(s)" << (a.dryRun ? "; nothing written\n" : "; project " + a.out + "\n");
    if (report.images == 0)
        throw CommandExit{1};
}

void runExport(const ExportArgs& a) {
    std::vector<Problem> loadProblems;
    const Project p = Project::load(a.project, &loadProblems);
    printProblems(loadProblems);
    formats::ExportRequest r;
    r.format = *formats::parseFormat(a.format);
    r.outDir = a.out;
    r.cocoRle = a.rle;
    r.embedImages = a.embed;
    r.strict = a.strict;
    r.includeCoarse = a.includeCoarse;
    r.overwrite = a.overwrite;
    // What the format cannot carry, said before anything is written.
    const formats::ExportReport plan = formats::planExport(p, r);
    for (const formats::ExportLoss& l : plan.losses)
        std::cerr << a.format << " cannot carry " << l.pixels << " " << l.what << " (in " << l.images << " image(s))"
                  << (a.strict ? "" : "; exporting without them") << "\n";
    if (plan.coarseSkipped)
        std::cerr << plan.coarseSkipped << " image(s) with only a coarse box fill left out (--include-coarse exports them)\n";
    const formats::ExportReport report = formats::exportProject(p, r);
    printProblems(report.problems);
    std::cout << "exported " << report.images << " image(s) as " << a.format << " to " << a.out << " (" << report.written.size()
              << " files)\n";
}

void runDedup(const std::string& project, int threshold, bool drop) {
    Project p = Project::load(project);
    std::vector<Problem> problems;
    const auto groups = formats::findDuplicates(p, threshold, problems);
    printProblems(problems);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        std::cout << "group " << g + 1 << " (distance <= " << groups[g].maxDistance << "):";
        for (std::size_t i : groups[g].images)
            std::cout << " " << p.images()[i].image;
        std::cout << "\n";
    }
    std::cout << groups.size() << " group(s) of near-duplicate images at threshold " << threshold << "\n";
    if (drop && !groups.empty()) {
        const auto dropped = formats::dropDuplicates(p, groups);
        p.save();
        for (const std::string& d : dropped)
            std::cout << "dropped from the project (file kept): " << d << "\n";
    }
}

void runStats(const std::string& project) {
    const Project p = Project::load(project);
    std::vector<Problem> problems;
    const auto stats = formats::classStatistics(p, problems);
    printProblems(problems);
    std::cout << std::left << std::setw(4) << "id" << std::setw(20) << "class" << std::right << std::setw(8) << "images" << std::setw(14)
              << "pixels" << std::setw(8) << "boxes" << std::setw(18) << "mean box w x h" << std::setw(20) << "box area min..max" << "\n";
    for (const auto& s : stats) {
        std::ostringstream wh, area;
        wh << std::fixed << std::setprecision(1) << s.meanBoxWidth << " x " << s.meanBoxHeight;
        area << s.minBoxArea << ".." << s.maxBoxArea;
        std::cout << std::left << std::setw(4) << s.id << std::setw(20) << s.name << std::right << std::setw(8) << s.images << std::setw(14)
                  << s.pixels << std::setw(8) << s.boxes << std::setw(18) << (s.boxes ? wh.str() : "-") << std::setw(20)
                  << (s.boxes ? area.str() : "-") << "\n";
    }
}

void runClasses(const std::string& project, const std::vector<std::string>& drops, const std::vector<std::string>& merges) {
    Project p = Project::load(project);
    std::vector<formats::ClassChange> changes;
    for (const std::string& d : drops)
        changes.push_back({d, ""});
    for (const std::string& m : merges) {
        const std::size_t eq = m.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
            throw CLI::ValidationError("--merge", "expects FROM=INTO, got \"" + m + "\"");
        changes.push_back({m.substr(0, eq), m.substr(eq + 1)});
    }
    if (changes.empty()) {
        for (const ClassInfo& c : p.classes())
            std::cout << c.id << " " << c.name << "\n";
        return;
    }
    const int files = formats::changeClasses(p, changes);
    std::cout << "rewrote " << files << " mask and box file(s); classes now:";
    for (const ClassInfo& c : p.classes())
        std::cout << " " << c.id << "=" << c.name;
    std::cout << "\n";
}

} // namespace

void addFormatCommands(CLI::App& app) {
    // `import` is one command: with --format it reads annotation formats (this file), without it the
    // images/ + masks/ folder import of datacommands.cpp.
    CLI::App* import = app.get_subcommand("import");
    import->get_option("dir")->required(false);
    auto args = std::make_shared<ImportArgs>();
    import->add_option("--format", args->format, "annotation format to read into a project")->check(CLI::IsMember(kFormats));
    import->add_option("--input", args->input, "annotation file or folder (with --format)");
    import->add_option("--labels", args->labels, "class names, labelme labels.txt convention (__ignore__ first = 255)")
        ->check(CLI::ExistingFile);
    import->add_option("--out", args->out, "project folder to make or add to (with --format)");
    import->add_flag("--dry-run", args->dryRun, "read everything, report what would be written, write nothing");
    import->add_flag("--keep-classes", args->keepClasses, "skip shapes of unknown classes instead of adding them");
    import->parse_complete_callback([args, import] {
        if (!args->format.empty()) {
            runFormatImport(*args);
            throw CommandExit{0};
        }
        if (import->get_option("dir")->empty())
            throw CLI::RequiredError("dir (or --format with --input and --out)");
    });

    import->add_option("--images", args->images, "folder of the images the annotations name (searched first)")->check(CLI::ExistingDirectory);
    import->add_flag("--replace", args->replace, "replace refined and reviewed masks the import changes (default: keep them, listed)");
    import->add_flag("--merge", args->merge, "paint the imported labels over refined and reviewed masks, keeping their other pixels");

    auto project = std::make_shared<std::string>();
    auto ex = std::make_shared<ExportArgs>();
    auto* exp = app.add_subcommand("export", "Write a project's masks as png, voc, labelme, coco, yolo (YOLO-seg) or cvat");
    exp->add_option("--format", ex->format, "format to write")->required()->check(CLI::IsMember(kFormats));
    exp->add_option("--project", ex->project, "project folder")->required();
    exp->add_option("--out", ex->out, "output folder (new or empty; see --overwrite)")->required();
    exp->add_flag("--rle", ex->rle, "COCO: RLE masks instead of polygons");
    exp->add_flag("--embed-images", ex->embed, "labelme: put each image into its JSON (imageData) instead of beside it");
    exp->add_flag("--strict", ex->strict, "refuse (write nothing) when the format cannot carry all of the masks");
    exp->add_flag("--include-coarse", ex->includeCoarse, "also export coarse box fills (status coarse) as segmentations");
    exp->add_flag("--overwrite", ex->overwrite, "replace an earlier export in --out (its files removed, not mixed)");
    exp->callback([ex] { runExport(*ex); });

    auto threshold = std::make_shared<int>(6);
    auto drop = std::make_shared<bool>(false);
    auto* dedup = app.add_subcommand("dedup", "Find near-duplicate images by perceptual hash; --drop removes all but the first "
                                              "of each group from the project (files are never deleted)");
    dedup->add_option("--project", *project, "project folder")->required();
    dedup->add_option("--threshold", *threshold, "largest Hamming distance of 64-bit pHashes counted as duplicates")
        ->capture_default_str()->check(CLI::Range(0, 64));
    dedup->add_flag("--drop", *drop, "drop the duplicates from maskforge.json");
    dedup->callback([=] { runDedup(*project, *threshold, *drop); });

    auto* stats = app.add_subcommand("stats", "Per class: images, pixels, boxes and box sizes");
    stats->add_option("--project", *project, "project folder")->required();
    stats->callback([=] { runStats(*project); });

    auto drops = std::make_shared<std::vector<std::string>>(), merges = std::make_shared<std::vector<std::string>>();
    auto* classes = app.add_subcommand("classes", "List classes, or drop (pixels become background) and merge them, rewriting every mask");
    classes->add_option("--project", *project, "project folder")->required();
    classes->add_option("--drop", *drops, "class name to drop");
    classes->add_option("--merge", *merges, "FROM=INTO: class FROM becomes INTO");
    classes->callback([=] { runClasses(*project, *drops, *merges); });
}

} // namespace mf::cli
