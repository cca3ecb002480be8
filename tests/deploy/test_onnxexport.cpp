// export-onnx + the OpenCV engine against LibTorch, architecture by architecture.
#include "deploy/onnxexport.h"
#include "deploy/onnxmodelinfo.h"
#include "deploy/opencvpredictor.h"
#include "io/errors.h"
#include "io/imageio.h"
#include "models/modelfactory.h"
#include "../testutil.h"
#include "models/checkpoint.h"
#include "infer/predictor.h"
#include "runs/trainconfig.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

using mf::ModelSpec;

ModelSpec spec(const std::string& arch, const std::string& encoder, int width, int depth, int classes = 3) {
    ModelSpec s;
    s.arch = arch;
    s.encoder = encoder;
    s.width = width;
    s.depth = depth;
    s.classes = classes;
    return s;
}

/** A network with random weights and random batch-norm statistics (so that folding matters),
 *  saved as a MaskForge checkpoint trained at `size`. */
mf::SegmentationNet savedNetwork(const ModelSpec& s, int size, const std::string& path, const std::string& configYaml = {}) {
    torch::manual_seed(11);
    auto net = mf::makeModel(s);
    torch::NoGradGuard noGrad;
    for (auto& m : net->modules(false))
        if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get())) {
            bn->running_mean.uniform_(-0.5, 0.5);
            bn->running_var.uniform_(0.5, 2.0);
            bn->weight.uniform_(0.5, 1.5);
            bn->bias.uniform_(-0.2, 0.2);
        }
    for (auto& p : net->named_parameters())
        if (p.key().find("norm.") != std::string::npos)
            p.value().uniform_(0.5, 1.5); // a LayerNorm that is not the identity
    net->eval();
    mf::CheckpointMeta meta;
    meta.spec = s;
    meta.size = size;
    meta.mean = {0.4, 0.5, 0.6};
    meta.std = {0.2, 0.25, 0.3};
    for (int c = 0; c < s.classes; ++c)
        meta.classNames.push_back("class" + std::to_string(c));
    meta.configYaml = configYaml;
    mf::saveCheckpoint(path, *net, nullptr, meta);
    return net;
}

cv::Mat blobOf(const torch::Tensor& x) {
    std::vector<int> dims(x.sizes().begin(), x.sizes().end());
    return cv::Mat(static_cast<int>(dims.size()), dims.data(), CV_32F, x.data_ptr<float>()).clone();
}

struct Comparison {
    double maxAbs = 0;
    double argmaxAgreement = 0;
};

/** LibTorch's and OpenCV's logits for one random input of h×w. */
Comparison compare(const mf::SegmentationNet& net, mf::deploy::OpenCvPredictor& engine, int h, int w) {
    torch::manual_seed(5);
    auto x = torch::randn({1, 3, h, w});
    torch::NoGradGuard noGrad;
    const auto expected = net->forward(x).contiguous();
    const cv::Mat out = engine.logits(blobOf(x));
    EXPECT_EQ(out.dims, 4);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(out.size[i], expected.size(i)) << "dim " << i;
    const auto got = torch::from_blob(const_cast<float*>(out.ptr<float>()), expected.sizes(), torch::kFloat);
    Comparison c;
    c.maxAbs = (got - expected).abs().max().item<double>();
    c.argmaxAgreement = (got.argmax(1) == expected.argmax(1)).to(torch::kDouble).mean().item<double>();
    return c;
}

struct Exported {
    mf::SegmentationNet net;
    std::string onnx;
};

Exported exportNetwork(const mf::test::TempDir& dir, const ModelSpec& s, int size, const std::string& configYaml = {}) {
    const auto checkpoint = dir / "model.pt";
    auto net = savedNetwork(s, size, checkpoint, configYaml);
    const auto onnx = dir / "model.onnx";
    const auto info = mf::deploy::exportOnnx(checkpoint, onnx);
    EXPECT_EQ(info.classes, s.classes);
    return {net, onnx};
}

void expectConvolutionalParity(const ModelSpec& s, int size, std::vector<std::pair<int, int>> sizes) {
    mf::test::TempDir dir;
    const auto e = exportNetwork(dir, s, size);
    mf::deploy::OpenCvPredictor engine(e.onnx);
    for (const auto& [h, w] : sizes) {
        const auto c = compare(e.net, engine, h, w);
        EXPECT_LE(c.maxAbs, 1e-4) << mf::describe(s) << " at " << h << "×" << w;
        std::cout << "[ measured ] " << mf::describe(s) << " " << h << "x" << w << ": max |Δlogit| = " << c.maxAbs
                  << ", argmax agreement " << c.argmaxAgreement << "\n";
    }
}

} // namespace

TEST(OnnxExport, EncoderDecoderMatchesLibTorch) {
    expectConvolutionalParity(spec("encdec", "plain", 8, 3), 32, {{32, 32}, {40, 56}});
}

TEST(OnnxExport, UNetMatchesLibTorch) {
    expectConvolutionalParity(spec("unet", "plain", 8, 3), 32, {{32, 32}, {48, 24}});
}

TEST(OnnxExport, UNetPlusPlusMatchesLibTorch) {
    expectConvolutionalParity(spec("unetpp", "plain", 8, 3), 32, {{32, 32}, {24, 40}});
}

TEST(OnnxExport, UNetPlusPlusDeepSupervisionExportsTheFinalHead) {
    auto s = spec("unetpp", "plain", 8, 2);
    s.deepSupervision = true;
    expectConvolutionalParity(s, 32, {{32, 32}});
}

TEST(OnnxExport, UNetOnResNet18MatchesLibTorch) {
    expectConvolutionalParity(spec("unet", "resnet18", 8, 3), 32, {{32, 32}, {40, 24}});
}

TEST(OnnxExport, UNetPlusPlusOnResNet34MatchesLibTorch) {
    expectConvolutionalParity(spec("unetpp", "resnet34", 8, 2), 32, {{32, 32}});
}

TEST(OnnxExport, UNetOnEfficientNetB0MatchesLibTorch) {
    expectConvolutionalParity(spec("unet", "efficientnet_b0", 8, 4), 32, {{32, 32}, {48, 32}});
}

TEST(OnnxExport, AttentionBottleneckAgreesWithLibTorch) {
    auto s = spec("unetpp", "plain", 16, 3);
    s.attention = true;
    s.attentionHeads = 4;
    mf::test::TempDir dir;
    const auto e = exportNetwork(dir, s, 64); // an 8×8 bottleneck: 64 tokens of 128 channels
    mf::deploy::OpenCvPredictor engine(e.onnx);
    EXPECT_EQ(engine.info().fixedSize, 64);
    const auto c = compare(e.net, engine, 64, 64);
    std::cout << "[ measured ] " << mf::describe(s) << " 64x64: max |Δlogit| = " << c.maxAbs
              << ", argmax agreement " << c.argmaxAgreement << "\n";
    EXPECT_GE(c.argmaxAgreement, 0.999);
    EXPECT_LE(c.maxAbs, 1e-3); // measured about 1e-5 (see README, Deployment)
    // The reshapes fix the token count: any other size is refused with a clear message.
    torch::manual_seed(1);
    EXPECT_THROW(engine.logits(blobOf(torch::randn({1, 3, 32, 32}))), std::invalid_argument);
}

TEST(OnnxExport, GraphHasNoIdentityPowOrConstantNodesAndDocumentsItsInterface) {
    auto s = spec("unetpp", "plain", 8, 2);
    s.attention = true;
    s.attentionHeads = 2;
    mf::test::TempDir dir;
    const auto e = exportNetwork(dir, s, 32);
    onnx::ModelProto model;
    std::ifstream in(e.onnx, std::ios::binary);
    ASSERT_TRUE(model.ParseFromIstream(&in));
    for (const auto& node : model.graph().node()) {
        EXPECT_NE(node.op_type(), "Identity");
        EXPECT_NE(node.op_type(), "Pow");
        EXPECT_NE(node.op_type(), "Constant");
        EXPECT_NE(node.op_type(), "BatchNormalization"); // folded into the convolutions
    }
    ASSERT_EQ(model.graph().input_size(), 1);
    EXPECT_EQ(model.graph().input(0).name(), "image");
    ASSERT_EQ(model.graph().output_size(), 1);
    EXPECT_EQ(model.graph().output(0).name(), "logits");
    const auto info = mf::deploy::readOnnxModelInfo(e.onnx);
    EXPECT_EQ(info.classes, 3);
    EXPECT_EQ(info.size, 32);
    EXPECT_EQ(info.sizeDivisor, 4);
    EXPECT_EQ(info.mean, (std::vector<double>{0.4, 0.5, 0.6}));
    EXPECT_EQ(info.classNames.at(2), "class2");
    EXPECT_NO_THROW(mf::deploy::checkOnnxFile(e.onnx));
}

TEST(OnnxExport, PythonOnnxCheckerAcceptsEveryArchitecture) {
    if (std::system("/usr/bin/python3 -c 'import onnx' 2>/dev/null") != 0)
        GTEST_SKIP() << "python3-onnx is not installed (scripts/setup.sh installs it)";
    auto attention = spec("unetpp", "plain", 8, 2);
    attention.attention = true;
    attention.attentionHeads = 2;
    for (const auto& s : {spec("encdec", "plain", 4, 2), spec("unet", "plain", 4, 2), spec("unetpp", "plain", 4, 2),
                          attention, spec("unet", "resnet18", 4, 2), spec("unet", "efficientnet_b0", 4, 2)}) {
        mf::test::TempDir dir;
        const auto e = exportNetwork(dir, s, 32);
        const std::string cmd = "/usr/bin/python3 -c 'import onnx, sys; "
                                "onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)' '" + e.onnx + "'";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << mf::describe(s);
    }
}

TEST(OnnxExport, OpenCvEngineTilesLikeTheLibTorchPredictor) {
    mf::test::TempDir dir;
    const auto e = exportNetwork(dir, spec("unet", "plain", 8, 2), 32);
    cv::Mat rgb(70, 90, CV_8UC3);
    cv::randu(rgb, 0, 255);
    auto reference = mf::Predictor::open(dir / "model.pt", "cpu", "fp32");
    mf::deploy::OpenCvPredictor engine(e.onnx);
    mf::PredictOptions resize, tiled, tiledTta;
    tiled.tile = 40;
    tiled.overlap = 12;
    tiledTta = tiled;
    tiledTta.flipTta = 1;
    for (const auto& o : {resize, tiled, tiledTta}) {
        const auto want = reference->predict(rgb, o);
        const auto got = engine.predict(rgb, o);
        ASSERT_EQ(got.probabilities.size(), want.probabilities.size());
        double worst = 0;
        for (std::size_t c = 0; c < want.probabilities.size(); ++c)
            worst = std::max(worst, cv::norm(got.probabilities[c], want.probabilities[c], cv::NORM_INF));
        EXPECT_LE(worst, 1e-4) << "tile " << o.tile << " tta " << o.flipTta;
        EXPECT_GE(1.0 - cv::countNonZero(got.labels != want.labels) / double(rgb.total()), 0.999);
    }
}

TEST(OnnxExport, KeepsTheRunsMirrorAveragingForTheOpenCvEngine) {
    mf::test::TempDir dir;
    mf::TrainConfig c;
    c.size = 32;
    c.predictFlip = true;
    const auto e = exportNetwork(dir, spec("unet", "plain", 8, 2), 32, mf::toYaml(c));
    mf::deploy::OpenCvPredictor engine(e.onnx);
    EXPECT_TRUE(engine.info().predictFlip);
    EXPECT_EQ(engine.asTrained().flipTta, 1);
    cv::Mat rgb(40, 52, CV_8UC3);
    cv::randu(rgb, 0, 255);
    auto reference = mf::Predictor::open(dir / "model.pt", "cpu", "fp32");
    mf::PredictOptions asTrained, off;
    off.flipTta = 0;
    const auto want = reference->predict(rgb, asTrained);  // the run's predict_flip: mirrored
    const auto got = engine.predict(rgb, asTrained);
    EXPECT_LE(cv::norm(got.probabilities[1], want.probabilities[1], cv::NORM_INF), 1e-4);
    EXPECT_GT(cv::norm(engine.predict(rgb, off).probabilities[1], got.probabilities[1], cv::NORM_INF), 1e-4);
}

TEST(OnnxExport, RefusesFilesThatAreNotMaskForgeModels) {
    mf::test::TempDir dir;
    const auto junk = dir / "junk.onnx";
    std::ofstream(junk) << "not a protobuf at all \x01\x02";
    EXPECT_THROW(mf::deploy::OpenCvPredictor{junk}, mf::FileError);
    EXPECT_THROW(mf::deploy::OpenCvPredictor{dir / "missing.onnx"}, mf::FileError);
    try {
        mf::deploy::readOnnxModelInfo(junk);
        FAIL() << "no error";
    } catch (const mf::FileError& e) {
        EXPECT_EQ(e.file(), junk);
    }
}

TEST(OnnxExport, AFailedExportLeavesNoFile) {
    mf::test::TempDir dir;
    EXPECT_THROW(mf::deploy::exportOnnx(dir / "missing.pt", dir / "out.onnx"), mf::FileError);
    EXPECT_FALSE(std::filesystem::exists(dir / "out.onnx"));
}

#ifdef MF_CLI_PATH
TEST(OnnxExport, CliExportThenPredictWithOpenCvMatchesLibTorchMasks) {
    mf::test::TempDir dir;
    savedNetwork(spec("unet", "plain", 8, 2), 32, dir / "model.pt");
    cv::Mat rgb(45, 60, CV_8UC3);
    cv::randu(rgb, 0, 255);
    cv::GaussianBlur(rgb, rgb, cv::Size(9, 9), 3); // smooth regions, so that masks are not noise
    std::filesystem::create_directories(dir / "in");
    ASSERT_TRUE(cv::imwrite(dir / "in/a.png", rgb));
    const std::string cli = MF_CLI_PATH;
    const auto run = [&](const std::string& args) { return std::system((cli + " " + args + " > /dev/null").c_str()); };
    ASSERT_EQ(run("export-onnx --run '" + (dir / "model.pt") + "' --out '" + (dir / "model.onnx") + "'"), 0);
    ASSERT_EQ(run("predict --engine opencv --run '" + (dir / "model.onnx") + "' --input '" + (dir / "in")
                  + "' --out '" + (dir / "cv") + "' --tile 32 --overlap 8"), 0);
    ASSERT_EQ(run("predict --run '" + (dir / "model.pt") + "' --input '" + (dir / "in") + "' --out '" + (dir / "lt")
                  + "' --tile 32 --overlap 8 --device cpu"), 0);
    const cv::Mat a = mf::readMask(dir / "cv/a.png", mf::MaskEncoding::Index), b = mf::readMask(dir / "lt/a.png", mf::MaskEncoding::Index);
    ASSERT_FALSE(a.empty());
    ASSERT_EQ(a.size(), b.size());
    EXPECT_GE(1.0 - cv::countNonZero(a != b) / double(a.total()), 0.999);
    // A checkpoint given to the OpenCV engine is refused with the file named.
    EXPECT_NE(run("predict --engine opencv --run '" + (dir / "model.pt") + "' --input '" + (dir / "in") + "' --out '"
                  + (dir / "bad") + "' 2> '" + (dir / "err.txt") + "'"), 0);
    std::ifstream err(dir / "err.txt");
    const std::string message((std::istreambuf_iterator<char>(err)), {});
    EXPECT_NE(message.find("model.pt"), std::string::npos) << message;
}
#endif
