#include "models/efficientnetencoder.h"
#include "models/modelfactory.h"
#include "models/resnetencoder.h"
#include "models/torchvisionweights.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

// Debian's interpreter, where python3-torch and python3-torchvision are installed.
const char* const kPython = "/usr/bin/python3";

std::vector<torch::Tensor> loadTensorList(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<torch::Tensor> tensors;
    for (const auto& v : torch::pickle_load(bytes).toList())
        tensors.push_back(v.get().toTensor());
    return tensors;
}

class TorchvisionParity : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        const std::string probe = std::string(kPython) + " -c 'import torchvision' >/dev/null 2>&1";
        if (std::system(probe.c_str()) != 0) {
            s_skipReason = std::string(kPython) + " cannot import torchvision (install "
                           "python3-torchvision; the setup script does)";
            return;
        }
        s_dir = fs::temp_directory_path() / ("mf_tv_parity_" + std::to_string(::getpid()));
        fs::create_directories(s_dir);
        const std::string run = std::string(kPython) + " " MF_SOURCE_DIR
                                "/tests/models/torchvision_parity.py " + s_dir.string();
        s_scriptStatus = std::system(run.c_str());
    }
    static void TearDownTestSuite()
    {
        if (!s_dir.empty())
            fs::remove_all(s_dir);
    }
    void SetUp() override
    {
        if (!s_skipReason.empty())
            GTEST_SKIP() << s_skipReason;
        ASSERT_EQ(s_scriptStatus, 0) << "torchvision_parity.py failed";
    }
    static std::string weights(const std::string& name) { return (s_dir / (name + ".pt")).string(); }

    void expectParity(mf::EncoderImpl& encoder, const std::string& name)
    {
        const auto report = mf::loadTorchvisionStateDict(encoder, weights(name));
        EXPECT_FALSE(report.loaded.empty());
        const auto io = loadTensorList(s_dir / (name + "_io.pt"));
        ASSERT_EQ(io.size(), 6u);
        encoder.eval();
        torch::NoGradGuard noGrad;
        const auto features = encoder.forward(io[0]);
        ASSERT_EQ(features.size(), 6u);
        EXPECT_FALSE(features[0].defined());
        for (std::size_t level = 1; level < 6; ++level) {
            ASSERT_EQ(features[level].sizes(), io[level].sizes()) << name << " level " << level;
            const double diff = (features[level] - io[level]).abs().max().item<double>();
            EXPECT_LE(diff, 1e-4) << name << " level " << level;
            EXPECT_GT(io[level].abs().max().item<double>(), 0.1) << "trivial reference map";
            std::cout << name << " level " << level << ": max |diff| " << diff << ", max |ref| "
                      << io[level].abs().max().item<double>() << "\n";
        }
    }

    static inline fs::path s_dir;
    static inline std::string s_skipReason;
    static inline int s_scriptStatus = -1;
};

void expectThrowMentioning(const std::function<void()>& f, const std::vector<std::string>& parts)
{
    try {
        f();
        ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
        for (const auto& part : parts)
            EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
}

} // namespace

// One test per script run: ctest starts a process per test, and the script takes a while.
TEST_F(TorchvisionParity, EncoderFeaturesMatchTorchvision)
{
    mf::ResNetEncoder resnet18(mf::ResNetEncoderImpl::Options{18, 3, 5});
    expectParity(*resnet18, "resnet18");
    mf::ResNetEncoder resnet34(mf::ResNetEncoderImpl::Options{34, 3, 5});
    expectParity(*resnet34, "resnet34");
    mf::EfficientNetEncoder efficientnet(mf::EfficientNetEncoderImpl::Options{3, 5});
    expectParity(*efficientnet, "efficientnet_b0");
}

TEST_F(TorchvisionParity, LoadsIntoNetsAndReportsMismatches)
{
    mf::ModelSpec spec;
    spec.encoder = "resnet18";
    spec.width = 8;
    spec.depth = 4; // layer4 is not built, so its keys are dropped too
    auto net = mf::makeModel(spec);
    const auto report = mf::loadTorchvisionStateDict(*net, weights("resnet18"));
    for (const auto& name : report.loaded)
        EXPECT_EQ(name.rfind("encoder.", 0), 0u) << name;
    const auto dropped = report.dropped;
    EXPECT_NE(std::find(dropped.begin(), dropped.end(), "fc.weight"), dropped.end());
    EXPECT_NE(std::find(dropped.begin(), dropped.end(), "layer4.1.bn2.weight"), dropped.end());

    const auto r18 = weights("resnet18");
    mf::ResNetEncoder r34(mf::ResNetEncoderImpl::Options{34, 3, 5});
    expectThrowMentioning([&] { mf::loadTorchvisionStateDict(*r34, r18); },
                          {r18, "missing key", "layer1.2."});
    mf::ResNetEncoder oneChannel(mf::ResNetEncoderImpl::Options{18, 1, 5});
    expectThrowMentioning([&] { mf::loadTorchvisionStateDict(*oneChannel, r18); },
                          {r18, "shape mismatch", "conv1.weight"});
    mf::ResNetEncoder r18Encoder(mf::ResNetEncoderImpl::Options{18, 3, 5});
    const auto effnet = weights("efficientnet_b0");
    expectThrowMentioning([&] { mf::loadTorchvisionStateDict(*r18Encoder, effnet); },
                          {effnet, "unexpected key", "features.0.0.weight"});
    auto plain = mf::makeModel(mf::ModelSpec{});
    expectThrowMentioning([&] { mf::loadTorchvisionStateDict(*plain, r18); },
                          {r18, "not", "torchvision encoder"});
}

// Without Python: torch::pickle_save writes torch.save's zip format, here for a plain dict.
TEST(TorchStateDict, ReadsPlainDictAndNamesMissingFile)
{
    c10::Dict<std::string, torch::Tensor> dict;
    dict.insert("conv1.weight", torch::ones({2, 3}));
    dict.insert("bn1.num_batches_tracked", torch::tensor(7, torch::kLong));
    const auto bytes = torch::pickle_save(c10::IValue(dict));
    const auto path = fs::temp_directory_path() / ("mf_sd_" + std::to_string(::getpid()) + ".pt");
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    const auto tensors = mf::readTorchStateDict(path.string());
    fs::remove(path);
    ASSERT_EQ(tensors.size(), 2u);
    EXPECT_EQ(tensors[0].first, "conv1.weight");
    EXPECT_TRUE(torch::equal(tensors[0].second, torch::ones({2, 3})));
    EXPECT_EQ(tensors[1].second.item<std::int64_t>(), 7);
    expectThrowMentioning([] { mf::readTorchStateDict("/nonexistent/weights.pt"); },
                          {"/nonexistent/weights.pt"});
}
