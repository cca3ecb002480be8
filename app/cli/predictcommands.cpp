#include "commands.h"

#include "deploy/opencvpredictor.h"
#include "io/atomicfile.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "project/project.h"
#include "infer/calibration.h"
#include "infer/evaluate.h"
#include "models/checkpoint.h"
#include "infer/predictor.h"
#include "viz/overlay.h"

#include <opencv2/imgproc.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace fs = std::filesystem;

namespace mf::cli {
namespace {

struct PredictArgs {
    std::string run, input, out, device = "auto", engine = "libtorch";
    PredictOptions options;
};

std::vector<fs::path> inputImages(const std::string& input) {
    std::vector<fs::path> files;
    if (fs::is_regular_file(input))
        return {input};
    if (!fs::is_directory(input))
        throw FileError(input, "no such image or folder");
    for (const auto& e : fs::directory_iterator(input))
        if (e.is_regular_file() && isImageFile(e.path().string()))
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty())
        throw FileError(input, "no images in this folder");
    return files;
}

/** 8-bit object probability: class 1's for a binary run, the largest non-background one otherwise. */
cv::Mat objectProbability(const Prediction& p) {
    cv::Mat best = p.probabilities.size() > 1 ? p.probabilities[1].clone() : p.probabilities[0].clone();
    for (std::size_t c = 2; c < p.probabilities.size(); ++c)
        cv::max(best, p.probabilities[c], best);
    cv::Mat out;
    best.convertTo(out, CV_8UC1, 255.0);
    return out;
}

void runPredict(PredictArgs& a) {
    a.options.device = a.device;
    std::unique_ptr<Predictor> predictor;
    if (a.engine == "opencv")
        predictor = std::make_unique<deploy::OpenCvPredictor>(a.run);
    else
        predictor = Predictor::open(a.run, a.device, a.options.precision);
    std::cout << predictor->description() << "\n";
    if (a.options.tile < 0) {
        const PredictOptions t = predictor->asTrained();
        std::cout << (t.tile > 0 ? "as trained: tiles of " + std::to_string(t.tile) + " px, overlap " +
                                       std::to_string(t.overlap) + ", at each image's resolution"
                                 : std::string("as trained: resized to the training size and back"))
                  << "\n";
    }
    if (a.options.flipTta < 0 && predictor->asTrained().flipTta > 0)
        std::cout << "as trained: each prediction averaged with the mirrored image's (--no-tta: without)\n";
    if (a.engine != "opencv") {
        const auto bias = readCheckpointMeta(resolveCheckpoint(a.run)).classBias;
        if (!bias.empty())
            std::cout << (a.options.calibrated ? "calibrated: class offsets " + describeBias(bias) + " (--no-calibration: without)"
                                               : std::string("not calibrated (--no-calibration)"))
                      << "\n";
    }
    makeDirs(a.out);
    const auto files = inputImages(a.input);
    for (const auto& file : files) {
        const cv::Mat rgb = readImageRgb(file.string());
        const Prediction p = predictor->predict(rgb, a.options);
        const std::string stem = (fs::path(a.out) / file.stem()).string();
        writeMaskAtomic(stem + ".png", p.labels);
        writeImageAtomic(stem + "_prob.png", objectProbability(p));
        writeImageAtomic(stem + "_overlay.png", tintLabels(rgb, p.labels, classPalette()));
    }
    std::cout << "wrote " << files.size() << " prediction(s) to " << a.out << "\n";
}

struct EvalArgs {
    std::string run, split = "val", data, device = "auto";
    int randClass = -1;
    PredictOptions options = evaluationOptions();  // fp32 unless --precision says otherwise
};

void runEvaluate(EvalArgs& a) {
    a.options.device = a.device;
    const Evaluation e = evaluate(a.run, a.split, a.data, a.options, a.randClass);
    const auto bias = readCheckpointMeta(e.checkpoint).classBias;
    const bool calibrated = a.options.calibrated && !bias.empty();
    std::cout << "checkpoint " << e.checkpoint << ", split " << e.split << ", " << e.precision
              << (e.flipTta ? ", averaged with the mirrored image (TTA)" : "")
              << (calibrated ? ", calibrated (class offsets " + describeBias(bias) + ")"
                             : !bias.empty() ? std::string(", not calibrated (--no-calibration)") : std::string())
              << "\n"
              << reportToText(e.report, e.classNames);
    auto json = nlohmann::json::parse(reportToJson(e.report, e.classNames));
    json["precision"] = e.precision;
    json["class_bias"] = calibrated ? bias : std::vector<double>{};
    json["tta_mirror"] = e.flipTta;
    if (e.hasRand) {
        const std::string name = a.randClass < int(e.classNames.size()) ? e.classNames[a.randClass] : std::to_string(a.randClass);
        std::printf("Rand (foreground-restricted, regions of class %d '%s'): V_Rand %.4f  precision %.4f  recall %.4f\n",
                    a.randClass, name.c_str(), e.rand.vRand, e.rand.precision, e.rand.recall);
        json["rand"] = {{"class", a.randClass}, {"v_rand", e.rand.vRand}, {"precision", e.rand.precision},
                        {"recall", e.rand.recall}, {"images", e.rand.images},
                        {"rule", "ISBI 2012 foreground-restricted Rand: truth regions = 4-connected regions of the "
                                 "class, other truth pixels left out, predicted non-class pixels inside them are "
                                 "singletons; pooled over images; no thinning"}};
    }
    const fs::path dir = fs::is_directory(a.run) ? fs::path(a.run) : fs::path(a.run).parent_path();
    writeFileAtomic((dir / ("eval_" + a.split + ".csv")).string(), reportToCsv(e.report, e.classNames));
    writeFileAtomic((dir / ("eval_" + a.split + ".json")).string(), json.dump() + "\n");
    std::cout << "wrote " << (dir / ("eval_" + a.split + ".{csv,json}")).string() << "\n";
}

void addPredictOptions(CLI::App* cmd, PredictOptions& o, std::string& device) {
    cmd->add_option("--tile", o.tile, "-1: as the run was trained (tiles at native resolution for crop-trained runs); "
                                      "0: resize to the training size; N: N-pixel tiles at the image's resolution")
        ->capture_default_str();
    cmd->add_option("--overlap", o.overlap, "pixels shared by neighbouring tiles")->capture_default_str();
    auto* tta = cmd->add_flag_callback("--tta", [&o] { o.flipTta = 1; },
                                       "average with the horizontally mirrored image's prediction (default: as the "
                                       "run was trained, its predict_flip)");
    cmd->add_flag_callback("--no-tta", [&o] { o.flipTta = 0; }, "no mirrored prediction, whatever the run's predict_flip")
        ->excludes(tta);
    cmd->add_flag_callback("--no-calibration", [&o] { o.calibrated = false; },
                           "the network's own probabilities, without the run's per-class calibration offsets "
                           "(fitted after training on trusted masks; `calibrate`)");
    cmd->add_option("--tile-batch", o.batchTiles, "tiles per network call; 0: about a million pixels' worth")
        ->capture_default_str();
    cmd->add_option("--device", device, "auto | cpu | cuda")->capture_default_str();
    cmd->add_option("--precision", o.precision,
                    "auto: bf16 on a CPU with bf16 units (AVX-512 BF16, AMX), else fp32 | fp32 | bf16 "
                    "(predict: auto; evaluate: fp32, so scores are the same on every machine)")
        ->check(CLI::IsMember({"auto", "fp32", "bf16"}))
        ->capture_default_str();
}

} // namespace

void addPredictCommands(CLI::App& app) {
    auto p = std::make_shared<PredictArgs>();
    auto* predict = app.add_subcommand("predict", "Predict masks, probability maps and overlays for images");
    predict->add_option("--run", p->run, "run folder (best.pt) or checkpoint file")->required();
    predict->add_option("--input", p->input, "an image or a folder of images")->required();
    predict->add_option("--out", p->out, "folder for <stem>.png, <stem>_prob.png, <stem>_overlay.png")->required();
    addPredictOptions(predict, p->options, p->device);
    predict->add_option("--engine", p->engine, "libtorch (a run or .pt) | opencv (an .onnx from export-onnx; no LibTorch)")
        ->check(CLI::IsMember({"libtorch", "opencv"}))
        ->capture_default_str();
    predict->callback([p] { runPredict(*p); });

    auto e = std::make_shared<EvalArgs>();
    auto* eval = app.add_subcommand("evaluate", "Score a run on a split at the images' own resolution");
    eval->add_option("--run", e->run, "run folder or checkpoint file")->required();
    eval->add_option("--split", e->split, "train | val | test")->capture_default_str();
    eval->add_option("--data", e->data, "another dataset to evaluate on (its split, or all of it)");
    addPredictOptions(eval, e->options, e->device);
    eval->add_option("--rand", e->randClass,
                     "also the foreground-restricted Rand score (ISBI 2012 V_Rand) over the connected regions of "
                     "this class index (ISBI membranes: 1, the cell interiors)")
        ->check(CLI::NonNegativeNumber);
    eval->callback([e] { runEvaluate(*e); });
}

} // namespace mf::cli
