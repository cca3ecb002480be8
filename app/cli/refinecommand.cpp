// maskforge-cli refine: GrabCut or model refinement of a project's coarse images, headless, through
// the same core as the GUI (review/refinement.h) and into the same review queue.
#include "commands.h"

#include "io/errors.h"
#include "io/imageio.h"
#include "project/project.h"
#include "review/refinement.h"
#include "review/reviewqueue.h"
#include "train/predictor.h"

#include <filesystem>
#include <iostream>
#include <memory>

namespace fs = std::filesystem;

namespace mf::cli {
namespace {

struct RefineArgs {
    std::string project, method = "grabcut", run, device = "auto";
    bool accept = false, dryRun = false;
    int iterations = RefineOptions{}.iterations;
};

struct Target {
    std::string image;  ///< project-relative
    RefinementProposal proposal;
    cv::Mat coarse;
};

/** The images to refine: coarse ones without a proposal waiting; every other one is said and skipped. */
std::vector<const ImageEntry*> selectImages(const Project& project, const ReviewQueue& queue) {
    std::vector<const ImageEntry*> out;
    int kept = 0;
    for (const ImageEntry& e : project.images()) {
        if (refinementSource(e).empty()) {
            ++kept;  // a person's (or an accepted) mask: never replaced
        } else if (const ReviewEntry* q = queue.find(e.image)) {
            std::cout << e.image << ": skipped, a proposal (" << q->origin << ") waits for review\n";
        } else {
            out.push_back(&e);
        }
    }
    std::cout << out.size() << " coarse image(s) to refine; " << kept
              << " image(s) not coarse (unlabelled, refined or reviewed) left as they are\n";
    return out;
}

/** Computes every proposal in memory; returns the problems (file: what), empty when all succeeded. */
std::vector<std::string> computeProposals(const Project& project, const std::vector<const ImageEntry*>& images,
                                          const RefineArgs& a, Predictor* predictor, std::vector<Target>& out) {
    RefineOptions options;
    options.iterations = a.iterations;
    std::vector<std::string> problems;
    for (const ImageEntry* e : images) {
        try {
            const cv::Mat rgb = readImageRgb(project.absolute(e->image));
            const CoarseStart start = readCoarseStart(project, *e);
            if (start.coarse.size() != rgb.size())
                throw FileError(project.absolute(refinementSource(*e)), "coarse mask size differs from its image's");
            Target t{e->image, {}, start.coarse};
            t.proposal = predictor ? modelProposal(predictor->predict(rgb).labels, start)
                                   : grabCutProposal(rgb, start, options);
            out.push_back(std::move(t));
        } catch (const FileError& err) {
            problems.push_back(err.what());
        } catch (const std::exception& err) {
            problems.push_back(project.absolute(e->image) + ": " + err.what());
        }
    }
    return problems;
}

/** Writes the candidates and review.json; on any failure removes what it wrote and rethrows. */
void queueProposals(ReviewQueue& queue, const std::string& origin, const std::vector<Target>& targets) {
    std::vector<std::string> written;
    const ReviewQueue before = queue;
    try {
        for (const Target& t : targets) {
            ReviewEntry entry = writeProposal(queue.root(), t.image, origin, t.proposal.candidate, t.coarse);
            written.push_back(entry.candidate);
            entry.emptyBoxes = t.proposal.emptyBoxes;
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

void acceptAll(Project& project, ReviewQueue& queue, const std::vector<Target>& targets) {
    int accepted = 0;
    for (const Target& t : targets) {
        try {
            acceptProposal(project, queue, t.image);  // mask, status and queue together, or none
            ++accepted;
        } catch (const std::exception& err) {
            std::cerr << err.what() << "\n" << accepted << " accepted; the rest stay in the review queue\n";
            throw CommandExit{1};
        }
    }
    std::cout << "accepted " << accepted << " proposal(s): written to masks/, status refined\n";
}

void runRefine(const RefineArgs& a) {
    if (a.method == "model" && a.run.empty())
        throw std::invalid_argument("--method model needs --run (a run folder or checkpoint)");
    Project project = Project::load(a.project);
    ReviewQueue queue = ReviewQueue::load(project.root());
    std::unique_ptr<Predictor> predictor;  // opened first: a dry run checks the run too
    if (a.method == "model") {
        predictor = Predictor::open(a.run, a.device);
        std::cout << predictor->description() << "\n";
    }
    const std::vector<const ImageEntry*> images = selectImages(project, queue);
    if (a.dryRun) {
        std::size_t boxes = 0;
        for (const ImageEntry* e : images) {
            std::string what;
            try {
                const CoarseStart start = readCoarseStart(project, *e);
                boxes += start.boxes.size();
                what = std::to_string(start.boxes.size()) + " box(es) from " +
                       (e->boxes.empty() ? std::string("the coarse mask's regions") : e->boxes);
            } catch (const FileError& err) {
                what = std::string("unreadable, the refinement would stop here: ") + err.what();
            }
            std::cout << "would refine " << e->image << " from " << refinementSource(*e) << ": " << what << "\n";
        }
        std::cout << boxes << " box(es) in " << images.size() << " image(s); dry run: nothing written\n";
        return;
    }
    std::vector<Target> targets;
    const std::vector<std::string> problems = computeProposals(project, images, a, predictor.get(), targets);
    if (!problems.empty()) {
        for (const std::string& p : problems)
            std::cerr << p << "\n";
        std::cerr << problems.size() << " image(s) could not be refined; nothing written\n";
        throw CommandExit{1};
    }
    const std::string origin = a.method == "model" ? fs::path(a.run).filename().string() : kGrabCutOrigin;
    queueProposals(queue, origin.empty() ? std::string("model") : origin, targets);
    int changed = 0, empty = 0;
    for (const Target& t : targets)
        changed += t.proposal.changedPixels, empty += t.proposal.emptyBoxes;
    std::cout << "queued " << targets.size() << " proposal(s) (" << origin << ") in "
              << (fs::path(project.root()) / ReviewQueue::kFileName).string() << ": " << changed
              << " pixels changed against the coarse masks";
    if (empty)
        std::cout << ", " << empty << " box(es) where " << (a.method == "model" ? "the model" : "GrabCut")
                  << " found nothing kept coarse";
    std::cout << "\n";
    if (a.accept)
        acceptAll(project, queue, targets);
}

} // namespace

void addRefineCommand(CLI::App& app) {
    auto a = std::make_shared<RefineArgs>();
    auto* cmd = app.add_subcommand(
        "refine", "Refine the coarse (box) masks of a project with GrabCut or a trained model; the results join "
                  "the review queue (review.json), or with --accept become the masks. Only images with status "
                  "coarse are touched");
    cmd->add_option("--project", a->project, "project folder (maskforge.json)")->required();
    cmd->add_option("--method", a->method, "grabcut | model")
        ->check(CLI::IsMember({"grabcut", "model"}))
        ->capture_default_str();
    cmd->add_option("--run", a->run, "run folder or checkpoint whose prediction replaces each box's fill (--method model)");
    cmd->add_option("--device", a->device, "auto | cpu | cuda (--method model)")->capture_default_str();
    cmd->add_option("--iterations", a->iterations, "GrabCut iterations per box")->capture_default_str()
        ->check(CLI::Range(1, 100));
    cmd->add_flag("--accept", a->accept, "accept every new proposal: write it as the image's mask (status refined)");
    cmd->add_flag("--dry-run", a->dryRun, "say which images would be refined; write nothing");
    cmd->callback([a] { runRefine(*a); });
}

} // namespace mf::cli
