#include "train/boxlosses.h"

#include <limits>
#include <stdexcept>
#include <string>

namespace mf {
namespace {

using torch::indexing::Slice;

torch::Tensor asFloat(const torch::Tensor& t) { return t.scalar_type() == torch::kFloat ? t : t.to(torch::kFloat); }

void checkShapes(const torch::Tensor& logits, const torch::Tensor& boxes, const char* what) {
    if (logits.dim() != 4 || boxes.dim() != 4 || logits.sizes() != boxes.sizes())
        throw std::invalid_argument(std::string(what) + ": logits and box masks must both be N×C×H×W of one shape");
}

/** The parts of a and b that overlap when b is shifted by (dy, dx): a[y, x] pairs with b[y+dy, x+dx]. */
std::pair<torch::Tensor, torch::Tensor> shifted(const torch::Tensor& a, const torch::Tensor& b, int dy, int dx) {
    const int64_t h = a.size(-2), w = a.size(-1);
    auto range = [](int64_t n, int d, bool first) {
        const int64_t lo = first ? std::max<int64_t>(0, -d) : std::max<int64_t>(0, d);
        const int64_t hi = first ? std::min<int64_t>(n, n - d) : std::min<int64_t>(n, n + d);
        return Slice(lo, std::max(lo, hi));
    };
    return {a.index({"...", range(h, dy, true), range(w, dx, true)}),
            b.index({"...", range(h, dy, false), range(w, dx, false)})};
}

/** 1 − 2Σxy / (Σx² + Σy²) over the last dimension (BoxInst's dice_coefficient). */
torch::Tensor diceOfProjections(const torch::Tensor& x, const torch::Tensor& y) {
    const torch::Tensor inter = (x * y).sum(-1);
    const torch::Tensor union_ = (x * x).sum(-1) + (y * y).sum(-1);
    return 1.0 - 2.0 * inter / union_.clamp_min(1e-5);
}

} // namespace

std::vector<std::pair<int, int>> pairwiseOffsets(int dilation) {
    const int d = dilation;
    return {{-d, -d}, {-d, 0}, {-d, d}, {0, -d}, {0, d}, {d, -d}, {d, 0}, {d, d}};
}

torch::Tensor boxProjectionLoss(const torch::Tensor& logits, const torch::Tensor& boxes) {
    checkShapes(logits, boxes, "box projection loss");
    const torch::Tensor b = asFloat(boxes);
    const torch::Tensor valid = (b.sum(1, true) > 0).to(torch::kFloat);
    const torch::Tensor p = (torch::softmax(asFloat(logits), 1) * valid).slice(1, 1);  // N×(C−1)×H×W
    const torch::Tensor t = b.slice(1, 1);
    // Row projections (max over x) and column projections (max over y).
    const torch::Tensor lossY = diceOfProjections(std::get<0>(p.max(3)), std::get<0>(t.max(3)));
    const torch::Tensor lossX = diceOfProjections(std::get<0>(p.max(2)), std::get<0>(t.max(2)));
    const torch::Tensor has = (t.amax({2, 3}) > 0).to(torch::kFloat);  // N×(C−1): classes with a box
    return ((lossX + lossY) * has).sum() / has.sum().clamp_min(1.0);
}

torch::Tensor colorSimilarity(const torch::Tensor& lab, int dilation, double theta) {
    if (lab.dim() != 4 || lab.size(1) != 3)
        throw std::invalid_argument("colour similarity: expected N×3×H×W L*a*b* images");
    if (dilation < 1 || !(theta > 0))
        throw std::invalid_argument("colour similarity: the dilation and θ must be positive");
    const torch::Tensor x = asFloat(lab);
    torch::Tensor out = torch::zeros({x.size(0), 8, x.size(2), x.size(3)}, x.options());
    const auto offsets = pairwiseOffsets(dilation);
    for (std::size_t k = 0; k < offsets.size(); ++k) {
        const auto [dy, dx] = offsets[k];
        auto [a, b] = shifted(x, x, dy, dx);
        auto [slot, unused] = shifted(out.select(1, static_cast<int64_t>(k)), out.select(1, static_cast<int64_t>(k)), dy, dx);
        (void)unused;
        slot.copy_(torch::exp(-(a - b).pow(2).sum(1).sqrt() / theta));
    }
    return out;
}

torch::Tensor boxPairwiseLoss(const torch::Tensor& logits, const torch::Tensor& boxes, const torch::Tensor& similarity,
                              int dilation, double threshold) {
    checkShapes(logits, boxes, "box pairwise loss");
    if (similarity.dim() != 4 || similarity.size(1) != 8 || similarity.size(0) != logits.size(0) ||
        similarity.size(2) != logits.size(2) || similarity.size(3) != logits.size(3))
        throw std::invalid_argument("box pairwise loss: the colour similarity must be N×8×H×W of the logits' N, H, W");
    const torch::Tensor logp = torch::log_softmax(asFloat(logits), 1);
    const torch::Tensor inBox = (asFloat(boxes).slice(1, 1).sum(1) > 0).to(torch::kFloat);  // N×H×W
    const torch::Tensor sim = asFloat(similarity);
    const auto offsets = pairwiseOffsets(dilation);
    torch::Tensor sum = torch::zeros({}, logp.options());
    torch::Tensor count = torch::zeros({}, logp.options());
    for (std::size_t k = 0; k < offsets.size(); ++k) {
        const auto [dy, dx] = offsets[k];
        auto [li, lj] = shifted(logp, logp, dy, dx);
        auto [wi, unused] = shifted(inBox, inBox, dy, dx);
        (void)unused;
        auto [s, unused2] = shifted(sim.select(1, static_cast<int64_t>(k)), sim.select(1, static_cast<int64_t>(k)), dy, dx);
        (void)unused2;
        const torch::Tensor w = wi * (s >= threshold).to(torch::kFloat);
        // log Σ_c p_ic p_jc, stable in log space.
        const torch::Tensor logSame = torch::logsumexp(li + lj, 1);
        sum = sum + (-logSame * w).sum();
        count = count + w.sum();
    }
    return sum / count.clamp_min(1.0);
}

torch::Tensor boxExclusionLoss(const torch::Tensor& logits, const torch::Tensor& boxes) {
    checkShapes(logits, boxes, "box exclusion loss");
    const torch::Tensor b = asFloat(boxes);
    const torch::Tensor inBox = (b.slice(1, 1).sum(1) > 0).to(torch::kFloat);
    torch::Tensor allowed = b.clone();
    allowed.select(1, 0).fill_(1.0);  // background is possible everywhere inside a box
    const torch::Tensor logp = torch::log_softmax(asFloat(logits), 1);
    // log Σ_allowed p: logsumexp over the allowed classes (the others at −∞).
    const torch::Tensor masked = logp.masked_fill(allowed <= 0, -std::numeric_limits<float>::infinity());
    const torch::Tensor logAllowed = torch::logsumexp(masked, 1);
    return (-logAllowed * inBox).sum() / inBox.sum().clamp_min(1.0);
}

BoxSupervisionLoss::BoxSupervisionLoss(const TrainConfig& config)
    : m_projectionWeight(config.boxProjectionWeight), m_pairwiseWeight(config.boxPairwiseWeight),
      m_threshold(config.boxPairwiseThreshold), m_dilation(config.boxPairwiseDilation) {}

torch::Tensor BoxSupervisionLoss::operator()(const std::vector<torch::Tensor>& outputs, const torch::Tensor& boxes,
                                             const torch::Tensor& lab, const std::vector<std::int64_t>& samples,
                                             double ramp) const {
    if (outputs.empty())
        throw std::invalid_argument("box loss: no network outputs");
    const torch::Device device = outputs.front().device();
    if (samples.empty())
        return torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat).device(device));
    const torch::Tensor index = torch::tensor(samples, torch::kLong).to(device);
    const torch::Tensor b = boxes.to(device).index_select(0, index);
    torch::Tensor similarity;
    if (m_pairwiseWeight > 0 && ramp > 0)
        similarity = colorSimilarity(lab.to(device).index_select(0, index), m_dilation);
    torch::Tensor total = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat).device(device));
    for (const torch::Tensor& out : outputs) {
        torch::Tensor x = out.index_select(0, index);
        if (x.size(2) != b.size(2) || x.size(3) != b.size(3))
            x = torch::nn::functional::interpolate(
                x, torch::nn::functional::InterpolateFuncOptions()
                       .size(std::vector<int64_t>{b.size(2), b.size(3)})
                       .mode(torch::kBilinear)
                       .align_corners(false));
        if (m_projectionWeight > 0)
            total = total + m_projectionWeight * (boxProjectionLoss(x, b) + boxExclusionLoss(x, b));
        if (similarity.defined())
            total = total + m_pairwiseWeight * ramp * boxPairwiseLoss(x, b, similarity, m_dilation, m_threshold);
    }
    return total / static_cast<double>(outputs.size());
}

} // namespace mf
