#pragma once
#include "classify/liveclassifier.h"
#include "project/project.h"
#include "review/reviewqueue.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mf {

/** The samples the strokes of a project's images give (StrokeStore), each image read and only the
 *  tiles under its strokes filtered. Images in `skip` are left out (the open one, whose strokes the
 *  canvas holds). Unreadable images or stroke files go to `problems` and are skipped. Returns early
 *  (with what it has) when `cancel` is set. */
LabelledSamples projectStrokeSamples(const Project& project, const std::vector<std::string>& skip = {},
                                     const LiveClassifierOptions& options = {}, const std::atomic<bool>* cancel = nullptr,
                                     std::vector<Problem>* problems = nullptr);

/** The review queue's origin of a live-classifier proposal: which strokes taught it. */
std::string liveOrigin(int strokedImages);

/** What proposeUnlabelled did. */
struct LiveProposals {
    std::vector<ReviewEntry> entries;  ///< written candidates, to add to the queue
    int strokedImages = 0;             ///< images whose strokes trained the forest
    std::vector<int> classes;          ///< classes the forest learnt
    std::vector<Problem> problems;     ///< images skipped, and why
    bool cancelled = false;
};

/** "Predict all unlabelled images": trains the live classifier on every image's strokes in the project
 *  and writes a proposal (writeProposal, origin liveOrigin) for each image whose status is Unlabelled
 *  and that is not queued yet. Writes nothing but candidate files; the caller adds the entries to its
 *  queue and saves it. Throws std::runtime_error when the strokes hold fewer than two classes.
 *  `progress(done, total)` after each image. */
LiveProposals proposeUnlabelled(const Project& project, const ReviewQueue& queue, const LiveClassifierOptions& options = {},
                                const std::atomic<bool>* cancel = nullptr,
                                const std::function<void(int, int)>& progress = {});

} // namespace mf
