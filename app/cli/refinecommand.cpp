// maskforge-cli refine: GrabCut, pixel-classifier, contrast, texture, their vote or union, or model refinement
// of a project's coarse images, headless, into the same review queue as the GUI. The pass itself (every
// method scored per class against the trusted masks, never applied below the boxes, auto's per-class choice)
// is core's (review/autorefinement.h), shared with the GUI's batch refinement; this file reads the
// arguments, says what it would do, refuses auto without evidence and queues (or accepts) the result.
#include "commands.h"

#include "project/project.h"
#include "review/autorefinement.h"
#include "review/keptboxes.h"
#include "review/reviewqueue.h"
#include "infer/predictor.h"

#include <filesystem>
#include <iostream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <map>
#include <memory>

namespace fs = std::filesystem;

namespace mf::cli {
namespace {

struct RefineArgs {
    std::string project, method = kAutoMethod, run, device = "auto", truth;
    bool accept = false, dryRun = false;
    double chooseShare = 0.1;
    int iterations = RefineOptions{}.iterations;
};

/** Writes the candidates and review.json; on any failure removes what it wrote and rethrows. */
void queueProposals(ReviewQueue& queue, const std::string& origin, const std::vector<RefineItem>& works) {
    std::vector<std::string> written;
    const ReviewQueue before = queue;
    try {
        for (const RefineItem& w : works) {
            const RefinementProposal& p = w.proposals.at("final");
            ReviewEntry entry = writeProposal(queue.root(), w.image, origin, p.candidate, w.start.coarse, w.start.boxes);
            written.push_back(entry.candidate);
            entry.emptyBoxes = p.emptyBoxes;
            queue.add(entry);
        }
        queue.save();
    } catch (...) {
        std::error_code ec;
        for (const std::string& c : written)
            fs::remove(fs::path(queue.root()) / c, ec);
        queue = before;
        throw;
    }
}

void acceptAll(Project& project, ReviewQueue& queue, const std::vector<RefineItem>& works) {
    int accepted = 0;
    for (const RefineItem& w : works) {
        try {
            acceptProposal(project, queue, w.image);  // mask, status and queue together, or none
            ++accepted;
        } catch (const std::exception& err) {
            std::cerr << err.what() << "\n" << accepted << " accepted; the rest stay in the review queue\n";
            throw CommandExit{1};
        }
    }
    std::cout << "accepted " << accepted << " proposal(s): written to masks/, status refined\n";
}

void failWith(const std::vector<std::string>& problems, const std::string& what) {
    for (const std::string& p : problems)
        std::cerr << p << "\n";
    std::cerr << what << "; nothing written\n";
    throw CommandExit{1};
}

void dryRun(const Project& project, const std::vector<RefineItem>& works, const std::string& method,
            const std::vector<std::string>& methods) {
    std::size_t boxes = 0, targets = 0, evidence = 0;
    for (const RefineItem& w : works) {
        boxes += w.target ? w.start.boxes.size() : 0;
        targets += w.target ? 1 : 0;
        evidence += w.truth.empty() ? 0 : 1;
        if (w.target)
            std::cout << "would refine " << w.image << ": " << w.start.boxes.size() << " box(es) from "
                      << fs::relative(w.boxFile, project.root()).string() << (w.truth.empty() ? "" : ", scored by its true mask") << "\n";
        else
            std::cout << "would score the methods on reviewed " << w.image << "\n";
    }
    std::string list;
    for (const std::string& m : methods)
        list += (list.empty() ? "" : ", ") + m;
    std::cout << "methods: " << list << "; " << evidence << " trusted mask(s) to score them by\n";
    if (method == kAutoMethod)
        std::cout << "auto: one of them for every class (the boxes where it does not beat them), then each box's object "
                     "tidied into one piece where that scores better on the same masks\n";
    std::cout << boxes << " box(es) in " << targets << " image(s); dry run: nothing written\n";
}

[[noreturn]] void refuseAuto(const Project& project) {
    std::cerr << (fs::path(project.root()) / Project::kFileName).string()
              << ": --method auto chooses per class by trusted masks, and there are none: no reviewed image that kept "
                 "its boxes (coarse/) and no --truth DIR. Review a few refined images, pass --truth DIR, or name the "
                 "method (--method grabcut | classifier | model); nothing written\n";
    throw CommandExit{1};
}

/** With --accept: marks the images whose every class kept its boxes on the evidence refined (keptboxes.h). */
void markKept(Project& project, const std::vector<std::string>& kept, const RefineArgs& a) {
    if (kept.empty())
        return;
    if (!a.accept) {
        std::cout << kept.size() << " of them kept every class's boxes on the trusted masks (decided labels): --accept "
                     "marks them refined\n";
        return;
    }
    try {
        const int marked = markBoxesKept(project, kept);
        std::cout << marked << " image(s) whose boxes won on the trusted masks for every class there: status refined "
                     "(masks unchanged: the box fill is the label, and training uses it as one)\n";
    } catch (const std::exception& err) {
        std::cerr << err.what() << "\nthe images whose boxes were kept stay coarse\n";
        throw CommandExit{1};
    }
}

/** Queues the targets whose labels change (unchanged ones, where every class kept its boxes, are not
 *  queued), accepts them when asked; with --accept the unchanged ones decided on the evidence become refined. */
void composeAndQueue(Project& project, ReviewQueue& queue, std::vector<RefineItem>& works,
                     const std::vector<ClassChoice>& choices, const RefineArgs& a) {
    int unchanged = 0, changed = 0, empty = 0;
    const std::vector<std::string> kept = boxesKeptOnEvidence(works, choices, a.method);
    std::vector<RefineItem> targets;
    for (std::size_t i : changedTargets(works, choices, unchanged)) {
        const RefinementProposal& final = works[i].proposals.at("final");
        changed += final.changedPixels, empty += final.emptyBoxes;
        targets.push_back(std::move(works[i]));
    }
    if (unchanged)
        std::cout << unchanged << " image(s) keep their boxes (no class there changed): nothing queued for them\n";
    if (targets.empty()) {
        std::cout << "nothing to queue: the boxes stay as they are\n";
        markKept(project, kept, a);
        return;
    }
    const std::string origin = refinementOrigin(a.method, choices, fs::path(a.run).filename().string());
    queueProposals(queue, origin, targets);
    std::cout << "queued " << targets.size() << " proposal(s) (" << origin << ") in "
              << (fs::path(project.root()) / ReviewQueue::kFileName).string() << ": " << changed
              << " pixels changed against the coarse masks";
    if (empty)
        std::cout << ", " << empty << " box(es) where " << (a.method == "model" ? std::string("the model") : a.method == "grabcut" ? std::string("GrabCut") : a.method)
                  << " found nothing kept coarse";
    std::cout << "\n";
    if (a.accept)
        acceptAll(project, queue, targets);
    markKept(project, kept, a);
}

std::map<std::string, std::string> waitingProposals(const ReviewQueue& queue) {
    std::map<std::string, std::string> out;
    for (const ReviewEntry& e : queue.entries())
        out[e.image] = e.origin;
    return out;
}

/** A refinement pass allocates and frees thousands of large buffers (49 feature planes of an image, 370 KB
 *  each on magnetic-tile, the forests' index arrays): glibc serves each from a fresh mmap and gives it back
 *  at free, so every plane costs page faults. Kept in the heap instead (this process ends after the pass):
 *  system time 4.0 -> 1.5 s per 100 magnetic-tile images with the classifier, results unchanged. */
void keepFreedMemory() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest (HEAP_MAX_SIZE / 2)
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

void runRefine(const RefineArgs& a) {
    keepFreedMemory();
    if (a.method == "model" && a.run.empty())
        throw std::invalid_argument("--method model needs --run (a run folder or checkpoint)");
    Project project = Project::load(a.project);
    ReviewQueue queue = ReviewQueue::load(project.root());
    std::unique_ptr<Predictor> predictor;  // opened first: a dry run checks the run too
    if (!a.run.empty()) {
        predictor = Predictor::open(a.run, a.device);
        std::cout << predictor->description() << "\n";
    }
    const RefineSay say = [](const std::string& text) { std::cout << text << std::flush; };
    std::vector<std::string> problems;
    std::vector<RefineItem> works =
        loadRefineItems(project, refinementTargets(project, waitingProposals(queue), say), a.truth, problems, say);
    const bool anyTruth = hasTrustedMask(works);
    if (a.dryRun) {  // says what would happen, problems included, and writes nothing
        dryRun(project, works, a.method, refinementMethods(a.method, predictor != nullptr));
        for (const std::string& p : problems)
            std::cout << "the refinement would stop here: " << p << "\n";
        if (a.method == kAutoMethod && !anyTruth)
            std::cout << "--method auto would refuse: no trusted masks (no reviewed image that kept its boxes, no --truth)\n";
        return;
    }
    if (!problems.empty())
        failWith(problems, std::to_string(problems.size()) + " problem(s) before refining");
    if (a.method == kAutoMethod && !anyTruth)
        refuseAuto(project);
    RefinePassOptions options;
    options.method = a.method;
    options.chooseShare = a.chooseShare;
    options.iterations = a.iterations;
    options.truthName = a.truth;
    options.projectName = a.project;
    options.say = say;
    if (predictor)
        options.model = [&predictor](const cv::Mat& rgb) { return predictor->predict(rgb).labels; };
    const RefinementReport report = runRefinementPass(project, works, options, problems);
    if (!problems.empty())
        failWith(problems, std::to_string(problems.size()) + " image(s) could not be refined");
    composeAndQueue(project, queue, works, report.choices, a);
}

} // namespace

void addRefineCommand(CLI::App& app) {
    auto a = std::make_shared<RefineArgs>();
    auto* cmd = app.add_subcommand(
        "refine", "Refine the coarse (box) masks of a project with GrabCut, the pixel classifier or a trained model, "
                  "scored per class against the trusted masks there are (reviewed images that kept their boxes, "
                  "--truth); the results join the review queue (review.json), or with --accept become the masks. Only "
                  "images with status coarse are touched; a method is never applied to a class where it scores below "
                  "the boxes");
    cmd->add_option("--project", a->project, "project folder (maskforge.json)")->required();
    cmd->add_option("--method", a->method,
                    "auto (one method for every class, the best-scoring on the trusted masks, each box's object tidied into "
                    "one piece where that scores better; refuses without any) | grabcut | "
                    "classifier (filter bank + random forest learnt from all boxes) | contrast (pixels darker or "
                    "brighter than the surface around the box, tightness prior) | texture (the same for the texture's "
                    "strength) | vote (pixels most of grabcut, classifier, contrast keep) | union (pixels any of "
                    "grabcut, classifier, contrast, texture keeps) | learned (a forest learnt from the trusted masks that "
                    "choose: which of a box's pixels are its object; needs reviewed images or --truth) | model")
        ->check(CLI::IsMember({"auto", "grabcut", "classifier", "contrast", "texture", "vote", "union", "learned", "model"}))
        ->capture_default_str();
    cmd->add_option("--truth", a->truth, "folder of true masks (paired by file stem) that score the methods");
    cmd->add_option("--choose-share", a->chooseShare,
                    "without reviewed images: the share of the --truth masks (stratified by class) that chooses and "
                    "flags methods; the rest are held out and score the result (1: all choose, an upper bound)")
        ->check(CLI::Range(0.01, 1.0))
        ->capture_default_str();
    cmd->add_option("--run", a->run, "run folder or checkpoint whose prediction replaces each box's fill (--method model; "
                                     "with auto, a candidate too)");
    cmd->add_option("--device", a->device, "auto | cpu | cuda (--method model)")->capture_default_str();
    cmd->add_option("--iterations", a->iterations, "GrabCut iterations per box")->capture_default_str()
        ->check(CLI::Range(1, 100));
    cmd->add_flag("--accept", a->accept, "accept every new proposal: write it as the image's mask (status refined); with "
                                         "auto, images where every class kept its boxes on the trusted masks become refined "
                                         "too (their box fills are decided labels)");
    cmd->add_flag("--dry-run", a->dryRun, "say which images would be refined, with which methods, scored by what; write nothing");
    cmd->callback([a] { runRefine(*a); });
}

} // namespace mf::cli
