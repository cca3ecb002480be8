// The live classifier's latencies on a 1-megapixel image (core only): the features computed when an
// image opens, and the update after a stroke (train on the strokes + predict the whole image).
// The image is four ISBI-2012 membrane slices (512x512 EM, ../shared) side by side when present, a
// synthetic scene otherwise; strokes are 3-pixel lines of the true mask every 96 rows, as a person
// sweeping across the image would paint them. The update's IoU against the true mask is reported too.
#include "classify/liveclassifier.h"
#include "io/imageio.h"

#include <benchmark/benchmark.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>

namespace {

struct Data {
    cv::Mat image, truth, strokes;
};

const Data& data() {
    static const Data d = [] {
        Data out;
        const std::string dir = std::string(MF_SHARED_DIR) + "/datasets/isbi2012-membrane";
        std::vector<cv::Mat> imgs, masks;
        for (int i = 0; i < 4 && std::filesystem::exists(dir); ++i) {
            cv::Mat rgb = mf::readImageRgb(dir + "/images/" + std::to_string(i) + ".png"), grey;
            cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
            imgs.push_back(grey);
            masks.push_back(mf::readMask(dir + "/masks/" + std::to_string(i) + ".png", mf::MaskEncoding::Binary255));
        }
        if (imgs.size() == 4) {
            cv::Mat top, bottom, mt, mb;
            cv::hconcat(imgs[0], imgs[1], top);
            cv::hconcat(imgs[2], imgs[3], bottom);
            cv::vconcat(top, bottom, out.image);
            cv::hconcat(masks[0], masks[1], mt);
            cv::hconcat(masks[2], masks[3], mb);
            cv::vconcat(mt, mb, out.truth);
        } else {
            out.truth = cv::Mat(1024, 1024, CV_8UC1, cv::Scalar(0));
            for (int i = 0; i < 40; ++i)
                cv::circle(out.truth, {(i * 379) % 1024, (i * 613) % 1024}, 20 + i % 30, 1, cv::FILLED);
            out.truth.convertTo(out.image, CV_8U, 80, 80);
            cv::Mat noise(out.image.size(), CV_8UC1);
            cv::randn(noise, 0, 20);
            out.image += noise;
        }
        out.strokes = cv::Mat(out.image.size(), CV_8UC1, cv::Scalar(255));
        for (int y = 48; y < out.image.rows; y += 96)
            out.truth.rowRange(y - 1, y + 2).copyTo(out.strokes.rowRange(y - 1, y + 2));
        return out;
    }();
    return d;
}

void BM_LiveFeatures(benchmark::State& state) {
    for (auto _ : state) {
        mf::LiveClassifier live(data().image);
        live.computeFeatures();
        benchmark::DoNotOptimize(live.features().cachedTiles());
    }
    state.counters["megapixels"] = data().image.total() / 1e6;
}
BENCHMARK(BM_LiveFeatures)->Unit(benchmark::kMillisecond)->Iterations(3)->MeasureProcessCPUTime()->UseRealTime();

/** An update after a stroke: train (trees, maximum depth, samples per class: the args) and predict
 *  every pixel. */
void BM_LiveUpdate(benchmark::State& state) {
    mf::LiveClassifierOptions o;
    o.forest.trees = static_cast<int>(state.range(0));
    o.forest.maxDepth = static_cast<int>(state.range(1));
    o.maxSamplesPerClass = static_cast<int>(state.range(2));
    mf::LiveClassifier live(data().image, o);
    live.computeFeatures();
    double iou = 0, iou0 = 0, trainMs = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        live.train(data().strokes);
        trainMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        const mf::LivePrediction p = live.predict();
        const cv::Mat a = p.labels == 1, b = data().truth == 1;
        iou = cv::countNonZero(a & b) / std::max(1.0, static_cast<double>(cv::countNonZero(a | b)));
        const cv::Mat a0 = p.labels == 0, b0 = data().truth == 0;
        iou0 = cv::countNonZero(a0 & b0) / std::max(1.0, static_cast<double>(cv::countNonZero(a0 | b0)));
    }
    state.counters["train_ms"] = trainMs / static_cast<double>(state.iterations());
    state.counters["iou_class1"] = iou;   // ISBI: cell interiors
    state.counters["iou_class0"] = iou0;  // ISBI: membranes
}
BENCHMARK(BM_LiveUpdate)->Args({16, 14, 3000})->Args({8, 14, 3000})->Args({8, 10, 1000})->Args({16, 10, 1000})->Args({4, 10, 1000})->Unit(benchmark::kMillisecond)->Iterations(5)->MeasureProcessCPUTime()->UseRealTime();

/** Prediction of every pixel alone (8 trees of depth 10, the live default), after one training. */
void BM_LivePredict(benchmark::State& state) {
    mf::LiveClassifier live(data().image);
    live.computeFeatures();
    live.train(data().strokes);
    for (auto _ : state)
        benchmark::DoNotOptimize(live.predict().complete);
}
BENCHMARK(BM_LivePredict)->Unit(benchmark::kMillisecond)->Iterations(5)->MeasureProcessCPUTime()->UseRealTime();

/** Gathering the stroke samples alone (what caching them across updates would save). */
void BM_LiveStrokeSamples(benchmark::State& state) {
    mf::LiveClassifier live(data().image);
    live.computeFeatures();
    for (auto _ : state)
        benchmark::DoNotOptimize(live.strokeSamples(data().strokes).size());
}
BENCHMARK(BM_LiveStrokeSamples)->Unit(benchmark::kMillisecond)->Iterations(5)->MeasureProcessCPUTime()->UseRealTime();

/** Training alone, with `arg 0` samples per class at most. */
void BM_LiveTrain(benchmark::State& state) {
    mf::LiveClassifierOptions o;
    o.maxSamplesPerClass = static_cast<int>(state.range(0));
    mf::LiveClassifier live(data().image, o);
    live.computeFeatures();
    for (auto _ : state)
        live.train(data().strokes);
}
BENCHMARK(BM_LiveTrain)->Arg(3000)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(5)->MeasureProcessCPUTime()->UseRealTime();

} // namespace

BENCHMARK_MAIN();
