// maskforge-cli refine: GrabCut, pixel-classifier, contrast, texture, their vote or union, or model refinement of a project's coarse images,
// headless, through the same core as the GUI (review/refinement.h) and into the same review queue.
// Every method is scored per class against the trusted masks there are (reviewed images that kept their
// boxes, a --truth folder); a method is never applied to a class where it scores below the boxes, and
// --method auto picks per class by those scores.
#include "commands.h"

#include "io/errors.h"
#include "io/imageio.h"
#include "io/maskfolder.h"
#include "project/project.h"
#include "review/classifierrefinement.h"
#include "review/contrastrefinement.h"
#include "review/refinement.h"
#include "review/refinementscore.h"
#include "review/reviewqueue.h"
#include "infer/predictor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>

namespace fs = std::filesystem;

namespace mf::cli {
namespace {

constexpr const char* kClassifierOrigin = "classifier";

struct RefineArgs {
    std::string project, method = "auto", run, device = "auto", truth;
    bool accept = false, dryRun = false;
    double chooseShare = 0.1;
    int iterations = RefineOptions{}.iterations;
};

/** One image refinement works on: a coarse image to refine (target), or a reviewed image whose mask
 *  scores the methods (evidence only), or both (a coarse image with a --truth mask). */
struct Work {
    std::string image;  ///< project-relative
    std::string boxFile;  ///< what its boxes came from, named in messages
    cv::Mat rgb, truth;
    CoarseStart start;
    bool target = false;
    bool choose = false;  ///< its trusted mask chooses (else, when it has one, it only scores the result: held out)
    std::map<std::string, RefinementProposal> proposals;  ///< by method
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

/** Reads a work item's image and start, checks its boxes; problems (file: what) go to `problems`. */
bool loadWork(const Project& project, const ImageEntry& e, const std::string& coarsePath, Work& w,
              std::vector<std::string>& problems) {
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
            std::cout << n << "\n";
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
void attachTruth(const Project& project, Work& w, const std::string& path, MaskEncoding encoding,
                 std::vector<std::string>& problems) {
    try {
        cv::Mat t = readMask(path, encoding);
        if (t.size() != w.rgb.size())
            throw FileError(path, "true mask size differs from its image's");
        const cv::Mat foreign = (t >= project.classCount()) & (t != project.ignoreIndex());
        if (const int n = cv::countNonZero(foreign)) {
            std::cout << path << ": " << n << " pixel(s) of classes the project does not have, left out of the scores\n";
            t.setTo(project.ignoreIndex(), foreign);
        }
        w.truth = t;
    } catch (const FileError& err) {
        problems.push_back(err.what());
    }
}

/** Targets (with their --truth mask where the folder has one) and the reviewed images that kept their
 *  coarse mask (evidence). */
std::vector<Work> loadWorks(const Project& project, const std::vector<const ImageEntry*>& targets, const RefineArgs& a,
                            std::vector<std::string>& problems) {
    std::map<std::string, fs::path> truth;
    MaskEncoding truthEncoding = MaskEncoding::Index;
    if (!a.truth.empty()) {
        truth = masksByStem(a.truth);
        std::string summary;
        truthEncoding = folderEncoding(truth, &summary);
        std::cout << a.truth << ": " << truth.size() << " true mask(s); " << summary << "\n";
    }
    std::vector<Work> works;
    for (const ImageEntry* e : targets) {
        Work w;
        w.target = true;
        if (!loadWork(project, *e, refinementSource(*e), w, problems))
            continue;
        const auto t = truth.find(fs::path(e->image).stem().string());
        if (t != truth.end())
            attachTruth(project, w, t->second.string(), truthEncoding, problems);
        works.push_back(std::move(w));
    }
    for (const ImageEntry& e : project.images()) {
        if (e.status != ImageStatus::Reviewed || e.mask.empty() || e.coarse.empty())
            continue;
        Work w;
        if (!loadWork(project, e, e.coarse, w, problems))
            continue;
        attachTruth(project, w, project.absolute(e.mask), project.maskEncoding(), problems);
        works.push_back(std::move(w));
    }
    return works;
}

/** The combinations: per pixel, a class is kept where at least `votes` of `members` keep it. */
struct Combination {
    std::vector<std::string> members;
    int votes;
};
const std::map<std::string, Combination>& combinations() {
    static const std::map<std::string, Combination> c{
        {"vote", {{"grabcut", kClassifierOrigin, "contrast"}, 2}},
        {"union", {{"grabcut", kClassifierOrigin, "contrast", "texture"}, 1}},};
    return c;
}

ContrastOptions textureOptions() {
    ContrastOptions o;
    o.brightness = false;
    o.textureSigma = 6.0;
    return o;
}

void computeMethod(const std::string& method, std::vector<Work>& works, const RefineArgs& a, Predictor* predictor,
                   std::vector<std::string>& problems) {
    const auto t0 = std::chrono::steady_clock::now();
    if (method == kClassifierOrigin) {
        std::vector<cv::Mat> images;
        std::vector<CoarseStart> starts;
        for (const Work& w : works)
            images.push_back(w.rgb), starts.push_back(w.start);
        try {
            std::vector<RefinementProposal> out = classifierProposals(images, starts);
            for (std::size_t i = 0; i < works.size(); ++i)
                works[i].proposals[method] = std::move(out[i]);
        } catch (const std::exception& err) {
            problems.push_back(a.project + ": the classifier could not learn from the boxes: " + err.what());
        }
    } else if (const auto combo = combinations().find(method); combo != combinations().end()) {
        for (const std::string& m : combo->second.members)
            if (std::any_of(works.begin(), works.end(), [&](const Work& w) { return !w.proposals.count(m); }))
                computeMethod(m, works, a, predictor, problems);
        for (Work& w : works) {
            std::vector<cv::Mat> ps;
            for (const std::string& m : combo->second.members)
                if (w.proposals.count(m))
                    ps.push_back(w.proposals.at(m).candidate);
            RefinementProposal p;
            p.candidate = voteLabels(w.start.coarse, ps, combo->second.votes);
            p.changedPixels = cv::countNonZero(p.candidate != w.start.coarse);
            w.proposals[method] = p;
        }
    } else if (method == "model") {
        for (Work& w : works) {
            try {
                w.proposals[method] = modelProposal(predictor->predict(w.rgb).labels, w.start);
            } catch (const std::exception& err) {
                problems.push_back(a.project + "/" + w.image + ": " + err.what());
            }
        }
    } else {
        // GrabCut, contrast and texture refine one image at a time: the images in parallel (OpenCV's pool),
        // each worker writing only its own Work.
        RefineOptions options;
        options.iterations = a.iterations;
        std::vector<std::string> errors(works.size());
        cv::parallel_for_(cv::Range(0, static_cast<int>(works.size())), [&](const cv::Range& range) {
            for (int i = range.start; i < range.end; ++i) {
                Work& w = works[static_cast<std::size_t>(i)];
                try {
                    RefinementProposal p = method == "contrast" ? contrastProposal(w.rgb, w.start)
                                           : method == "texture" ? contrastProposal(w.rgb, w.start, textureOptions())
                                                                 : grabCutProposal(w.rgb, w.start, options);
                    w.proposals[method] = std::move(p);
                } catch (const std::exception& err) {
                    errors[static_cast<std::size_t>(i)] = a.project + "/" + w.image + ": " + err.what();
                }
            }
        });
        for (const std::string& e : errors)
            if (!e.empty())
                problems.push_back(e);
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << method << ": " << works.size() << " image(s) in " << std::round(s * 10) / 10 << " s\n";
}

std::vector<int> boxClasses(const std::vector<Work>& works) {
    std::set<int> classes;
    for (const Work& w : works)
        for (const DetectionBox& b : w.start.boxes)
            classes.insert(b.classId);
    return {classes.begin(), classes.end()};
}

std::vector<std::string> classNames(const Project& project) {
    std::vector<std::string> names(static_cast<std::size_t>(project.classCount()));
    for (const ClassInfo& c : project.classes())
        if (c.id >= 0 && c.id < project.classCount())
            names[static_cast<std::size_t>(c.id)] = c.name;
    return names;
}

/** Which trusted masks choose and which are held out to score the result: the reviewed images choose when
 *  there are any (the project's own evidence), and --truth masks then only score; without a reviewed image
 *  a stratified share (--choose-share, by each image's first box class) of the --truth images chooses and
 *  the rest are held out. Choosing and scoring on the same masks would report an upper bound. */
void splitEvidence(std::vector<Work>& works, const RefineArgs& a) {
    const bool reviewed = std::any_of(works.begin(), works.end(), [](const Work& w) { return !w.target && !w.truth.empty(); });
    std::vector<std::size_t> index;
    std::vector<std::string> names;
    std::vector<int> strata;
    for (std::size_t i = 0; i < works.size(); ++i) {
        Work& w = works[i];
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
    const std::vector<bool> choose = choosingShare(names, strata, a.chooseShare);
    for (std::size_t j = 0; j < index.size(); ++j)
        works[index[j]].choose = choose[j];
}

/** Scores every method on the choosing evidence and decides, per class, whose proposal each class takes. */
std::vector<ClassChoice> decide(const Project& project, const std::vector<Work>& works, const std::vector<std::string>& methods,
                                const RefineArgs& a) {
    RefinementScorer scorer(project.classCount(), project.ignoreIndex());
    int evidence = 0, reviewed = 0;
    for (const Work& w : works) {
        if (w.truth.empty() || !w.choose)
            continue;
        ++evidence;
        reviewed += w.target ? 0 : 1;
        scorer.add(kBoxesMethod, w.truth, w.start.coarse, w.image);
        for (const auto& [m, p] : w.proposals)
            scorer.add(m, w.truth, p.candidate, w.image);
    }
    const std::vector<int> classes = boxClasses(works);
    std::vector<ClassChoice> choices;
    if (evidence == 0) {
        std::cout << "no trusted masks (no reviewed image that kept its boxes, no --truth): proposals not scored\n";
        for (int c : classes)
            choices.push_back({c, methods.front(), NAN, NAN, "not scored"});
        return choices;
    }
    std::vector<std::string> columns{kBoxesMethod};
    columns.insert(columns.end(), methods.begin(), methods.end());
    std::cout << "choosing by " << evidence << " trusted mask(s) ("
              << (reviewed ? std::to_string(reviewed) + " reviewed image(s)"
                           : (a.chooseShare >= 1.0 ? std::string("every --truth mask: no image held out, the scores are an upper bound")
                                                   : "a share of " + std::to_string(a.chooseShare).substr(0, 4) +
                                                         " of the --truth masks, by class"))
              << "); IoU per class, < marks a method below the boxes:\n"
              << scoreTable(scorer, classes, columns, classNames(project));
    if (a.method == "auto")
        return chooseMethods(scorer, classes, methods);
    const std::vector<int> worse = classesWorseThanBoxes(scorer, methods.front(), classes);
    for (int c : classes) {
        const bool flagged = std::find(worse.begin(), worse.end(), c) != worse.end();
        choices.push_back({c, flagged ? std::string(kBoxesMethod) : methods.front(), scorer.iou(methods.front(), c),
                           scorer.iou(kBoxesMethod, c), flagged ? "below the boxes" : "not below the boxes"});
    }
    return choices;
}

/** The methods some class chose. */
std::set<std::string> chosenMethods(const std::vector<ClassChoice>& choices) {
    std::set<std::string> chosen;
    for (const ClassChoice& c : choices)
        chosen.insert(c.method);
    return chosen;
}

/** Each target's labels composed per class from the choices ("final"). */
void composeFinals(std::vector<Work>& works, const std::vector<ClassChoice>& choices) {
    const std::set<std::string> chosen = chosenMethods(choices);
    for (Work& w : works) {
        if (!w.target)
            continue;
        std::map<std::string, cv::Mat> candidates;
        for (const auto& [m, p] : w.proposals)
            candidates[m] = p.candidate;
        RefinementProposal final;
        final.candidate = composeByClass(w.start.coarse, candidates, choices);
        final.changedPixels = cv::countNonZero(final.candidate != w.start.coarse);
        if (chosen.size() == 1 && w.proposals.count(*chosen.begin()))
            final.emptyBoxes = w.proposals.at(*chosen.begin()).emptyBoxes;
        w.proposals["final"] = final;
    }
}

/** The held-out score: boxes, every method and what was applied ("final"), on the trusted masks that did
 *  not choose. The number to trust: the choice never saw these masks. */
void reportHeldOut(const Project& project, const std::vector<Work>& works, const std::vector<std::string>& methods,
                   const RefineArgs& a) {
    RefinementScorer scorer(project.classCount(), project.ignoreIndex());
    int n = 0;
    for (const Work& w : works) {
        if (w.truth.empty() || w.choose || !w.target)
            continue;
        ++n;
        scorer.add(kBoxesMethod, w.truth, w.start.coarse, w.image);
        for (const auto& [m, p] : w.proposals)
            scorer.add(m == "final" ? a.method : m, w.truth, p.candidate, w.image);
    }
    if (n == 0)
        return;
    std::vector<std::string> columns{kBoxesMethod};
    columns.insert(columns.end(), methods.begin(), methods.end());
    if (a.method == "auto")
        columns.push_back("auto");
    std::cout << "held out: " << n << " trusted mask(s) that did not choose (" << (a.truth.empty() ? "--truth" : a.truth)
              << "); IoU per class" << (a.method == "auto" ? ", auto = the labels as chosen" : "") << ":\n"
              << scoreTable(scorer, boxClasses(works), columns, classNames(project));
}

void printChoices(const Project& project, const std::vector<ClassChoice>& choices, const std::string& method) {
    const std::vector<std::string> names = classNames(project);
    for (const ClassChoice& c : choices) {
        const std::string name = c.classId < static_cast<int>(names.size()) ? names[static_cast<std::size_t>(c.classId)] : "";
        if (method == "auto")
            std::cout << "auto: " << name << " (class " << c.classId << ") takes " << c.method << " (" << c.why << ")\n";
        else if (c.method == kBoxesMethod)
            std::cout << "FLAGGED: " << method << " scores below the boxes for " << name << " (class " << c.classId
                      << "): " << std::fixed << std::setprecision(3) << c.iou << " < " << c.boxIoU
                      << std::defaultfloat << "; its box fills are kept\n";
    }
}

/** Writes the candidates and review.json; on any failure removes what it wrote and rethrows. */
void queueProposals(ReviewQueue& queue, const std::string& origin, const std::vector<Work>& works) {
    std::vector<std::string> written;
    const ReviewQueue before = queue;
    try {
        for (const Work& w : works) {
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

void acceptAll(Project& project, ReviewQueue& queue, const std::vector<Work>& works) {
    int accepted = 0;
    for (const Work& w : works) {
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

/** The methods to compute: the one named, or auto's candidates. */
std::vector<std::string> methodsOf(const RefineArgs& a) {
    if (a.method != "auto")
        return {a.method};
    std::vector<std::string> m{"grabcut", kClassifierOrigin, "contrast", "texture", "vote", "union"};
    if (!a.run.empty())
        m.push_back("model");
    return m;
}

void dryRun(const Project& project, const std::vector<Work>& works, const std::vector<std::string>& methods) {
    std::size_t boxes = 0, targets = 0, evidence = 0;
    for (const Work& w : works) {
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
    std::cout << "methods: " << list << "; " << evidence << " trusted mask(s) to score them by\n"
              << boxes << " box(es) in " << targets << " image(s); dry run: nothing written\n";
}

[[noreturn]] void refuseAuto(const Project& project) {
    std::cerr << (fs::path(project.root()) / Project::kFileName).string()
              << ": --method auto chooses per class by trusted masks, and there are none: no reviewed image that kept "
                 "its boxes (coarse/) and no --truth DIR. Review a few refined images, pass --truth DIR, or name the "
                 "method (--method grabcut | classifier | model); nothing written\n";
    throw CommandExit{1};
}

/** The origin a queued proposal names: GrabCut, the run, the classifier, or auto's per-class choice. */
std::string originOf(const RefineArgs& a, const std::string& method) {
    if (method == "grabcut")
        return kGrabCutOrigin;
    if (method == "model") {
        const std::string run = fs::path(a.run).filename().string();
        return run.empty() ? std::string("model") : run;
    }
    return method;
}

std::string originOf(const RefineArgs& a, const std::vector<ClassChoice>& choices) {
    if (a.method != "auto")
        return originOf(a, a.method);
    std::set<std::string> used;
    for (const ClassChoice& c : choices)
        if (c.method != kBoxesMethod)
            used.insert(originOf(a, c.method));
    std::string out = "auto";
    for (const std::string& u : used)
        out += (out == "auto" ? ": " : " + ") + u;
    return out;
}

/** Each target's final proposal composed per class; unchanged ones (every class kept its boxes) are not
 *  queued. Queues the rest, accepts them when asked. */
void composeAndQueue(Project& project, ReviewQueue& queue, std::vector<Work>& works,
                     const std::vector<ClassChoice>& choices, const RefineArgs& a) {
    std::vector<Work> targets;
    int changed = 0, empty = 0, unchanged = 0;
    const std::set<std::string> chosen = chosenMethods(choices);
    for (Work& w : works) {
        if (!w.target)
            continue;
        const RefinementProposal& final = w.proposals.at("final");
        if (final.changedPixels == 0 && chosen.count(kBoxesMethod)) {
            ++unchanged;
            continue;
        }
        changed += final.changedPixels, empty += final.emptyBoxes;
        targets.push_back(std::move(w));
    }
    if (unchanged)
        std::cout << unchanged << " image(s) keep their boxes (no class there changed): nothing queued for them\n";
    if (targets.empty()) {
        std::cout << "nothing to queue: the boxes stay as they are\n";
        return;
    }
    const std::string origin = originOf(a, choices);
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
}

void runRefine(const RefineArgs& a) {
    if (a.method == "model" && a.run.empty())
        throw std::invalid_argument("--method model needs --run (a run folder or checkpoint)");
    Project project = Project::load(a.project);
    ReviewQueue queue = ReviewQueue::load(project.root());
    std::unique_ptr<Predictor> predictor;  // opened first: a dry run checks the run too
    if (!a.run.empty()) {
        predictor = Predictor::open(a.run, a.device);
        std::cout << predictor->description() << "\n";
    }
    std::vector<std::string> problems;
    std::vector<Work> works = loadWorks(project, selectImages(project, queue), a, problems);
    const bool anyTruth = std::any_of(works.begin(), works.end(), [](const Work& w) { return !w.truth.empty(); });
    const std::vector<std::string> methods = methodsOf(a);
    if (a.dryRun) {  // says what would happen, problems included, and writes nothing
        dryRun(project, works, methods);
        for (const std::string& p : problems)
            std::cout << "the refinement would stop here: " << p << "\n";
        if (a.method == "auto" && !anyTruth)
            std::cout << "--method auto would refuse: no trusted masks (no reviewed image that kept its boxes, no --truth)\n";
        return;
    }
    if (!problems.empty())
        failWith(problems, std::to_string(problems.size()) + " problem(s) before refining");
    if (a.method == "auto" && !anyTruth)
        refuseAuto(project);
    for (const std::string& m : methods)
        computeMethod(m, works, a, predictor.get(), problems);
    if (!problems.empty())
        failWith(problems, std::to_string(problems.size()) + " image(s) could not be refined");
    splitEvidence(works, a);
    const std::vector<ClassChoice> choices = decide(project, works, methods, a);
    printChoices(project, choices, a.method);
    composeFinals(works, choices);
    reportHeldOut(project, works, methods, a);
    composeAndQueue(project, queue, works, choices, a);
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
                    "auto (per class, the best-scoring on the trusted masks; refuses without any) | grabcut | "
                    "classifier (filter bank + random forest learnt from all boxes) | contrast (pixels darker or "
                    "brighter than the surface around the box, tightness prior) | texture (the same for the texture's "
                    "strength) | vote (pixels most of grabcut, classifier, contrast keep) | union (pixels any of "
                    "grabcut, classifier, contrast, texture keeps) | model")
        ->check(CLI::IsMember({"auto", "grabcut", "classifier", "contrast", "texture", "vote", "union", "model"}))
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
    cmd->add_flag("--accept", a->accept, "accept every new proposal: write it as the image's mask (status refined)");
    cmd->add_flag("--dry-run", a->dryRun, "say which images would be refined, with which methods, scored by what; write nothing");
    cmd->callback([a] { runRefine(*a); });
}

} // namespace mf::cli
