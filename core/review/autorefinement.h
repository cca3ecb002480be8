#pragma once
#include "project/project.h"
#include "review/refinement.h"
#include "review/refinementscore.h"

#include <opencv2/core.hpp>

#include <atomic>
#include <cmath>
#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mf {

/** The method name that chooses per class among the others. */
inline constexpr const char* kAutoMethod = "auto";
/** The pixel classifier's method name (and its proposals' origin). */
inline constexpr const char* kClassifierMethod = "classifier";
/** The method learnt from the trusted masks that choose (learnedrefinement.h), and its proposals' origin. */
inline constexpr const char* kLearnedMethod = "learned";

/** One image a refinement pass works on: a coarse image to refine (target), a reviewed image whose mask
 *  scores the methods (evidence only), or both (a coarse image with a --truth mask). The pass owns it. */
struct RefineItem {
    std::string image;    ///< project-relative
    std::string boxFile;  ///< what its boxes came from, named in messages
    cv::Mat rgb, truth;
    CoarseStart start;
    bool target = false;
    bool choose = false;  ///< its trusted mask chooses (else, when it has one, it only scores the result: held out)
    std::map<std::string, RefinementProposal> proposals;  ///< by method; "final": the labels as chosen
};

/** A line (or table) of what a pass does, for whoever shows it: the CLI prints it, the GUI logs it. */
using RefineSay = std::function<void(const std::string&)>;

/** How a refinement pass runs. */
struct RefinePassOptions {
    std::string method = kAutoMethod;  ///< auto | grabcut | classifier | contrast | texture | vote | union | learned | model
    double chooseShare = 0.1;          ///< without reviewed images: the share of --truth masks that chooses
    int iterations = RefineOptions{}.iterations;  ///< GrabCut's
    /** A trained model's label image of an RGB image ("model"; with auto, a candidate too). Called from one
     *  thread at a time. */
    std::function<cv::Mat(const cv::Mat&)> model;
    std::string truthName;    ///< the --truth folder, named in the held-out report
    std::string projectName;  ///< the project folder, named in messages about its images
    /** Checked between images (and inside a forest's training): once set, the pass throws Cancelled. */
    const std::atomic<bool>* cancel = nullptr;
    RefineSay say;  ///< progress and the reports; may be empty
};

/** What a pass found, per class: the scores it chose by, the choice and why, and the held-out scores. */
struct RefinementReport {
    std::vector<std::string> methods;     ///< the methods computed, in order (the columns after the boxes)
    std::vector<int> classes;             ///< the classes of the boxes
    std::vector<std::string> classNames;  ///< by class id
    RefinementScorer choosing{0, 255};    ///< the boxes and every method on the choosing evidence
    int evidence = 0;                     ///< trusted masks that chose
    int reviewed = 0;                     ///< ...of which the project's reviewed images
    std::vector<ClassChoice> choices;     ///< per class of `classes`
    RefinementScorer heldOut{0, 255};     ///< on the trusted masks that did not choose; the labels as chosen as the method's own name
    int heldOutImages = 0;
    /** auto's tidying (tidylabels.h) of the classes that took a method, decided by decideTidy: applied to
     *  every target when it raises the mean IoU over the classes on the choosing evidence and leaves none of
     *  those classes below its boxes there. */
    bool tidy = false;
    std::set<int> tidyClasses;
    double untidyMean = NAN, tidyMean = NAN;  ///< the labels as chosen, untidied and tidied, on that evidence
    std::string tidyBelow;  ///< not applied because tidied it scores below the boxes for this class (else empty)
};

/** The coarse images of `project` to refine: those refinementSource() refines, except the ones in
 *  `waiting` (image -> the origin of the proposal that waits for review), which are said and skipped. */
std::vector<const ImageEntry*> refinementTargets(const Project& project, const std::map<std::string, std::string>& waiting,
                                                 const RefineSay& say = {});

/** Reads the targets (with their mask in the `truthDir` folder, paired by file stem, where it has one) and
 *  every reviewed image that kept its coarse mask (evidence); checks their boxes. Problems (file: what)
 *  go to `problems`; notes (boxes skipped or kept as filled) to `say`. */
std::vector<RefineItem> loadRefineItems(const Project& project, const std::vector<const ImageEntry*>& targets,
                                        const std::string& truthDir, std::vector<std::string>& problems,
                                        const RefineSay& say = {});

/** The methods a pass computes: the one named, or auto's candidates (the model with `withModel`). */
std::vector<std::string> refinementMethods(const std::string& method, bool withModel);

/** Whether any item has a trusted mask (auto refuses without). */
bool hasTrustedMask(const std::vector<RefineItem>& items);

/** Computes `method`'s proposal of every item (and the members of a vote or union first): GrabCut,
 *  contrast and texture an image at a time on every core; the classifier's features too. Failures per
 *  image go to `problems`. Says each method's time. Throws Cancelled. */
void computeRefinement(const std::string& method, std::vector<RefineItem>& items, const RefinePassOptions& options,
                       std::vector<std::string>& problems);

/** Which trusted masks choose and which are held out: the reviewed images choose when there are any, and
 *  --truth masks then only score; without a reviewed image a stratified share (choosingShare, by each
 *  image's first box class) of the --truth images chooses and the rest are held out. */
void splitEvidence(std::vector<RefineItem>& items, double chooseShare);

/** Scores every method on the choosing evidence (said as a table) and decides, per class, whose proposal
 *  each class takes: auto's best (chooseMethods), else the named method where it does not score below
 *  the boxes (flagged classes keep their boxes). Without evidence: the named method, "not scored". */
RefinementReport chooseRefinements(const Project& project, const std::vector<RefineItem>& items,
                                   const std::vector<std::string>& methods, const RefinePassOptions& options);

/** Whether auto's choice is tidied (tidyByBox on the classes that took a method): scores the labels as
 *  chosen, untidied and tidied, on the choosing evidence and says both; fills report.tidy* (tidy stays
 *  false without evidence or for a named method). */
void decideTidy(const Project& project, const std::vector<RefineItem>& items, RefinementReport& report,
                const RefinePassOptions& options);

/** The lines saying each class's choice (auto) or each flagged class (a named method). */
std::string choiceLines(const RefinementReport& report, const std::string& method);

/** Each target's labels composed per class from the choices, tidied (tidyByBox) in `tidyClasses`: its
 *  "final" proposal. */
void composeFinals(std::vector<RefineItem>& items, const std::vector<ClassChoice>& choices,
                   const std::set<int>& tidyClasses = {});

/** The held-out score (boxes, every method, the labels as chosen) on the trusted masks that did not
 *  choose, into `report`, said as a table when there are any. */
void scoreHeldOut(const Project& project, const std::vector<RefineItem>& items, RefinementReport& report,
                  const RefinePassOptions& options);

/** The whole pass on loaded items: computes every method of options.method, splits the evidence,
 *  chooses, says the choices, composes each target's "final" labels and scores the held-out masks.
 *  Stops after computing when `problems` is not empty (the report then holds only its methods).
 *  Throws Cancelled. */
RefinementReport runRefinementPass(const Project& project, std::vector<RefineItem>& items,
                                   const RefinePassOptions& options, std::vector<std::string>& problems);

/** The targets whose final labels change something (indices into `items`); targets where every class
 *  kept its boxes and nothing changed are counted in `unchanged` and left out (never queued). */
std::vector<std::size_t> changedTargets(const std::vector<RefineItem>& items, const std::vector<ClassChoice>& choices,
                                        int& unchanged);

/** The origin a queued proposal names: GrabCut, the run (`runName`), the classifier, or auto's per-class
 *  choice ("auto: classifier + contrast"). */
std::string refinementOrigin(const std::string& method, const std::vector<ClassChoice>& choices,
                             const std::string& runName = {});

} // namespace mf
