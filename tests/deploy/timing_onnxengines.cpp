// Inference time of the OpenCV engine against LibTorch, one 256×256 image per architecture.
// Disabled in CTest (a measurement, not a check); run it by hand:
//   build/tests/test_deploy --gtest_also_run_disabled_tests --gtest_filter='OnnxTiming.*'
#include "deploy/onnxexport.h"
#include "deploy/opencvpredictor.h"
#include "models/modelfactory.h"
#include "../testutil.h"
#include "models/checkpoint.h"

#include <gtest/gtest.h>
#include <opencv2/core/utility.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <fstream>

namespace {

double millis(const std::function<void()>& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string one;
    in >> one;
    return one;
}

} // namespace

TEST(OnnxTiming, DISABLED_EngineSpeedPerArchitecture) {
    const int size = 256, reps = 7;
    const int threads = std::max(1, std::atoi(std::getenv("MF_TIMING_THREADS") ? std::getenv("MF_TIMING_THREADS") : "1"));
    torch::set_num_threads(threads);
    cv::setNumThreads(threads);
    std::vector<mf::ModelSpec> specs(5);
    specs[0].arch = "encdec";
    specs[1].arch = "unet";
    specs[2].arch = "unetpp";
    specs[3].arch = "unetpp";
    specs[3].attention = true;
    specs[4].arch = "unet";
    specs[4].encoder = "resnet18";
    std::printf("threads %d, input 1x3x%dx%d, median of %d, load average %s\n", threads, size, size, reps,
                loadAverage().c_str());
    for (auto s : specs) {
        s.width = 32;
        s.depth = 4;
        mf::test::TempDir dir;
        auto net = mf::makeModel(s);
        net->eval();
        mf::CheckpointMeta meta;
        meta.spec = s;
        meta.size = size;
        meta.classNames.assign(static_cast<std::size_t>(s.classes), "c");
        mf::saveCheckpoint(dir / "m.pt", *net, nullptr, meta);
        mf::deploy::exportOnnx(dir / "m.pt", dir / "m.onnx");
        mf::deploy::OpenCvPredictor engine(dir / "m.onnx");
        auto x = torch::randn({1, 3, size, size});
        std::vector<int> dims{1, 3, size, size};
        const cv::Mat blob(4, dims.data(), CV_32F, x.data_ptr<float>());
        torch::NoGradGuard noGrad;
        net->forward(x);
        engine.logits(blob);
        std::vector<double> lt, cvt;
        for (int r = 0; r < reps; ++r) { // alternate, so that both see the same machine load
            lt.push_back(millis([&] { net->forward(x); }));
            cvt.push_back(millis([&] { engine.logits(blob); }));
        }
        std::printf("%-50s libtorch %8.1f ms  opencv %8.1f ms  ratio %.2f  (load %s)\n", mf::describe(s).c_str(),
                    median(lt), median(cvt), median(cvt) / median(lt), loadAverage().c_str());
    }
}
