// One refinement pass over a project's coarse images: every method computed, scored per class against the
// trusted masks there are, chosen per class (auto) or flagged where it scores below the boxes, composed
// into each image's labels. `maskforge-cli refine` and the GUI's batch refinement both run it.
#include "review/autorefinement.h"

#include "io/cancelled.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "io/maskfolder.h"
#include "review/classifierrefinement.h"
#include "review/contrastrefinement.h"
#include "review/learnedrefinement.h"
#include "review/reviewqueue.h"
#include "review/tidylabels.h"

#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace fs = std::filesystem;

namespace mf {
namespace {

void tell(const RefineSay& say, const std::string& text) {
    if (say)
        say(text);
}

void checkCancel(const RefinePassOptions& o) {
    if (o.cancel && o.cancel->load())
        throw Cancelled();
}

/** Reads an item's image and start, checks its boxes; problems (file: what) go to `problems`. */
bool loadItem(const Project& project, const ImageEntry& e, const std::string& coarsePath, RefineItem& w,
              std::vector<std::string>& problems, const RefineSay& say) {
    try {
        w.image = e.image;
        w.boxFile = project.absolute(!e.boxes.empty() ? e.boxes : coarsePath);
        w.rgb = readImageRgb(project.absolute(e.image));
        w.start = readCoarseStart(project.absolute(coarsePath), e.boxes.empty() ? std::string() : project.absolute(e.boxes),
                                  project.maskEncoding());
        if (w.start.coarse.size() != w.rgb.size())
            throw FileError(project.absolute(coarsePath), "coarse mask size differs from its image's");
        const BoxCheck check = checkBoxes(w.boxFile, w.start.boxes, w.rgb.size(), project.classCount());
        for (const std::string& n : check.notes)
            tell(say, n + "\n");
        problems.insert(problems.end(), check.errors.begin(), check.errors.end());
        w.start.boxes = check.usable;
        return check.errors.empty();
    } catch (const FileError& err) {
        problems.push_back(err.what());
    } catch (const std::exception& err) {
        problems.push_back(project.absolute(e.image) + ": " + err.what());
    }
    return false;
}

/** A truth mask for `w` (its size checked), or a problem. Classes the project does not have (a truth
 *  folder of a larger dataset) are left out of the scores, and said. */
void attachTruth(const Project& project, RefineItem& w, const std::string& path, MaskEncoding encoding,
                 std::vector<std::string>& problems, const RefineSay& say) {
    try {
        cv::Mat t = readMask(path, encoding);
        if (t.size() != w.rgb.size())
            throw FileError(path, "true mask size differs from its image's");
        const cv::Mat foreign = (t >= project.classCount()) & (t != project.ignoreIndex());
        if (const int n = cv::countNonZero(foreign)) {
            tell(say, path + ": " + std::to_string(n) + " pixel(s) of classes the project does not have, left out of the scores\n");
            t.setTo(project.ignoreIndex(), foreign);
        }
        w.truth = t;
    } catch (const FileError& err) {
        problems.push_back(err.what());
    }
}

/** The combinations: per pixel, a class is kept where at least `votes` of `members` keep it. */
struct Combination {
    std::vector<std::string> members;
    int votes;
};
const std::map<std::string, Combination>& combinations() {
    static const std::map<std::string, Combination> c{
        {"vote", {{"grabcut", kClassifierMethod, "contrast"}, 2}},
        {"union", {{"grabcut", kClassifierMethod, "contrast", "texture"}, 1}},
    };
    return c;
}

ContrastOptions textureOptions() {
    ContrastOptions o;
    o.brightness = false;
    o.textureSigma = 6.0;
    return o;
}

/** The classifier over every item at once (one forest learns from all their boxes). */
void computeClassifier(std::vector<RefineItem>& items, const RefinePassOptions& o, std::vector<std::string>& problems,
                       const std::string& root) {
    std::vector<cv::Mat> images;
    std::vector<CoarseStart> starts;
    for (const RefineItem& w : items)
        images.push_back(w.rgb), starts.push_back(w.start);
    BoxClassifierOptions options;
    options.cancel = o.cancel;
    try {
        std::vector<RefinementProposal> out = classifierProposals(images, starts, options);
        for (std::size_t i = 0; i < items.size(); ++i)
            items[i].proposals[kClassifierMethod] = std::move(out[i]);
    } catch (const Cancelled&) {
        throw;
    } catch (const std::exception& err) {
        problems.push_back(root + ": the classifier could not learn from the boxes: " + err.what());
    }
}

/** The forest learnt from the trusted masks that choose (the reviewed images; without any, the choosing
 *  share of --truth): their own proposals cross-validated, every other item predicted. */
void computeLearned(std::vector<RefineItem>& items, const RefinePassOptions& o, std::vector<std::string>& problems,
                    const std::string& root) {
    splitEvidence(items, o.chooseShare);
    int classCount = 1;  // the class columns of the features: the classes the boxes hold, in this pass
    for (const RefineItem& w : items)
        for (const DetectionBox& b : w.start.boxes)
            classCount = std::max(classCount, b.classId + 1);
    std::vector<LearnedImage> images;
    for (const RefineItem& w : items)
        images.push_back({&w.rgb, &w.start, w.choose ? w.truth : cv::Mat()});
    LearnedOptions options;
    options.cancel = o.cancel;
    try {
        std::map<int, float> thresholds;
        std::vector<RefinementProposal> out = learnedProposals(images, classCount, options, &thresholds);
        for (std::size_t i = 0; i < items.size(); ++i)
            items[i].proposals[kLearnedMethod] = std::move(out[i]);
        std::ostringstream line;
        line << "learned: from " << std::count_if(images.begin(), images.end(), [](const LearnedImage& l) { return !l.truth.empty(); })
             << " trusted mask(s); object probability threshold per class (chosen on them, cross-validated; a class"
             << " on fewer than " << options.ownThresholdImages << " of them takes the one of all classes):";
        for (const auto& [c, t] : thresholds)
            line << " " << c << ": " << t;
        tell(o.say, line.str() + "\n");
    } catch (const Cancelled&) {
        throw;
    } catch (const std::exception& err) {
        problems.push_back(root + ": the learned method could not learn from the trusted masks: " + err.what());
    }
}

void computeCombination(const std::string& method, const Combination& combo, std::vector<RefineItem>& items,
                        const RefinePassOptions& o, std::vector<std::string>& problems) {
    for (const std::string& m : combo.members)
        if (std::any_of(items.begin(), items.end(), [&](const RefineItem& w) { return !w.proposals.count(m); }))
            computeRefinement(m, items, o, problems);
    for (RefineItem& w : items) {
        std::vector<cv::Mat> ps;
        for (const std::string& m : combo.members)
            if (w.proposals.count(m))
                ps.push_back(w.proposals.at(m).candidate);
        RefinementProposal p;
        p.candidate = voteLabels(w.start.coarse, ps, combo.votes);
        p.changedPixels = cv::countNonZero(p.candidate != w.start.coarse);
        w.proposals[method] = p;
    }
}

/** GrabCut, contrast, texture or a model: one image at a time, the images in parallel (OpenCV's pool: a
 *  task per image, and OpenCV's own parallel loops inside a task run serially, so the cores are not
 *  oversubscribed), each task writing only its own item. A model's prediction runs one image at a time:
 *  its network has threads of its own. */
void computePerImage(const std::string& method, std::vector<RefineItem>& items, const RefinePassOptions& o,
                     std::vector<std::string>& problems, const std::string& root) {
    RefineOptions grabcut;
    grabcut.iterations = o.iterations;
    std::vector<std::string> errors(items.size());
    auto one = [&](std::size_t i) {
        RefineItem& w = items[i];
        try {
            if (method == "model") {
                if (!o.model)
                    throw std::invalid_argument("no model to refine with");
                w.proposals[method] = modelProposal(o.model(w.rgb), w.start);
            } else {
                w.proposals[method] = method == "contrast"  ? contrastProposal(w.rgb, w.start)
                                      : method == "texture" ? contrastProposal(w.rgb, w.start, textureOptions())
                                                            : grabCutProposal(w.rgb, w.start, grabcut);
            }
        } catch (const std::exception& err) {
            errors[i] = root + "/" + w.image + ": " + err.what();
        }
    };
    if (method == "model") {
        for (std::size_t i = 0; i < items.size(); ++i) {
            checkCancel(o);
            one(i);
        }
    } else {
        cv::parallel_for_(cv::Range(0, static_cast<int>(items.size())), [&](const cv::Range& range) {
            for (int i = range.start; i < range.end; ++i) {
                if (o.cancel && o.cancel->load())
                    return;
                one(static_cast<std::size_t>(i));
            }
        });
        checkCancel(o);
    }
    for (const std::string& e : errors)
        if (!e.empty())
            problems.push_back(e);
}

std::vector<int> boxClasses(const std::vector<RefineItem>& items) {
    std::set<int> classes;
    for (const RefineItem& w : items)
        for (const DetectionBox& b : w.start.boxes)
            classes.insert(b.classId);
    return {classes.begin(), classes.end()};
}

std::vector<std::string> classNamesOf(const Project& project) {
    std::vector<std::string> names(static_cast<std::size_t>(project.classCount()));
    for (const ClassInfo& c : project.classes())
        if (c.id >= 0 && c.id < project.classCount())
            names[static_cast<std::size_t>(c.id)] = c.name;
    return names;
}

/** The methods some class chose. */
std::set<std::string> chosenMethods(const std::vector<ClassChoice>& choices) {
    std::set<std::string> chosen;
    for (const ClassChoice& c : choices)
        chosen.insert(c.method);
    return chosen;
}

std::string originOf(const std::string& method, const std::string& runName) {
    if (method == "grabcut")
        return kGrabCutOrigin;
    if (method == "model")
        return runName.empty() ? std::string("model") : runName;
    return method;
}

} // namespace

std::vector<const ImageEntry*> refinementTargets(const Project& project, const std::map<std::string, std::string>& waiting,
                                                 const RefineSay& say) {
    std::vector<const ImageEntry*> out;
    int kept = 0;
    for (const ImageEntry& e : project.images()) {
        if (refinementSource(e).empty()) {
            ++kept;  // a person's (or an accepted) mask: never replaced
        } else if (const auto q = waiting.find(e.image); q != waiting.end()) {
            tell(say, e.image + ": skipped, a proposal (" + q->second + ") waits for review\n");
        } else {
            out.push_back(&e);
        }
    }
    tell(say, std::to_string(out.size()) + " coarse image(s) to refine; " + std::to_string(kept) +
                  " image(s) not coarse (unlabelled, refined or reviewed) left as they are\n");
    return out;
}

std::vector<RefineItem> loadRefineItems(const Project& project, const std::vector<const ImageEntry*>& targets,
                                        const std::string& truthDir, std::vector<std::string>& problems,
                                        const RefineSay& say) {
    std::map<std::string, fs::path> truth;
    MaskEncoding truthEncoding = MaskEncoding::Index;
    if (!truthDir.empty()) {
        truth = masksByStem(truthDir);
        std::string summary;
        truthEncoding = folderEncoding(truth, &summary);
        tell(say, truthDir + ": " + std::to_string(truth.size()) + " true mask(s); " + summary + "\n");
    }
    std::vector<RefineItem> items;
    for (const ImageEntry* e : targets) {
        RefineItem w;
        w.target = true;
        if (!loadItem(project, *e, refinementSource(*e), w, problems, say))
            continue;
        const auto t = truth.find(fs::path(e->image).stem().string());
        if (t != truth.end())
            attachTruth(project, w, t->second.string(), truthEncoding, problems, say);
        items.push_back(std::move(w));
    }
    for (const ImageEntry& e : project.images()) {
        if (e.status != ImageStatus::Reviewed || e.mask.empty() || e.coarse.empty())
            continue;
        RefineItem w;
        if (!loadItem(project, e, e.coarse, w, problems, say))
            continue;
        attachTruth(project, w, project.absolute(e.mask), project.maskEncoding(), problems, say);
        items.push_back(std::move(w));
    }
    return items;
}

std::vector<std::string> refinementMethods(const std::string& method, bool withModel) {
    if (method != kAutoMethod)
        return {method};
    std::vector<std::string> m{"grabcut", kClassifierMethod, "contrast", "texture", "vote", "union", kLearnedMethod};
    if (withModel)
        m.push_back("model");
    return m;
}

bool hasTrustedMask(const std::vector<RefineItem>& items) {
    return std::any_of(items.begin(), items.end(), [](const RefineItem& w) { return !w.truth.empty(); });
}

void computeRefinement(const std::string& method, std::vector<RefineItem>& items, const RefinePassOptions& o,
                       std::vector<std::string>& problems) {
    checkCancel(o);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string& root = o.projectName;
    if (method == kClassifierMethod)
        computeClassifier(items, o, problems, root);
    else if (method == kLearnedMethod)
        computeLearned(items, o, problems, root);
    else if (const auto combo = combinations().find(method); combo != combinations().end())
        computeCombination(method, combo->second, items, o, problems);
    else
        computePerImage(method, items, o, problems, root);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::ostringstream line;
    line << method << ": " << items.size() << " image(s) in " << std::round(s * 10) / 10 << " s\n";
    tell(o.say, line.str());
}

void splitEvidence(std::vector<RefineItem>& items, double chooseShare) {
    const bool reviewed =
        std::any_of(items.begin(), items.end(), [](const RefineItem& w) { return !w.target && !w.truth.empty(); });
    std::vector<std::size_t> index;
    std::vector<std::string> names;
    std::vector<int> strata;
    for (std::size_t i = 0; i < items.size(); ++i) {
        RefineItem& w = items[i];
        w.choose = false;
        if (w.truth.empty())
            continue;
        if (!w.target) {
            w.choose = true;
        } else if (!reviewed) {
            index.push_back(i);
            names.push_back(w.image);
            strata.push_back(w.start.boxes.empty() ? 0 : w.start.boxes.front().classId);
        }
    }
    const std::vector<bool> choose = choosingShare(names, strata, chooseShare);
    for (std::size_t j = 0; j < index.size(); ++j)
        items[index[j]].choose = choose[j];
}

RefinementReport chooseRefinements(const Project& project, const std::vector<RefineItem>& items,
                                   const std::vector<std::string>& methods, const RefinePassOptions& o) {
    RefinementReport r;
    r.methods = methods;
    r.classes = boxClasses(items);
    r.classNames = classNamesOf(project);
    r.choosing = RefinementScorer(project.classCount(), project.ignoreIndex());
    r.heldOut = RefinementScorer(project.classCount(), project.ignoreIndex());
    for (const RefineItem& w : items) {
        if (w.truth.empty() || !w.choose)
            continue;
        ++r.evidence;
        r.reviewed += w.target ? 0 : 1;
        r.choosing.add(kBoxesMethod, w.truth, w.start.coarse, w.image);
        for (const auto& [m, p] : w.proposals)
            r.choosing.add(m, w.truth, p.candidate, w.image);
    }
    if (r.evidence == 0) {
        tell(o.say, "no trusted masks (no reviewed image that kept its boxes, no --truth): proposals not scored\n");
        for (int c : r.classes)
            r.choices.push_back({c, methods.front(), NAN, NAN, "not scored"});
        return r;
    }
    std::vector<std::string> columns{kBoxesMethod};
    columns.insert(columns.end(), methods.begin(), methods.end());
    tell(o.say, "choosing by " + std::to_string(r.evidence) + " trusted mask(s) (" +
                    (r.reviewed ? std::to_string(r.reviewed) + " reviewed image(s)"
                                : (o.chooseShare >= 1.0
                                       ? std::string("every --truth mask: no image held out, the scores are an upper bound")
                                       : "a share of " + std::to_string(o.chooseShare).substr(0, 4) +
                                             " of the --truth masks, by class")) +
                    "); IoU per class, < marks a method below the boxes:\n" +
                    scoreTable(r.choosing, r.classes, columns, r.classNames));
    if (o.method == kAutoMethod) {
        r.choices = chooseMethods(r.choosing, r.classes, methods);
        return r;
    }
    const std::vector<int> worse = classesWorseThanBoxes(r.choosing, methods.front(), r.classes);
    for (int c : r.classes) {
        const bool flagged = std::find(worse.begin(), worse.end(), c) != worse.end();
        r.choices.push_back({c, flagged ? std::string(kBoxesMethod) : methods.front(), r.choosing.iou(methods.front(), c),
                             r.choosing.iou(kBoxesMethod, c), flagged ? "below the boxes" : "not below the boxes"});
    }
    return r;
}

std::string choiceLines(const RefinementReport& report, const std::string& method) {
    std::ostringstream out;
    for (const ClassChoice& c : report.choices) {
        const std::string name =
            c.classId < static_cast<int>(report.classNames.size()) ? report.classNames[static_cast<std::size_t>(c.classId)] : "";
        if (method == kAutoMethod)
            out << "auto: " << name << " (class " << c.classId << ") takes " << c.method << " (" << c.why << ")\n";
        else if (c.method == kBoxesMethod)
            out << "FLAGGED: " << method << " scores below the boxes for " << name << " (class " << c.classId
                << "): " << std::fixed << std::setprecision(3) << c.iou << " < " << c.boxIoU << std::defaultfloat
                << "; its box fills are kept\n";
    }
    return out.str();
}

void decideTidy(const Project& project, const std::vector<RefineItem>& items, RefinementReport& r,
                const RefinePassOptions& o) {
    r.tidy = false;
    r.tidyClasses.clear();
    r.untidyMean = r.tidyMean = NAN;
    r.tidyBelow.clear();
    if (o.method != kAutoMethod || r.evidence == 0)
        return;
    std::set<int> classes;  // r.tidyClasses only once tidying is applied: every early return leaves it empty
    for (const ClassChoice& c : r.choices)
        if (c.method != kBoxesMethod)
            classes.insert(c.classId);
    if (classes.empty())
        return;
    RefinementScorer s(project.classCount(), project.ignoreIndex());
    for (const RefineItem& w : items) {
        if (w.truth.empty() || !w.choose)
            continue;
        std::map<std::string, cv::Mat> candidates;
        for (const auto& [m, p] : w.proposals)
            candidates[m] = p.candidate;
        const cv::Mat chosen = composeByClass(w.start.coarse, candidates, r.choices);
        s.add("chosen", w.truth, chosen, w.image);
        s.add("tidied", w.truth, tidyByBox(chosen, w.start, classes), w.image);
    }
    double before = 0, after = 0;
    int n = 0;
    std::vector<std::string> below;
    std::ostringstream per;
    per << std::fixed << std::setprecision(3);
    for (int c : r.classes) {
        const double x = s.iou("chosen", c), y = s.iou("tidied", c);
        if (std::isnan(x) || std::isnan(y))
            continue;
        before += x;
        after += y;
        ++n;
        if (!classes.count(c))
            continue;
        const std::string name = c < static_cast<int>(r.classNames.size()) ? r.classNames[static_cast<std::size_t>(c)]
                                                                           : std::to_string(c);
        per << (per.tellp() > 0 ? ", " : "") << name << " " << x << " -> " << y;
        if (y < r.choosing.iou(kBoxesMethod, c))
            below.push_back(name);
    }
    if (n == 0)
        return;
    r.untidyMean = before / n;
    r.tidyMean = after / n;
    r.tidy = r.tidyMean > r.untidyMean && below.empty();
    if (!below.empty())
        r.tidyBelow = below.front();
    std::ostringstream line;
    line << std::fixed << std::setprecision(3) << "tidy (each box's object as one piece: closed, holes filled, parts under "
         << "a tenth of the largest dropped): mean IoU " << r.untidyMean << " -> " << r.tidyMean << " on the "
         << r.evidence << " trusted mask(s) that chose (" << per.str() << "): ";
    if (r.tidy)
        line << "applied\n";
    else if (!below.empty())
        line << "not applied (below the boxes for " << r.tidyBelow << ")\n";
    else
        line << "not applied (no better)\n";
    tell(o.say, line.str());
    if (r.tidy)
        r.tidyClasses = classes;
}

void composeFinals(std::vector<RefineItem>& items, const std::vector<ClassChoice>& choices,
                   const std::set<int>& tidyClasses) {
    const std::set<std::string> chosen = chosenMethods(choices);
    for (RefineItem& w : items) {
        if (!w.target)
            continue;
        std::map<std::string, cv::Mat> candidates;
        for (const auto& [m, p] : w.proposals)
            candidates[m] = p.candidate;
        RefinementProposal final;
        final.candidate = composeByClass(w.start.coarse, candidates, choices);
        if (!tidyClasses.empty())
            final.candidate = tidyByBox(final.candidate, w.start, tidyClasses);
        final.changedPixels = cv::countNonZero(final.candidate != w.start.coarse);
        if (chosen.size() == 1 && w.proposals.count(*chosen.begin()))
            final.emptyBoxes = w.proposals.at(*chosen.begin()).emptyBoxes;
        w.proposals["final"] = final;
    }
}

void scoreHeldOut(const Project& project, const std::vector<RefineItem>& items, RefinementReport& r,
                  const RefinePassOptions& o) {
    r.heldOut = RefinementScorer(project.classCount(), project.ignoreIndex());
    r.heldOutImages = 0;
    for (const RefineItem& w : items) {
        if (w.truth.empty() || w.choose || !w.target)
            continue;
        ++r.heldOutImages;
        r.heldOut.add(kBoxesMethod, w.truth, w.start.coarse, w.image);
        for (const auto& [m, p] : w.proposals)
            r.heldOut.add(m == "final" ? o.method : m, w.truth, p.candidate, w.image);
    }
    if (r.heldOutImages == 0)
        return;
    std::vector<std::string> columns{kBoxesMethod};
    columns.insert(columns.end(), r.methods.begin(), r.methods.end());
    if (o.method == kAutoMethod)
        columns.push_back(kAutoMethod);
    tell(o.say, "held out: " + std::to_string(r.heldOutImages) + " trusted mask(s) that did not choose (" +
                    (o.truthName.empty() ? std::string("--truth") : o.truthName) + "); IoU per class" +
                    (o.method == kAutoMethod ? ", auto = the labels as chosen" : "") + ":\n" +
                    scoreTable(r.heldOut, r.classes, columns, r.classNames));
}

RefinementReport runRefinementPass(const Project& project, std::vector<RefineItem>& items, const RefinePassOptions& o,
                                   std::vector<std::string>& problems) {
    const std::vector<std::string> methods = refinementMethods(o.method, static_cast<bool>(o.model));
    for (const std::string& m : methods)
        computeRefinement(m, items, o, problems);
    if (!problems.empty()) {
        RefinementReport r;
        r.methods = methods;
        return r;
    }
    checkCancel(o);
    splitEvidence(items, o.chooseShare);
    RefinementReport r = chooseRefinements(project, items, methods, o);
    tell(o.say, choiceLines(r, o.method));
    decideTidy(project, items, r, o);
    composeFinals(items, r.choices, r.tidyClasses);
    scoreHeldOut(project, items, r, o);
    return r;
}

std::vector<std::size_t> changedTargets(const std::vector<RefineItem>& items, const std::vector<ClassChoice>& choices,
                                        int& unchanged) {
    std::vector<std::size_t> out;
    unchanged = 0;
    const bool someKeep = chosenMethods(choices).count(kBoxesMethod) > 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const RefineItem& w = items[i];
        if (!w.target)
            continue;
        if (w.proposals.at("final").changedPixels == 0 && someKeep)
            ++unchanged;
        else
            out.push_back(i);
    }
    return out;
}

std::string refinementOrigin(const std::string& method, const std::vector<ClassChoice>& choices,
                             const std::string& runName) {
    if (method != kAutoMethod)
        return originOf(method, runName);
    std::set<std::string> used;
    for (const ClassChoice& c : choices)
        if (c.method != kBoxesMethod)
            used.insert(originOf(c.method, runName));
    std::string out = kAutoMethod;
    for (const std::string& u : used)
        out += (out == kAutoMethod ? ": " : " + ") + u;
    return out;
}

} // namespace mf
