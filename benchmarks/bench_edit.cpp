// Brush dabs, stroke commits and undo-step memory on a 4096x4096 mask (core only).
#include "edit/maskeditor.h"

#include <benchmark/benchmark.h>

#include <cmath>

namespace {

constexpr int kSize = 4096;

void BM_BrushDab(benchmark::State& state) {
    mf::MaskEditor editor;
    editor.reset(cv::Mat::zeros(kSize, kSize, CV_8UC1));
    const float radius = static_cast<float>(state.range(0));
    int i = 0;
    for (auto _ : state) {
        const cv::Point2f c(200.0f + (i * 37) % 3600, 200.0f + (i * 91) % 3600);
        editor.touch(editor.painter().dab(c, radius, static_cast<std::uint8_t>(1 + i % 3)));
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BrushDab)->Arg(4)->Arg(16)->Arg(64);

/** A 400-pixel diagonal stroke of 40 segments and its commit into one undo step. */
void BM_StrokeAndCommit(benchmark::State& state) {
    mf::MaskEditor editor;
    editor.reset(cv::Mat::zeros(kSize, kSize, CV_8UC1));
    const float radius = static_cast<float>(state.range(0));
    std::size_t bytes = 0, changed = 0;
    int n = 0;
    for (auto _ : state) {
        const float x0 = 300.0f + (n % 8) * 400, y0 = 300.0f + (n / 8 % 8) * 400;
        for (int s = 0; s < 40; ++s)
            editor.touch(editor.painter().segment({x0 + s * 10.0f, y0 + s * 10.0f}, {x0 + s * 10.0f + 10, y0 + s * 10.0f + 10},
                                                  radius, static_cast<std::uint8_t>(1 + n % 2)));
        editor.commit("stroke");
        bytes += editor.lastStepBytes();
        changed += 1;
        ++n;
    }
    // Memory of one undo step against the pixels it changed (a fresh stroke on background).
    mf::MaskEditor one;
    one.reset(cv::Mat::zeros(kSize, kSize, CV_8UC1));
    for (int s = 0; s < 40; ++s)
        one.touch(one.painter().segment({300.0f + s * 10, 300.0f + s * 10}, {310.0f + s * 10, 310.0f + s * 10}, radius, 1));
    const double pixels = cv::countNonZero(one.mask());
    one.commit("stroke");
    state.counters["step_bytes"] = static_cast<double>(one.lastStepBytes());
    state.counters["changed_px"] = pixels;
    state.counters["bytes_per_px"] = one.lastStepBytes() / pixels;
    const double side = 410.0 + 2 * std::round(radius);
    state.counters["rect_px"] = side * side;  // what before/after patches of the bounding rect would hold, per patch
    benchmark::DoNotOptimize(bytes + changed);
}
BENCHMARK(BM_StrokeAndCommit)->Arg(4)->Arg(16)->Arg(64)->Unit(benchmark::kMicrosecond);

void BM_UndoRedo(benchmark::State& state) {
    mf::MaskEditor editor;
    editor.reset(cv::Mat::zeros(kSize, kSize, CV_8UC1));
    for (int s = 0; s < 40; ++s)
        editor.touch(editor.painter().segment({300.0f + s * 10, 300.0f + s * 10}, {310.0f + s * 10, 310.0f + s * 10}, 16, 1));
    editor.commit("stroke");
    for (auto _ : state) {
        editor.undo();
        editor.redo();
    }
}
BENCHMARK(BM_UndoRedo)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
