#pragma once
#include "edit/boximport.h"
#include "review/boxkeep.h"
#include "project/project.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace mf {

/** One proposed mask waiting for a person: which image (by its project-relative path, which stays
 *  put when rows move), where it came from, the candidate mask's file and what it changes. */
struct ReviewEntry {
    std::string image;          ///< project-relative image path: the entry's identity
    std::string origin;         ///< "GrabCut" or the name of the run that proposed it
    std::string candidate;      ///< project-relative path of the proposed mask (under .maskforge/review/)
    int width = 0, height = 0;  ///< the candidate's size, checked against the image before accepting
    int changedPixels = 0;      ///< pixels that differ from the mask it was proposed over
    std::vector<int> classes;   ///< classes of those pixels, before or after
    int emptyBoxes = 0;         ///< boxes where the model found nothing (their coarse fill kept)
    double leastKept = -1;      ///< smallest share of a box's fill the proposal keeps (boxkeep.h); -1 unknown
    int lostBoxes = -1;         ///< boxes whose object it lost (BoxKeep::lost); -1 unknown
    /** Sets leastKept and lostBoxes from what the proposal keeps of each box it refines. */
    void setBoxKeep(const std::vector<BoxKeep>& keeps);
    /** Flagged in the review queue: it lost a box's object. An entry saved before lostBoxes was recorded
     *  falls back to the share alone (< kAlmostNothingKept). */
    bool lostABox() const;
};

/** A file name stem for project image `image` (project-relative path) that names it alone: its stem
 *  made safe plus a hash of the whole path (猫1.png and 犬1.png both make _1, a/x.png and b/x.png x).
 *  Proposals and the live classifier's strokes are named by it. */
std::string projectFileStem(const std::string& image);

/** The origin name of GrabCut batch refinement. */
inline constexpr const char* kGrabCutOrigin = "GrabCut";

/** Builds the entry of proposing `candidate` over `before` (the mask it would replace) for `image`,
 *  and writes the candidate (atomically) under `<root>/.maskforge/review/`. With the `boxes` the
 *  proposal refines, the entry records the least share of a box's fill it keeps (leastKept), so every
 *  proposer (GUI batch, model proposals, `maskforge-cli refine`) fills it alike. Touches no other file,
 *  so a worker thread may call it. Throws FileError when the sizes differ or the write fails. */
ReviewEntry writeProposal(const std::string& root, const std::string& image, const std::string& origin,
                          const cv::Mat& candidate, const cv::Mat& before, const std::vector<DetectionBox>& boxes = {});

/** The one review queue of a project: GrabCut batch results and model proposals alike, each with its
 *  origin, persisted as `review.json` beside maskforge.json so it survives a restart. Proposed masks
 *  live in `.maskforge/review/` until accepted (written as the image's mask) or rejected (deleted):
 *  masks/ is never written behind the person's back. At most one entry per image (the newest). */
class ReviewQueue {
public:
    static constexpr const char* kFileName = "review.json";
    static constexpr const char* kCandidateDir = ".maskforge/review";

    ReviewQueue() = default;
    explicit ReviewQueue(std::string root) : m_root(std::move(root)) {}
    /** Reads `<root>/review.json`; a missing file is an empty queue. Throws FileError (naming the file
     *  and the problem) when it is malformed; nothing is changed on disk then. */
    static ReviewQueue load(const std::string& root);
    /** Writes review.json atomically. */
    void save() const;

    const std::string& root() const { return m_root; }
    const std::vector<ReviewEntry>& entries() const { return m_entries; }
    int size() const { return static_cast<int>(m_entries.size()); }
    bool empty() const { return m_entries.empty(); }
    /** The entry of `image`, or null. */
    const ReviewEntry* find(const std::string& image) const;
    /** Queues `entry`, replacing (and deleting the candidate of) an older one for the same image. */
    void add(const ReviewEntry& entry);
    /** Takes `image` off the queue and deletes its candidate file; false if it was not queued. */
    bool remove(const std::string& image);
    void clear();
    /** Drops the entries whose image `project` no longer lists or whose candidate file is gone;
     *  returns their image paths. */
    std::vector<std::string> prune(const Project& project);

    /** Reads the candidate of `entry`, checked against the recorded size and `imageSize` (the image
     *  it will be written for): FileError when missing, unreadable or of another size. */
    cv::Mat readCandidate(const ReviewEntry& entry, cv::Size imageSize) const;

private:
    std::string m_root;
    std::vector<ReviewEntry> m_entries;
};

/** Accepts the proposal for `image` into the project (for an image that is not open in an editor):
 *  writes the candidate as the image's mask (atomically), sets the status by the rules, saves the
 *  project, then takes the entry off the queue and saves the queue. Throws FileError; on failure the
 *  mask, the project file and the queue are as before. */
void acceptProposal(Project& project, ReviewQueue& queue, const std::string& image);

} // namespace mf
