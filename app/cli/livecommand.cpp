// maskforge-cli live-predict: "Predict all unlabelled images" without the GUI: the live classifier
// trained on every stroke painted in the project (.maskforge/strokes/) proposes a mask for each
// unlabelled image, into the one review queue (core/review/liveproposals.h).
#include "commands.h"

#include "review/liveproposals.h"
#include "review/strokestore.h"

#include <iostream>

namespace mf::cli {
namespace {

struct LiveArgs {
    std::string project;
    bool dryRun = false;
};

void runLivePredict(const LiveArgs& a) {
    const Project project = Project::load(a.project);
    ReviewQueue queue = ReviewQueue::load(project.root());
    const std::vector<std::string> stroked = StrokeStore(project.root()).imagesWithStrokes(project);
    int todo = 0;
    for (const ImageEntry& e : project.images())
        todo += e.status == ImageStatus::Unlabelled && !queue.find(e.image);
    std::cout << stroked.size() << " image(s) with strokes; " << todo << " unlabelled image(s) without a proposal waiting\n";
    if (a.dryRun)
        return;
    const LiveProposals p = proposeUnlabelled(project, queue, {}, nullptr, [](int done, int total) {
        std::cerr << "\rpredicted " << done << "/" << total << std::flush;
    });
    std::cerr << "\n";
    for (const Problem& pr : p.problems)
        std::cout << "skipped " << pr.file << ": " << pr.message << "\n";
    for (const ReviewEntry& e : p.entries)
        queue.add(e);
    queue.save();
    std::cout << p.entries.size() << " proposal(s) queued for review (origin \"" << liveOrigin(p.strokedImages)
              << "\", " << p.classes.size() << " classes learnt)\n";
    if (!p.problems.empty())
        throw CommandExit{1};
}

} // namespace

void addLiveCommand(CLI::App& app) {
    auto a = std::make_shared<LiveArgs>();
    auto* cmd = app.add_subcommand(
        "live-predict",
        "Predict all unlabelled images with the live classifier: a pixel forest trained on the strokes painted in the "
        "canvas's live classifier mode (all images of the project) proposes a mask for every unlabelled image that has "
        "no proposal waiting; the proposals go into the review queue (masks/ is not written).");
    cmd->add_option("--project", a->project, "project folder or its maskforge.json")->required();
    cmd->add_flag("--dry-run", a->dryRun, "say how many images have strokes and would be predicted; write nothing");
    cmd->callback([a] { runLivePredict(*a); });
}

} // namespace mf::cli
