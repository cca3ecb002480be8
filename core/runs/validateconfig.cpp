#include "runs/trainconfig.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <stdexcept>

namespace mf {
namespace {

void require(bool ok, const std::string& key, const std::string& what) {
    if (!ok)
        throw std::invalid_argument("config key '" + key + "': " + what);
}

void requireWord(const std::string& value, const std::string& key, std::initializer_list<const char*> words) {
    std::string list;
    for (const char* w : words) {
        if (value == w)
            return;
        list += (list.empty() ? "" : ", ") + std::string(w);
    }
    throw std::invalid_argument("config key '" + key + "': '" + value + "' is not one of " + list);
}

void requireProbability(double p, const std::string& key) {
    require(p >= 0.0 && p <= 1.0, key, "a probability must be in [0, 1]");
}

void validateAugment(const AugmentConfig& a) {
    for (auto [key, p] : {std::pair{"hflip", a.hflip}, {"vflip", a.vflip}, {"shift_scale_rotate", a.shiftScaleRotate},
                          {"gaussian_blur", a.gaussianBlur}, {"brightness_contrast", a.brightnessContrast},
                          {"jpeg", a.jpeg}, {"grid_distortion", a.gridDistortion},
                          {"optical_distortion", a.opticalDistortion}, {"mosaic", a.mosaic},
                          {"random_crop", a.randomCrop}})
        requireProbability(p, std::string("augment.") + key);
    require(a.cropMinArea > 0 && a.cropMinArea <= 1, "augment.crop_min_area", "must be in (0, 1]");
    require(a.shiftLimit >= 0 && a.shiftLimit < 1, "augment.shift_limit", "must be in [0, 1)");
    require(a.scaleLimit >= 0 && a.scaleLimit < 1, "augment.scale_limit", "must be in [0, 1)");
    require(a.rotateLimit >= 0 && a.rotateLimit <= 180, "augment.rotate_limit", "must be in [0, 180] degrees");
    require(a.brightnessLimit >= 0 && a.brightnessLimit <= 1, "augment.brightness_limit", "must be in [0, 1]");
    require(a.contrastLimit >= 0 && a.contrastLimit <= 1, "augment.contrast_limit", "must be in [0, 1]");
    require(a.jpegQualityLow >= 1 && a.jpegQualityLow <= a.jpegQualityHigh && a.jpegQualityHigh <= 100,
            "augment.jpeg_quality_low", "need 1 <= jpeg_quality_low <= jpeg_quality_high <= 100");
}

void validateData(const TrainConfig& c) {
    namespace fs = std::filesystem;
    require(!c.data.empty(), "data", "no dataset given (a project folder, maskforge.json or images/ + masks/ folder)");
    require(fs::exists(c.data), "data", "'" + c.data + "' does not exist");
    require(c.val.empty() || fs::exists(c.val), "val", "'" + c.val + "' does not exist");
    require(c.resume.empty() || fs::is_regular_file(c.resume), "resume", "'" + c.resume + "' is not a checkpoint file");
    require(c.encoderWeights.empty() || fs::is_regular_file(c.encoderWeights), "encoder_weights",
            "'" + c.encoderWeights + "' is not a file");
    require(c.size >= 16 && c.size <= 8192, "size", "must be in [16, 8192]");
    require(c.batch >= 1, "batch", "must be at least 1");
    requireWord(c.input, "input", {"resize", "crop"});
    requireProbability(c.cropForeground, "crop_foreground");
    require(c.epochRepeats >= 1 && c.epochRepeats <= 10000, "epoch_repeats", "must be in [1, 10000]");
    requireWord(c.valResolution, "val_resolution", {"native", "training"});
    require(c.predictTile >= 0, "predict_tile", "must be >= 0 (0: the training size)");
    require(c.predictOverlap >= -1, "predict_overlap", "must be >= 0, or -1 for a quarter of the tile");
    require(c.workers >= 0, "workers", "must be >= 0");
    require(c.cacheMB >= 0, "cache_mb", "must be >= 0 (0: no cache)");
    require(c.prefetch >= 1, "prefetch", "must be at least 1");
    require(c.mean.size() == 3, "mean", "needs three values (R, G, B)");
    require(c.std.size() == 3, "std", "needs three values (R, G, B)");
    require(std::all_of(c.std.begin(), c.std.end(), [](double s) { return s > 0; }), "std", "values must be > 0");
    require(c.ignoreIndex >= -1 && c.ignoreIndex <= 255, "ignore_index", "must be -1 (none) or in [0, 255]");
    validateAugment(c.augment);
}

void validateModelAndLoss(const TrainConfig& c) {
    requireWord(c.arch, "arch", {"encdec", "unet", "unetpp"});
    requireWord(c.encoder, "encoder", {"plain", "resnet18", "resnet34", "efficientnet_b0"});
    require(c.width >= 1 && c.width <= 1024, "width", "must be in [1, 1024]");
    require(c.depth >= 1 && c.depth <= 7, "depth", "must be in [1, 7]");
    require(c.attentionHeads >= 1, "attention_heads", "must be at least 1");
    require(c.ceWeight >= 0, "ce_weight", "must be >= 0");
    require(c.diceWeight >= 0, "dice_weight", "must be >= 0");
    require(c.focalWeight >= 0, "focal_weight", "must be >= 0");
    require(c.ceWeight + c.diceWeight + c.focalWeight > 0, "ce_weight", "at least one loss weight must be > 0");
    require(c.focalGamma >= 0, "focal_gamma", "must be >= 0");
    require(c.diceSmooth >= 0, "dice_smooth", "must be >= 0");
    require(std::all_of(c.classWeights.begin(), c.classWeights.end(), [](double w) { return w >= 0; }),
            "class_weights", "weights must be >= 0");
    if (c.supervision != "auto" && c.supervision != "masks" && c.supervision != "boxes")
        throw std::invalid_argument("config key 'supervision': '" + c.supervision +
                                    "' is not one of auto (by status: coarse images from their boxes, refined and "
                                    "reviewed ones from their masks), masks, boxes");
    require(c.boxProjectionWeight >= 0, "box_projection_weight", "must be >= 0");
    require(c.boxPairwiseWeight >= 0, "box_pairwise_weight", "must be >= 0");
    require(c.boxPairwiseThreshold >= 0 && c.boxPairwiseThreshold <= 1, "box_pairwise_threshold",
            "a colour similarity must be in [0, 1]");
    require(c.boxPairwiseDilation >= 1 && c.boxPairwiseDilation <= 64, "box_pairwise_dilation", "must be in [1, 64]");
}

void validateOptimisation(const TrainConfig& c) {
    requireWord(c.optimizer, "optimizer", {"adam", "adamw", "sgd"});
    require(c.lr > 0 && c.lr < 10, "lr", "must be in (0, 10)");
    require(c.weightDecay >= 0, "weight_decay", "must be >= 0");
    require(c.momentum >= 0 && c.momentum < 1, "momentum", "must be in [0, 1)");
    requireWord(c.schedule, "schedule", {"none", "cosine", "step"});
    require(c.warmupEpochs >= 0 && c.warmupEpochs < std::max(1, c.epochs), "warmup_epochs",
            "must be >= 0 and fewer than epochs");
    require(c.stepSize >= 1, "step_size", "must be at least 1");
    require(c.stepGamma > 0 && c.stepGamma <= 1, "step_gamma", "must be in (0, 1]");
    require(c.clipNorm >= 0, "clip_norm", "must be >= 0 (0: no clipping)");
    require(c.epochs >= 1, "epochs", "must be at least 1");
    require(c.timeBudget >= 0 && std::isfinite(c.timeBudget), "time_budget", "must be >= 0 seconds (0: no limit)");
    requireWord(c.device, "device", {"auto", "cpu", "cuda"});
    require(c.threads >= 0, "threads", "must be >= 0 (0: all cores)");
    requireWord(c.monitor, "monitor",
                {"miou_no_background", "miou", "val_loss", "micro_imagewise_iou", "pixel_accuracy"});
    require(c.patience >= 0, "patience", "must be >= 0 (0: no early stopping)");
}

} // namespace

void validateTrainConfig(const TrainConfig& config) {
    validateData(config);
    validateModelAndLoss(config);
    validateOptimisation(config);
}

} // namespace mf
