#include "infer/predictor.h"
#include "infer/calibration.h"

#include "infer/fastinfer.h"
#include "infer/imagetensor.h"
#include "infer/inputprep.h"
#include "infer/livepredictor.h"
#include "io/errors.h"
#include "machine/cpuinfo.h"
#include "machine/device.h"
#include "models/checkpoint.h"
#include "models/modelfactory.h"
#include "runs/trainconfig.h"

#include <c10/core/InferenceMode.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <sstream>

namespace mf {
namespace {

namespace F = torch::nn::functional;

/** edgeRamp (inputprep.h) as a tensor. */
torch::Tensor edgeRampTensor(int length, int ramp, bool rampStart, bool rampEnd) {
    const auto w = edgeRamp(length, ramp, rampStart, rampEnd);
    return torch::tensor(w);
}

/** Tiles per network call: `asked` when > 0, else as many as fit about a million pixels (four
 *  512² tiles), which keeps the activations of a batch within a few hundred MB. */
int tilesPerBatch(int th, int tw, int asked) {
    if (asked > 0)
        return asked;
    return std::clamp((1 << 20) / std::max(1, th * tw), 1, 8);
}

/** How a run wants to be predicted, from its embedded config: crop-trained runs in tiles at native
 *  resolution (predict_tile, else the crop size; predict_overlap, else a quarter tile), others resized. */
PredictOptions optionsAsTrained(const CheckpointMeta& meta) {
    PredictOptions o;
    o.tile = 0;
    o.flipTta = 0;
    if (meta.configYaml.empty())
        return o;
    TrainConfig c;
    try {
        c = parseTrainConfig(meta.configYaml, "(embedded config)");
    } catch (const std::exception&) {
        return o;  // a config this build cannot read: the resize every run supports
    }
    o.flipTta = c.predictFlip ? 1 : 0;
    if (c.input != "crop")
        return o;
    o.tile = c.predictTile > 0 ? c.predictTile : c.size;
    o.overlap = c.predictOverlap >= 0 ? c.predictOverlap : o.tile / 4;
    return o;
}

/** The network of one checkpoint on one device, in eval mode. */
class TorchPredictor : public Predictor {
public:
    TorchPredictor(const std::string& checkpoint, const std::string& device, const std::string& precision)
        : m_file(checkpoint), m_meta(readCheckpointMeta(checkpoint)), m_device(resolveDevice(device)),
          m_precision(resolveInferPrecision(precision, m_device.is_cuda(), cpuInfo().hasBf16Units())) {
        useThreads(0);
        m_model = makeModel(m_meta.spec);
        loadCheckpoint(checkpoint, *m_model, nullptr, false, torch::kCPU);
        m_model->to(m_device);
        m_model->eval();
        m_divisor = std::max(1, m_model->sizeDivisor());
        FastInferOptions fast;
        fast.probeSize = std::min(256, std::max(64, m_meta.size));
        fast.bf16 = m_precision == "bf16";
        m_fast = std::make_unique<FastInference>(m_model, fast);
        m_asTrained = optionsAsTrained(m_meta);
    }

    /** A predictor over a live network (the trainer's, for validation at native resolution): no fast
     *  path, whose folded copy of the weights would be stale after the next step. */
    TorchPredictor(SegmentationNet model, CheckpointMeta meta, torch::Device device)
        : m_file("(training)"), m_meta(std::move(meta)), m_device(device), m_model(std::move(model)) {
        m_divisor = std::max(1, m_model->sizeDivisor());
        m_asTrained = optionsAsTrained(m_meta);
    }

    Prediction predict(const cv::Mat& rgb, const PredictOptions& options) override;
    int classCount() const override { return m_meta.spec.classes; }
    int trainingSize() const override { return m_meta.size; }
    PredictOptions asTrained() const override { return m_asTrained; }
    std::string description() const override {
        std::ostringstream s;
        s << describe(m_meta.spec) << ", trained at " << m_meta.size << " px for " << m_meta.epoch << " epochs ("
          << m_file << "), " << precision();
        return s.str();
    }
    std::string precision() const override { return m_precision == "bf16" && m_device.is_cuda() ? "fp16" : m_precision; }

private:
    torch::Tensor normalised(const cv::Mat& rgb) const;
    torch::Tensor probabilities(torch::Tensor x, bool flipTta);
    torch::Tensor forwardPadded(const torch::Tensor& x);
    torch::Tensor resized(const cv::Mat& rgb, bool flipTta);
    torch::Tensor tiled(const torch::Tensor& x, int tile, int overlap, bool flipTta, int batchTiles);

    std::string m_file;
    CheckpointMeta m_meta;
    torch::Device m_device;
    SegmentationNet m_model;
    std::string m_precision = "fp32";  ///< fp32 | bf16 (resolveInferPrecision)
    std::unique_ptr<FastInference> m_fast;  ///< folded, fused, prepacked: what every prediction runs
    int m_divisor = 1;
    PredictOptions m_asTrained;
};

torch::Tensor TorchPredictor::normalised(const cv::Mat& rgb) const {
    if (rgb.type() != CV_8UC3)
        throw std::invalid_argument("Predictor::predict needs an 8-bit RGB image (CV_8UC3)");
    return imageTensor(rgb, m_meta.mean, m_meta.std);  // exactly what the loader fed in training
}

torch::Tensor TorchPredictor::forwardPadded(const torch::Tensor& x) {
    const auto h = x.size(2), w = x.size(3);
    const auto padH = (m_divisor - h % m_divisor) % m_divisor, padW = (m_divisor - w % m_divisor) % m_divisor;
    auto input = x.to(m_device);
    if (padH || padW)
        input = F::pad(input, F::PadFuncOptions({0, padW, 0, padH}).mode(torch::kReplicate));
    auto logits = (m_fast ? m_fast->forward(input) : m_model->forward(input)).to(torch::kFloat);
    return logits.softmax(1).slice(2, 0, h).slice(3, 0, w).to(torch::kCPU);
}

torch::Tensor TorchPredictor::probabilities(torch::Tensor x, bool flipTta) {
    if (!flipTta)
        return forwardPadded(x);
    // The image and its mirror in one batch: one network call (batch-norm is in eval mode, so the
    // batch does not change either result) instead of two half-empty ones.
    const int64_t n = x.size(0);
    const auto both = forwardPadded(torch::cat({x, x.flip({3})}, 0));
    return (both.slice(0, 0, n) + both.slice(0, n).flip({3})) * 0.5f;
}

torch::Tensor TorchPredictor::resized(const cv::Mat& rgb, bool flipTta) {
    // The network saw whole images squeezed to size × size in training; predicting the same way
    // keeps the objects at the scale it learnt, then the probabilities go back to the image's size.
    cv::Mat small;
    cv::resize(rgb, small, cv::Size(m_meta.size, m_meta.size), 0, 0, cv::INTER_LINEAR);
    auto p = probabilities(normalised(small), flipTta);
    if (p.size(2) == rgb.rows && p.size(3) == rgb.cols)
        return p;
    return F::interpolate(p, F::InterpolateFuncOptions()
                                 .size(std::vector<int64_t>{rgb.rows, rgb.cols})
                                 .mode(torch::kBilinear)
                                 .align_corners(false));
}

torch::Tensor TorchPredictor::tiled(const torch::Tensor& x, int tile, int overlap, bool flipTta, int batchTiles) {
    const int h = static_cast<int>(x.size(2)), w = static_cast<int>(x.size(3));
    const TileGrid grid = tileGrid(tile, overlap, m_divisor);
    tile = grid.tile;
    const int stride = grid.stride;
    const int th = std::min(tile, h), tw = std::min(tile, w);
    auto sum = torch::zeros({1, classCount(), h, w});
    auto weight = torch::zeros({1, 1, h, w});
    std::vector<std::pair<int, int>> origins;
    for (int y0 : tileStarts(h, tile, stride))
        for (int x0 : tileStarts(w, tile, stride))
            origins.emplace_back(y0, x0);
    // All tiles have the same size, so several go through the network as one batch.
    const int perBatch = tilesPerBatch(th, tw, batchTiles);
    for (std::size_t first = 0; first < origins.size(); first += perBatch) {
        const std::size_t last = std::min(origins.size(), first + perBatch);
        std::vector<torch::Tensor> tiles;
        for (std::size_t k = first; k < last; ++k)
            tiles.push_back(x.slice(2, origins[k].first, origins[k].first + th)
                                .slice(3, origins[k].second, origins[k].second + tw));
        const auto p = probabilities(torch::cat(tiles, 0), flipTta);
        for (std::size_t k = first; k < last; ++k) {
            const auto [y0, x0] = origins[k];
            const auto wy = edgeRampTensor(th, tile - stride, y0 > 0, y0 + th < h);
            const auto wx = edgeRampTensor(tw, tile - stride, x0 > 0, x0 + tw < w);
            const auto win = (wy.view({th, 1}) * wx.view({1, tw})).view({1, 1, th, tw});
            sum.slice(2, y0, y0 + th).slice(3, x0, x0 + tw) += p.slice(0, k - first, k - first + 1) * win;
            weight.slice(2, y0, y0 + th).slice(3, x0, x0 + tw) += win;
        }
    }
    return sum / weight;
}

Prediction TorchPredictor::predict(const cv::Mat& rgb, const PredictOptions& asked) {
    c10::InferenceMode inferenceMode;
    PredictOptions options = asked;
    if (options.tile < 0)
        options.tile = m_asTrained.tile, options.overlap = m_asTrained.overlap;
    const bool flip = options.flipTta < 0 ? m_asTrained.flipTta > 0 : options.flipTta > 0;
    torch::Tensor p;
    if (options.tile <= 0)
        p = resized(rgb, flip);
    else if (rgb.rows <= options.tile && rgb.cols <= options.tile)
        p = probabilities(normalised(rgb), flip);
    else
        p = tiled(normalised(rgb), options.tile, options.overlap, flip, options.batchTiles);
    p = p[0].contiguous();
    Prediction out;
    const auto labels = p.argmax(0).to(torch::kUInt8).contiguous();
    out.labels = cv::Mat(rgb.rows, rgb.cols, CV_8UC1, labels.data_ptr<uint8_t>()).clone();
    for (int c = 0; c < p.size(0); ++c)
        out.probabilities.push_back(cv::Mat(rgb.rows, rgb.cols, CV_32FC1, p[c].data_ptr<float>()).clone());
    if (options.calibrated)
        applyClassBias(out, m_meta.classBias);
    return out;
}

} // namespace

std::unique_ptr<Predictor> makeLivePredictor(SegmentationNet model, CheckpointMeta meta, torch::Device device) {
    return std::make_unique<TorchPredictor>(std::move(model), std::move(meta), device);
}

std::unique_ptr<Predictor> Predictor::open(const std::string& runOrCheckpoint, const std::string& device,
                                           const std::string& precision) {
    return std::make_unique<TorchPredictor>(resolveCheckpoint(runOrCheckpoint), device, precision);
}

std::string resolveInferPrecision(const std::string& asked, bool cudaDevice, bool cpuHasBf16Units) {
    if (asked == "fp32" || asked == "bf16")
        return asked;
    if (asked != "auto")
        throw std::invalid_argument("unknown precision '" + asked + "' (auto | fp32 | bf16)");
    return !cudaDevice && cpuHasBf16Units ? "bf16" : "fp32";
}

PredictOptions asTrainedOptions(const CheckpointMeta& meta) { return optionsAsTrained(meta); }

} // namespace mf
