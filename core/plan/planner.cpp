#include "plan/planner.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>

namespace mf {
namespace {

// The rules' constants, each explained where it is used.
constexpr double kMinStroke = 3.0;        // px a structure must keep after resizing
constexpr double kMinRegionArea = 16.0;   // px a typical region must keep after resizing
constexpr double kThinStroke = 12.0;      // px: a class this thin at native scale is never resized (see vanishing)
constexpr int kTinySide = 256;            // images this small are trained whole at their own size
constexpr int kMinEpochEquivalents = 30;  // presentations ≥ 30 × images (horses: 40 epochs at 192 px beat 29, 0.8985
                                          // vs 0.892, more than 192 px beat 128, 0.892 vs 0.890) ...
constexpr int kMinPresentations = 6000;   // ... and ≥ 6000 (horses: 25 epochs × 262 reach the reference IoU)
constexpr int kMinSamplesPerEpoch = 200;  // an epoch (one validation) per at least this many samples
constexpr double kUsableBudget = 0.95;    // the rest: planning (~10 s), start-up, a slower last epoch
constexpr double kInferenceShare = 1.0 / 3.0;  // a forward pass costs about a third of a training step
constexpr int kStepSide = 32;             // sides are multiples of 32 (a depth-4 U-Net needs 16)
constexpr int kMinDeepestSide = 4;        // poolings stop before the deepest features are smaller (nnU-Net)
constexpr int kMaxDepth = 4;              // the speed probe's depth; 5 scored lower on horses at equal time

std::string fmt(const char* format, double a, double b = 0, double c = 0, double d = 0) {
    char buf[512];
    std::snprintf(buf, sizeof buf, format, a, b, c, d);
    return buf;
}

int roundDown(int v, int step) { return std::max(step, v / step * step); }
int roundUp(int v, int step) { return std::max(step, (v + step - 1) / step * step); }

/** Time of one epoch at `side` and width `w`, and how many epochs the budget holds. */
struct Schedule {
    int side = 0, width = 16, batch = 8, repeats = 1, epochs = 0;
    double epochSeconds = 0, trainEpochSeconds = 0, valSeconds = 0;
    long long presentations = 0;
};

class Planner {
public:
    Planner(const DatasetFingerprint& f, const PlanRequest& r, const MachineSpeed& s, int valImages, double valMp)
        : m_f(f), m_r(r), m_s(s), m_valImages(valImages), m_valMp(valMp) {}

    TrainingPlan run();

private:
    double secondsPerMp(int width) const {
        return width >= 32 ? m_s.trainSecondsPerMegapixel32 : m_s.trainSecondsPerMegapixel16;
    }
    long long target() const { return std::max<long long>(kMinPresentations, 1LL * kMinEpochEquivalents * m_f.images); }
    Schedule schedule(int side, int width, bool crop) const;
    Schedule choose(const std::vector<int>& sides, bool crop, std::string& why) const;
    std::vector<int> sides(int lo, int hi) const;
    /** The thinnest class after scaling by f, or an empty name when every class survives. */
    std::string vanishing(double f, std::string& detail) const;
    void reason(const std::string& key, const std::string& text) { m_plan.reasons.emplace_back(key, text); }
    void chooseInput();
    /** Native-resolution crops (the resize would lose `detail`): the crop side, foreground share and
     *  prediction tiles; returns why the width was chosen. */
    std::string chooseCrops(const std::string& detail);
    /** Copies the chosen schedule into the config with its reasons (size, batch, width, depth, epochs). */
    void applySchedule(const std::string& widthWhy);
    void chooseLoss();
    void chooseAugment();
    void chooseOptimisation();
    void chooseSupervision();

    const DatasetFingerprint& m_f;
    const PlanRequest& m_r;
    const MachineSpeed& m_s;
    int m_valImages;
    double m_valMp;
    TrainingPlan m_plan;
    Schedule m_sched;
};

Schedule Planner::schedule(int side, int width, bool crop) const {
    Schedule s;
    s.side = side;
    s.width = width;
    s.batch = side >= 384 ? 4 : 8;
    s.repeats = std::max(1, (kMinSamplesPerEpoch + m_f.images - 1) / m_f.images);
    const double mp = double(side) * side / 1e6;
    s.trainEpochSeconds = double(m_f.images) * s.repeats * mp * secondsPerMp(width);
    // Validation predicts at native resolution: resized images cost one network input each, tiles
    // (twice the crop, half a crop of overlap) cover the image about 1.8 times.
    const double valMp = crop ? m_valMp * 1.8 : m_valImages * mp;
    s.valSeconds = 2 * valMp * secondsPerMp(width) * kInferenceShare;  // two passes: predict_flip (chooseAugment)
    s.epochSeconds = s.trainEpochSeconds + s.valSeconds;
    s.epochs = std::max(1, static_cast<int>(m_r.budgetSeconds * kUsableBudget / std::max(1e-9, s.epochSeconds)));
    s.presentations = 1LL * s.epochs * m_f.images * s.repeats;
    return s;
}

std::vector<int> Planner::sides(int lo, int hi) const {
    std::vector<int> out;
    for (int s = hi; s >= lo; s -= kStepSide)
        out.push_back(s);
    if (out.empty())
        out.push_back(lo);
    return out;  // largest first
}

Schedule Planner::choose(const std::vector<int>& candidates, bool crop, std::string& why) const {
    // Resolution first (detail is what the budget buys), then width 32 if it still fits.
    for (int side : candidates) {
        Schedule s16 = schedule(side, 16, crop);
        if (s16.presentations < target())
            continue;
        Schedule s32 = schedule(side, 32, crop);
        if (s32.presentations >= target()) {
            why = "width 32 still fits the budget at this size";
            return s32;
        }
        why = "width 32 would not fit " + std::to_string(target()) + " presentations in the budget at this size";
        return s16;
    }
    why = "the budget is too small for " + std::to_string(target()) +
          " presentations even at the smallest size; training as many epochs as fit";
    return schedule(candidates.back(), 16, crop);
}

std::string Planner::vanishing(double f, std::string& detail) const {
    std::string worst;
    double worstStroke = 1e9;
    for (std::size_t c = 0; c < m_f.classes.size(); ++c) {
        const ClassFingerprint& k = m_f.classes[c];
        if (k.pixelFraction <= 0)
            continue;
        const double stroke = k.thickness * f, area = k.medianComponentArea * f * f;
        // A thin structure (membranes, vessels, cracks) is scored at native resolution, where one pixel of
        // boundary error in the resized prediction costs it 1/f pixels: such classes are kept at native
        // scale whatever the budget (ISBI's 7.5 px membranes would pass the 3 px rule at 224 px).
        const bool thinNative = f < 1.0 && k.thickness <= kThinStroke;
        if ((thinNative || stroke < kMinStroke || area < kMinRegionArea) && stroke < worstStroke) {
            worstStroke = stroke;
            worst = k.name;
            char buf[512];
            if (stroke >= kMinStroke && area >= kMinRegionArea)
                std::snprintf(buf, sizeof buf,
                              "class '%s' is %.1f px thick, a thin structure (at most %.0f px); resized by %.2f (to "
                              "%.1f px) each pixel of boundary error would cost it %.1f px at native resolution",
                              k.name.c_str(), k.thickness, kThinStroke, f, stroke, 1.0 / f);
            else
                std::snprintf(buf, sizeof buf,
                              "class '%s' is %.1f px thick with regions of median %.0f px; resized by %.2f it would be "
                              "%.1f px thick (regions %.0f px), below %.0f px (%.0f px)",
                              k.name.c_str(), k.thickness, k.medianComponentArea, f, stroke, area, kMinStroke,
                              kMinRegionArea);
            detail = buf;
        }
    }
    return worst;
}

void Planner::chooseInput() {
    TrainConfig& c = m_plan.config;
    const int maxSide = std::max(m_f.medianWidth, m_f.medianHeight);
    std::string widthWhy;
    if (m_f.maxWidth <= kTinySide && m_f.maxHeight <= kTinySide) {
        const int side = roundUp(maxSide, kStepSide);
        m_sched = choose({side}, false, widthWhy);
        c.input = "resize";
        reason("input", fmt("whole images: every image is at most %.0f px a side (median %.0f x %.0f), so nothing is "
                            "lost by showing the network the whole image at its own scale; no crops",
                            kTinySide, m_f.medianWidth, m_f.medianHeight));
        reason("size", fmt("%.0f: the median image's longer side rounded up to a multiple of 32", side));
    } else {
        // The largest resize the budget affords, then: does every class survive that resize?
        const int hi = std::min(384, roundDown(maxSide, kStepSide));
        std::string resizeWhy;
        const Schedule resized = choose(sides(std::min(128, hi), hi), false, resizeWhy);
        const double f = std::min(double(resized.side) / m_f.medianWidth, double(resized.side) / m_f.medianHeight);
        std::string detail;
        const std::string thin = vanishing(f, detail);
        if (thin.empty()) {
            m_sched = resized;
            widthWhy = resizeWhy;
            c.input = "resize";
            reason("input", fmt("resize: at the largest size the budget affords (%.0f px, a factor %.2f of the median "
                                "%.0f x %.0f image) every class keeps strokes of at least 3 px and regions of 16 px, "
                                "and whole images give the network the most context per step",
                                resized.side, f, m_f.medianWidth, m_f.medianHeight));
            reason("size", fmt("%.0f: the largest multiple of 32 (up to the median image side, at most 384) at which "
                               "the budget still holds %.0f sample presentations",
                               resized.side, double(target())));
        } else {
            widthWhy = chooseCrops(detail);
        }
    }
    applySchedule(widthWhy);
}

void Planner::applySchedule(const std::string& widthWhy) {
    TrainConfig& c = m_plan.config;
    c.size = m_sched.side;
    c.batch = m_sched.batch;
    c.width = m_sched.width;
    c.epochRepeats = m_sched.repeats;
    c.epochs = m_sched.epochs;
    reason("batch", m_sched.batch == 8 ? "8: enough images for batch-norm statistics at this input size"
                                       : "4: large inputs; 4 keeps memory in bounds with usable batch-norm statistics");
    reason("arch", "unet: the skip connections carry full-resolution detail to the output (on the sample project "
                   "the U-Net beat the encoder-decoder by 0.46 mIoU at equal training)");
    reason("width", std::to_string(c.width) + ": " + widthWhy);
    c.depth = 1;
    while (c.depth < kMaxDepth && (c.size >> (c.depth + 1)) >= kMinDeepestSide && c.size % (1 << (c.depth + 1)) == 0)
        ++c.depth;
    const int deepest = c.size >> c.depth;
    reason("depth", fmt("%.0f: as many poolings (at most %.0f, a receptive field of about 140 px) as keep the deepest "
                        "features at least 4 px a side, as nnU-Net plans (here %.0f px); a fifth pooling scored lower "
                        "on the horses set at equal training time (0.8965 against 0.8985, docs/results.md)",
                        c.depth, kMaxDepth, deepest));
    reason("epoch_repeats",
           c.epochRepeats == 1 ? std::string("1: the set is large enough for one validation per pass")
                               : std::to_string(c.epochRepeats) + ": each image is drawn " +
                                     std::to_string(c.epochRepeats) + " times per epoch, so an epoch holds at least " +
                                     std::to_string(kMinSamplesPerEpoch) + " samples between validations");
    m_plan.estimatedSeconds = m_sched.epochs * m_sched.epochSeconds;
    reason("epochs", fmt("%.0f: as many as fit %.0f %% of the budget: %.1f s of training and %.1f s of validation per "
                         "epoch by the speed measured on this machine",
                         m_sched.epochs, 100 * kUsableBudget, m_sched.trainEpochSeconds, m_sched.valSeconds));
    reason("val_resolution", "native: each epoch is scored at the images' own resolution, as `evaluate` scores");
}

std::string Planner::chooseCrops(const std::string& detail) {
    TrainConfig& c = m_plan.config;
    const int minSide = std::min(m_f.medianWidth, m_f.medianHeight);
    std::string widthWhy;
    const int chi = std::min(512, roundDown(minSide, kStepSide));
    m_sched = choose(sides(std::min(128, chi), chi), true, widthWhy);
    c.input = "crop";
    reason("input", "crop: native-resolution random windows, because resizing would lose structure: " + detail);
    reason("size", fmt("%.0f: the crop side, the largest multiple of 32 (at most the median image's shorter "
                       "side %.0f, at most 512) at which the budget still holds %.0f sample presentations",
                       m_sched.side, minSide, double(target())));
    // The dataset's most common class plays background, whatever its index (ISBI: class 1).
    std::size_t common = 0;
    for (std::size_t k = 1; k < m_f.classes.size(); ++k)
        if (m_f.classes[k].pixelFraction > m_f.classes[common].pixelFraction)
            common = k;
    double rarest = 1;
    for (std::size_t k = 0; k < m_f.classes.size(); ++k)
        if (k != common && m_f.classes[k].pixelFraction > 0)
            rarest = std::min(rarest, m_f.classes[k].pixelFraction);
    c.cropForeground = rarest < 0.05 ? 0.5 : 0.33;
    reason("crop_foreground",
           rarest < 0.05 ? fmt("0.5: the rarest class covers %.2f %% of the pixels; half the windows are "
                               "centred on a pixel of a class other than the image's most common one (drawn "
                               "uniformly among those present) so rare classes are seen",
                               100 * rarest)
                         : "0.33: a third of the windows centred on a pixel of a class other than the "
                           "image's most common one, as nnU-Net oversamples foreground");
    c.predictTile = std::min(512, 2 * m_sched.side);
    c.predictOverlap = m_sched.side / 2;
    reason("predict_tile", fmt("%.0f: prediction and validation run at native resolution in sliding windows of "
                               "twice the crop (more context per pass)",
                               c.predictTile));
    reason("predict_overlap", fmt("%.0f: half a crop shared by neighbouring windows, blended, so no pixel is "
                                  "decided at a window's edge",
                                  c.predictOverlap));
    return widthWhy;
}

void Planner::chooseLoss() {
    TrainConfig& c = m_plan.config;
    c.ceWeight = 1.0;
    c.diceWeight = 1.0;
    const double bg = m_f.classes.empty() ? 1.0 : m_f.classes[0].pixelFraction;
    c.diceIncludeBackground = bg < 0.5;
    reason("dice_weight", "1 (with ce_weight 1): Dice balances classes by area within each batch; cross-entropy "
                          "keeps per-pixel gradients");
    reason("dice_include_background",
           c.diceIncludeBackground
               ? "true: class 0 ('" + m_f.classes[0].name + "') covers only " + fmt("%.1f", 100 * bg) +
                     " % of the pixels, so it is a structure to segment, not a background to discount"
               : fmt("false: class 0 covers %.1f %% of the pixels (background); Dice over the other classes", 100 * bg));
    c.monitor = c.diceIncludeBackground ? "miou" : "miou_no_background";
    reason("monitor", c.diceIncludeBackground ? "miou: class 0 matters here, so best.pt is chosen on every class"
                                              : "miou_no_background: best.pt is chosen on the foreground classes");
    // Median-frequency balancing (SegNet), square-rooted and clipped, when classes are very unequal.
    std::vector<double> present;
    for (const auto& k : m_f.classes)
        if (k.pixelFraction > 0)
            present.push_back(k.pixelFraction);
    if (present.size() < 2)
        return;
    const double lo = *std::min_element(present.begin(), present.end());
    const double hi = *std::max_element(present.begin(), present.end());
    std::vector<double> sorted = present;
    std::sort(sorted.begin(), sorted.end());
    const double med = sorted[sorted.size() / 2];
    if (hi / lo > 10.0) {
        for (const auto& k : m_f.classes)
            c.classWeights.push_back(k.pixelFraction > 0 ? std::clamp(std::sqrt(med / k.pixelFraction), 0.2, 10.0) : 1.0);
        reason("class_weights", fmt("cross-entropy weights sqrt(median frequency / frequency), clipped to [0.2, 10]: "
                                    "the commonest class has %.0f times the pixels of the rarest",
                                    hi / lo));
    } else {
        reason("class_weights", fmt("none: the classes' pixel shares differ by at most %.1f times", hi / lo));
    }
}

void Planner::chooseAugment() {
    AugmentConfig& a = m_plan.config.augment;
    a.hflip = 0.5;
    a.brightnessContrast = 0.3;
    // Few passes over each image leave little time to learn from strongly changed copies.
    const double passes = double(m_sched.presentations) / std::max(1, m_f.images);
    a.shiftScaleRotate = passes < 50 ? 0.3 : 0.5;
    a.scaleLimit = 0.15;
    a.shiftLimit = 0.0625;
    if (m_f.grayscale) {
        a.vflip = 0.5;
        a.rotateLimit = 180;
        reason("augment.vflip", "0.5: grey images (microscopy, inspection) have no natural up; vertical flips are "
                                "as valid as horizontal ones");
        reason("augment.rotate_limit", "180: any rotation is plausible for grey top-down images");
    } else {
        a.vflip = 0.0;
        a.rotateLimit = 15;
        reason("augment.vflip", "0: colour photographs have a sky and a ground; upside-down scenes are not data");
        reason("augment.rotate_limit", "15: small tilts, as a hand-held camera makes");
    }
    reason("augment.hflip", "0.5: mirror images are as likely as the originals");
    reason("augment.shift_scale_rotate",
           fmt("%.1f: shift, scale ±15 %% and rotation show new poses; ", a.shiftScaleRotate) +
               (passes < 50 ? fmt("moderate, as each image is seen only about %.0f times", passes)
                            : fmt("each image is seen about %.0f times, enough to learn from strong variation", passes)));
    reason("augment.brightness_contrast", "0.3: exposure varies between images");
    m_plan.config.predictFlip = a.hflip > 0;
    reason("predict_flip", "true: the network learnt from mirror images, so the mirrored image is an equally valid "
                           "view; predictions and each epoch's validation average both, as nnU-Net predicts by "
                           "default (horses: 0.8985 to 0.9030 horse IoU at twice the prediction time)");
    m_plan.config.calibrate = true;
    reason("calibrate", "true: after training, per-class offsets of the log-probabilities are fitted on the trusted "
                        "masks (reviewed validation images first) and kept where they hold on images they were not "
                        "fitted on; class weights and machine-made labels bias a network (magnetic-tile, four seeds: "
                        "+0.023 test mIoU on auto's labels, +0.017 on the true masks on average, docs/calibration.md)");
    a.randomCrop = 0.0;
    a.mosaic = 0.0;
}

void Planner::chooseOptimisation() {
    TrainConfig& c = m_plan.config;
    c.optimizer = "adam";
    c.lr = 1e-3;
    c.schedule = "cosine";
    c.warmupEpochs = plannedWarmupEpochs(c.epochs);
    reason("optimizer", "adam, lr 1e-3: the reference protocol's optimiser, robust without tuning");
    reason("schedule", "cosine: the learning rate decays to 0 by the last epoch, so the last epochs refine");
    reason("warmup_epochs", c.warmupEpochs ? "about 5 % of the epochs of linear warm-up, so the first batch-norm "
                                             "statistics settle before full steps"
                                           : "0: too few epochs to spare one for warm-up");
    c.mixedPrecision = m_s.bf16;
    c.channelsLast = m_s.channelsLast;
    const std::string measured = m_s.modes.empty() ? std::string() : " (measured: " + m_s.modes + ")";
    reason("mixed_precision",
           m_s.bf16 ? "true: bf16 autocast trains more than 5 % faster than fp32 on this CPU's bf16 units" + measured +
                          "; on the horses set it scored as fp32 did (0.8912 vs 0.8917 horse IoU, same epochs)"
                    : "false: fp32, exact; no other mode trained more than 5 % faster on this machine" + measured);
    reason("channels_last", m_s.channelsLast ? "true: the channels-last layout trained more than 5 % faster than contiguous tensors here"
                                             : "false: channels-last did not train more than 5 % faster than contiguous tensors here");
    c.timeBudget = std::round(m_r.budgetSeconds * kUsableBudget);
    reason("time_budget", fmt("%.0f: %.0f %% of the budget from the start of training; after each epoch the epoch "
                              "count is fitted to the time left at the pace measured so far, so the run ends on time "
                              "if the machine's load changes after planning (at most 3 times the planned epochs)",
                              c.timeBudget, 100 * kUsableBudget));
}

void Planner::chooseSupervision() {
    TrainConfig& c = m_plan.config;
    const int boxes = m_f.boxImages, masks = m_f.images - m_f.boxImages;
    if (boxes == 0) {
        c.supervision = "masks";
        reason("supervision", "masks: every training image has a refined or reviewed mask, so every one trains "
                              "from its mask");
        return;
    }
    c.supervision = "auto";
    const std::string counts = std::to_string(boxes) + " of the " + std::to_string(m_f.images) +
                               " training images are coarse (box fills, no trusted mask)";
    reason("supervision",
           "auto: " + counts + ": they train from their boxes with BoxInst's projection loss (every row and column of a "
           "box meets the object, outside every box is background) and pairwise loss (neighbours of like colour share "
           "the label), so the boxes' rectangles are never taught as object shapes" +
               (masks > 0 ? "; the " + std::to_string(masks) + " refined or reviewed ones train from their masks" : ""));
}

TrainingPlan Planner::run() {
    m_plan.config = TrainConfig();
    m_plan.config.data = m_r.data;
    m_plan.config.val = m_r.val;
    m_plan.config.arch = "unet";
    m_plan.config.ignoreIndex = m_f.ignoreIndex;
    m_plan.config.valResolution = "native";
    m_plan.header.push_back("Planned by `maskforge-cli plan` from the dataset's fingerprint:");
    std::istringstream fp(describeFingerprint(m_f));
    for (std::string line; std::getline(fp, line);)
        m_plan.header.push_back("  " + line);
    chooseInput();
    chooseLoss();
    chooseAugment();
    chooseOptimisation();
    chooseSupervision();
    m_plan.header.push_back(fmt("Budget %.0f s; measured training speed %.2f s/Mpx (width 16), %.2f s/Mpx (width 32)",
                                m_r.budgetSeconds, m_s.trainSecondsPerMegapixel16, m_s.trainSecondsPerMegapixel32) +
                            std::string(m_s.bf16 ? ", bf16" : ", fp32") + (m_s.channelsLast ? " channels-last" : "") +
                            (m_s.note.empty() ? "" : " (" + m_s.note + ")"));
    m_plan.header.push_back(fmt("Estimated time: %.0f s for %.0f epochs", m_plan.estimatedSeconds, m_plan.config.epochs));
    return m_plan;
}

} // namespace

std::size_t chooseTrainingMode(const std::vector<TrainingModeSpeed>& modes) {
    constexpr double clearly = 1.05;  // what another mode must gain over the one it replaces
    std::size_t fp32 = modes.size(), bf16 = modes.size();
    for (std::size_t i = 0; i < modes.size(); ++i) {
        std::size_t& best = modes[i].bf16 ? bf16 : fp32;
        if (best == modes.size()) {
            best = i;
            continue;
        }
        // Within fp32, the first mode measured (contiguous, the default) must be beaten clearly.
        const double margin = !modes[i].bf16 && best == 0 ? clearly : 1.0;
        if (modes[i].imagesPerSecond > modes[best].imagesPerSecond * margin)
            best = i;
    }
    if (fp32 == modes.size())
        return bf16 == modes.size() ? 0 : bf16;
    if (bf16 != modes.size() && modes[bf16].imagesPerSecond > modes[fp32].imagesPerSecond * clearly)
        return bf16;
    return fp32;
}

TrainingPlan makePlan(const DatasetFingerprint& fingerprint, const PlanRequest& request, const MachineSpeed& speed,
                      int valImages, double valMegapixels) {
    if (!(speed.trainSecondsPerMegapixel16 > 0) || !(speed.trainSecondsPerMegapixel32 > 0))
        throw std::invalid_argument("plan: the machine's speed must be positive");
    if (!(request.budgetSeconds > 0))
        throw std::invalid_argument("plan: the time budget must be positive");
    if (fingerprint.images < 1)
        throw std::invalid_argument("plan: the fingerprint holds no images");
    return Planner(fingerprint, request, speed, valImages, valMegapixels).run();
}

std::string planToYaml(const TrainingPlan& plan) {
    std::map<std::string, std::string> why(plan.reasons.begin(), plan.reasons.end());
    std::ostringstream out;
    for (const auto& line : plan.header)
        out << "# " << line << "\n";
    std::istringstream in(toYaml(plan.config));
    bool inAugment = false;
    for (std::string line; std::getline(in, line);) {
        const std::size_t indent = line.find_first_not_of(' ');
        const std::size_t colon = line.find(':');
        if (indent != std::string::npos && colon != std::string::npos) {
            const std::string key = line.substr(indent, colon - indent);
            if (indent == 0)
                inAugment = key == "augment";
            const auto it = why.find(indent > 0 && inAugment ? "augment." + key : key);
            if (it != why.end())
                out << std::string(indent, ' ') << "# " << it->second << "\n";
        }
        out << line << "\n";
    }
    return out.str();
}

int plannedWarmupEpochs(int epochs) { return epochs >= 10 ? std::max(1, epochs / 20) : 0; }

double parseDuration(const std::string& text) {
    if (text.empty())
        throw std::invalid_argument("empty duration");
    double total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t used = 0;
        double v = 0;
        try {
            v = std::stod(text.substr(i), &used);
        } catch (const std::exception&) {
            throw std::invalid_argument("'" + text + "' is not a duration like 15m, 900s or 1h30m");
        }
        i += used;
        double unit = 1;
        if (i < text.size()) {
            const char u = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
            if (u == 'h')
                unit = 3600;
            else if (u == 'm')
                unit = 60;
            else if (u != 's')
                throw std::invalid_argument("'" + text + "' is not a duration like 15m, 900s or 1h30m");
            ++i;
        }
        if (v < 0)
            throw std::invalid_argument("'" + text + "': a duration cannot be negative");
        total += v * unit;
    }
    if (!(total > 0))
        throw std::invalid_argument("'" + text + "': the duration must be positive");
    return total;
}

} // namespace mf
