#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace mf {

/** Augmentations applied identically to image and mask (nearest-neighbour for masks); each with a
 *  probability. Used on training batches only. */
struct AugmentConfig {
    double hflip = 0.5;
    double vflip = 0.0;
    double shiftScaleRotate = 0.0;  ///< probability; limits below
    double shiftLimit = 0.0625, scaleLimit = 0.1, rotateLimit = 15.0;  ///< fraction, fraction, degrees
    double gaussianBlur = 0.0;
    double brightnessContrast = 0.0;
    double brightnessLimit = 0.2, contrastLimit = 0.2;
    double jpeg = 0.0;
    int jpegQualityLow = 50, jpegQualityHigh = 95;
    double gridDistortion = 0.0;
    double opticalDistortion = 0.0;
    double mosaic = 0.0;            ///< four images in quadrants (seed 002)
    double randomCrop = 0.0;        ///< probability of cropping a random window before the resize
    double cropMinArea = 0.5;       ///< the window covers [cropMinArea, 1] of the area, aspect 3:4..4:3
};

/** Everything one training run needs; the same fields as the run's YAML (see configs/). Torch-free
 *  so the GUI can read and edit it. */
struct TrainConfig {
    // data
    std::string data;        ///< project folder/maskforge.json or images/ + masks/ folder
    std::string val;         ///< explicit validation folder; empty: the project's val split
    int size = 256;          ///< network input side (images resized, then padded to the divisor)
    /** resize: whole images squeezed to size×size; crop: size×size windows at the images' own
     *  resolution (padded with the ignore index when an image is smaller), predicted in tiles. */
    std::string input = "resize";
    double cropForeground = 0.0;  ///< crop: probability a window is centred on a pixel of a class other than the image's most common
    int epochRepeats = 1;         ///< each training image is drawn this many times per epoch
    /** native: per-epoch validation predicts each image at its own resolution as `evaluate` does
     *  (resized and back, or tiles for crop runs); training: the resized batches of the loader. */
    std::string valResolution = "native";
    int predictTile = 0;          ///< crop runs: tile side for prediction (0: size)
    /** Predictions (and each epoch's validation) average the image's and its mirror image's class
     *  probabilities (test-time augmentation) unless a prediction says otherwise. */
    bool predictFlip = false;
    /** After training, fit per-class offsets of the log-probabilities on trusted masks and store them in
     *  last.pt and best.pt when they hold on images they were not fitted on (infer/calibration.h). */
    bool calibrate = true;
    int predictOverlap = -1;      ///< crop runs: pixels shared by neighbouring tiles (-1: size / 4)
    int batch = 8;
    int workers = 2;         ///< augmentation threads
    int prefetch = 4;        ///< batches queued ahead
    int cacheMB = 1024;      ///< decoded images kept in memory per loader (MiB); 0: decode every time
    std::vector<double> mean{0.485, 0.456, 0.406};
    std::vector<double> std{0.229, 0.224, 0.225};
    AugmentConfig augment;
    // model
    std::string arch = "unet";       ///< encdec | unet | unetpp
    std::string encoder = "plain";   ///< plain | resnet18 | resnet34 | efficientnet_b0
    std::string encoderWeights;      ///< torchvision state_dict file (torch.save) for the encoder, optional
    int width = 32;
    int depth = 4;
    bool attention = false;
    int attentionHeads = 4;
    bool deepSupervision = false;
    // loss
    double ceWeight = 1.0;
    double diceWeight = 1.0;
    double focalWeight = 0.0;
    double focalGamma = 2.0;
    bool diceIncludeBackground = false;
    double diceSmooth = 1.0;
    std::vector<double> classWeights;  ///< CE class weights; empty: uniform
    int ignoreIndex = 255;
    /** How each training image is supervised. masks: every labelled image by its mask file, coarse box
     *  fills too (as before box supervision existed); boxes: every image by its detection boxes (its box
     *  file, else the boxes of its coarse mask, else the bounding boxes of its mask's regions); auto: by
     *  status, coarse images by their boxes, refined and reviewed ones by their masks. Box supervision is
     *  BoxInst's (train/boxlosses.h): projection and pairwise losses inside the boxes, background outside. */
    std::string supervision = "auto";
    double boxProjectionWeight = 1.0;  ///< weight of the projection loss (and of the in-box class exclusion)
    double boxPairwiseWeight = 1.0;    ///< weight of the pairwise loss, ramped up over the first 10 % of the steps
    double boxPairwiseThreshold = 0.3; ///< colour similarity exp(−ΔLab/2) at which neighbours must agree (BoxInst: 0.3)
    int boxPairwiseDilation = 2;       ///< neighbour distance of the pairwise loss (BoxInst: 2)
    // optimisation
    std::string optimizer = "adam";  ///< adam | adamw | sgd
    double lr = 1e-3;
    double weightDecay = 0.0;
    double momentum = 0.9;
    std::string schedule = "none";   ///< none | cosine | step
    int warmupEpochs = 0;
    int stepSize = 10;
    double stepGamma = 0.1;
    double clipNorm = 0.0;           ///< 0: no gradient clipping
    // run
    int epochs = 25;
    /** Seconds the run should take from its start (0: no limit, `epochs` as given). After each epoch
     *  the epoch count is fitted to the time left at the pace measured so far (at most 3× `epochs`,
     *  never below the epochs done), so a planned run ends on time when the machine's load changes
     *  after planning. Not applied to a resumed run, which keeps the epoch count it was fitted to. */
    double timeBudget = 0;
    std::uint64_t seed = 42;
    std::string device = "auto";     ///< auto | cpu | cuda
    bool mixedPrecision = false;     ///< fp16 autocast on CUDA, bf16 on CPU
    bool channelsLast = false;
    int threads = 0;                 ///< 0: all cores
    std::string monitor = "miou_no_background";  ///< validation figure for best.pt and early stopping
    int patience = 0;                ///< 0: no early stopping
    std::string out;                 ///< run folder
    std::string resume;              ///< checkpoint to resume from
    /** Train into an `out` folder that already holds files (a finished run's checkpoints and metrics
     *  are replaced). Without it, or `resume`, such a folder is refused. Not a YAML key: said each time. */
    bool overwrite = false;
};

/** Reads a run YAML; throws FileError naming the file and the key for unknown keys, wrong types. */
TrainConfig loadTrainConfig(const std::string& path);
/** Parses YAML text (`file` names it in errors). */
TrainConfig parseTrainConfig(const std::string& yaml, const std::string& file);
/** The whole config as YAML (round-trips through parseTrainConfig). */
std::string toYaml(const TrainConfig& config);
/** Checks values (ranges, known words, dataset exists); throws std::invalid_argument naming the key. */
void validateTrainConfig(const TrainConfig& config);

} // namespace mf
