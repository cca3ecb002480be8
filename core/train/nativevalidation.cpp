#include "train/nativevalidation.h"

#include "dist/dataparallel.h"
#include "train/sampler.h"
#include "io/errors.h"
#include "io/imageio.h"

#include <filesystem>
#include <numeric>

namespace mf {
namespace {

torch::Tensor logProbabilities(const Prediction& p) {
    const int classes = static_cast<int>(p.probabilities.size());
    const int h = p.labels.rows, w = p.labels.cols;
    auto out = torch::empty({1, classes, h, w}, torch::kFloat);
    for (int c = 0; c < classes; ++c) {
        const cv::Mat& m = p.probabilities[static_cast<std::size_t>(c)];
        std::memcpy(out[0][c].data_ptr<float>(), m.ptr<float>(), sizeof(float) * std::size_t(h) * w);
    }
    return out.clamp_min(1e-8f).log();  // a probability of exactly 0 would make an infinite CE term
}

torch::Tensor maskTensor(const cv::Mat& mask) {
    auto t = torch::from_blob(const_cast<uchar*>(mask.ptr<uchar>()), {1, mask.rows, mask.cols}, torch::kUInt8);
    return t.to(torch::kLong);
}

} // namespace

NativeValidation validateAtNativeResolution(Predictor& predictor, const std::vector<LoaderItem>& items,
                                            const SegmentationLoss& loss, int classCount, int ignoreIndex,
                                            dist::DataParallel* ddp) {
    torch::NoGradGuard noGrad;
    std::vector<std::size_t> all(items.size());
    std::iota(all.begin(), all.end(), std::size_t(0));
    const std::vector<std::size_t> mine =
        ddp ? dist::shardOf(all, ddp->rank(), ddp->worldSize(), false) : all;
    auto name = [&](std::size_t i) { return std::filesystem::path(items[i].image).stem().string(); };
    MetricsAccumulator acc(classCount, ignoreIndex);
    double lossSum = 0;
    PredictOptions asTrained;  // tile -1
    for (const std::size_t i : mine) {
        const LoaderItem& item = items[i];
        const cv::Mat rgb = readImageRgb(item.image);
        cv::Mat truth = readMask(item.mask, item.maskEncoding);
        if (truth.size() != rgb.size())
            throw FileError(item.mask, "the mask's size differs from its image " + item.image);
        if (!truth.isContinuous())
            truth = truth.clone();
        const Prediction p = predictor.predict(rgb, asTrained);
        lossSum += loss(logProbabilities(p), maskTensor(truth)).item<double>();
        acc.add(truth, p.labels, name(i));
    }
    if (ddp) {
        std::vector<std::string> names(items.size());
        for (std::size_t i = 0; i < items.size(); ++i)
            names[i] = name(i);
        acc = ddp->gather(acc, items.size(), names);
        lossSum = ddp->sum({lossSum})[0];
    }
    NativeValidation out;
    out.report = makeReport(acc);
    out.loss = items.empty() ? 0.0 : lossSum / double(items.size());
    return out;
}

} // namespace mf
