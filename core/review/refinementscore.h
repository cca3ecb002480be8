#pragma once
#include "metrics/metrics.h"

#include <opencv2/core.hpp>

#include <map>
#include <string>
#include <vector>

namespace mf {

/** The name the box fills themselves go by among refinement methods. */
inline constexpr const char* kBoxesMethod = "boxes";

/** Scores refinement methods against trusted masks (a --truth folder, the project's reviewed images),
 *  per class: what `refine` prints, what flags a method worse than the boxes and what `auto` chooses by.
 *  The boxes themselves are scored as method kBoxesMethod. */
class RefinementScorer {
public:
    RefinementScorer(int classCount, int ignoreIndex);

    /** Adds one evidence image's labels by `method` against `truth` (CV_8UC1, equal sizes). */
    void add(const std::string& method, const cv::Mat& truth, const cv::Mat& labels, const std::string& image = {});

    bool empty() const { return m_acc.empty(); }
    std::vector<std::string> methods() const;
    std::size_t images(const std::string& method) const;
    /** Dataset-level IoU of `method` for class `classId` over its evidence; NaN where the class has no
     *  true pixel in the evidence (nothing to score it by). */
    double iou(const std::string& method, int classId) const;
    /** The evidence images of `method` whose truth holds class `classId`: how many images a choice rests on. */
    int imagesWith(const std::string& method, int classId) const;
    /** The pixels `method` labels with class `classId` over its evidence (true and false positives). */
    std::int64_t labelled(const std::string& method, int classId) const;
    int classCount() const { return m_classes; }

private:
    int m_classes;
    int m_ignore;
    std::map<std::string, MetricsAccumulator> m_acc;
};

/** One class's choice: which method's proposal it takes, and why. */
struct ClassChoice {
    int classId = 0;
    std::string method = kBoxesMethod;
    double iou = 0;     ///< the chosen method's IoU (NaN without evidence)
    double boxIoU = 0;  ///< the boxes' IoU (NaN without evidence)
    std::string why;
    std::string overall = kBoxesMethod;  ///< chooseMethods' method for every class (the boxes: none beat them)
};

/** Per class of `classes`: one method for every class, the boxes where it does not beat them. The method is the
 *  one of `candidates` whose labels, composed with the boxes (the method where it does not score below them),
 *  score the best mean IoU over the classes with evidence, and that beats the boxes by more than `margin` on
 *  some class; means within `margin` of the best are a tie, given to the one that labels the most pixels
 *  (keeps most of the box fills). No such method: the boxes everywhere. The boxes where the class has no
 *  evidence. Why one method and not each class's best: a class rests on 2-10 reviewed images, and on them a
 *  difference of a few hundredths is noise. On magnetic-tile, at ten reviewed shares, each class's best
 *  gave held-out mIoU 0.643 on average (minimum 0.610); the method best over all classes, the boxes where it
 *  is below them, 0.660 (0.615) (docs/boxes-to-masks.md). */
std::vector<ClassChoice> chooseMethods(const RefinementScorer& scorer, const std::vector<int>& classes,
                                       const std::vector<std::string>& candidates, double margin = 0.02);

/** The classes of `classes` where `method` scores below the boxes (flagged; never applied there). */
std::vector<int> classesWorseThanBoxes(const RefinementScorer& scorer, const std::string& method,
                                       const std::vector<int>& classes);

/** The labels of one image composed per class: each class's fill in `coarse` takes the labels of its
 *  chosen method's proposal (`proposals` by method name; kBoxesMethod or a missing one keeps the fill). */
cv::Mat composeByClass(const cv::Mat& coarse, const std::map<std::string, cv::Mat>& proposals,
                       const std::vector<ClassChoice>& choices);

/** The held-back share that chooses: of images `names` with their stratum (e.g. the class of their first
 *  box), per stratum in name order every k-th (k = round(1/share)), the first of each stratum always, so
 *  that every class is represented. Returns one flag per image: true = chooses, false = only scored (the
 *  held-out images that say how well the choice generalises). `share` ≥ 1: all choose. */
std::vector<bool> choosingShare(const std::vector<std::string>& names, const std::vector<int>& strata, double share);

/** Per-pixel majority of several methods' labels of one image: inside each class's fill in `coarse`, a
 *  pixel keeps the class where at least `minVotes` of `proposals` give it that class, else becomes
 *  background; outside the fills `coarse` stays. Methods that fail in different ways (GrabCut's colour
 *  models, the classifier's texture, the contrast to the surroundings) rarely agree on the same wrong
 *  pixel. A class fill that no pixel of which reaches `minVotes` keeps its coarse fill. */
cv::Mat voteLabels(const cv::Mat& coarse, const std::vector<cv::Mat>& proposals, int minVotes);

/** A table: one row per class of `classes`, one column per method, IoU against the evidence; a method
 *  below the boxes is marked "<". */
std::string scoreTable(const RefinementScorer& scorer, const std::vector<int>& classes,
                       const std::vector<std::string>& methods, const std::vector<std::string>& classNames);

} // namespace mf
