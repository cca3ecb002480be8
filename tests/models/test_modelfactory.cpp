#include "models/modelfactory.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace mf {
// Keeps gtest from printing a ModelSpec as a byte dump in test names and failures.
void PrintTo(const ModelSpec& spec, std::ostream* os)
{
    *os << describe(spec);
}
} // namespace mf

namespace {

std::vector<mf::ModelSpec> smallSpecs(bool everyArchOnEveryEncoder = true)
{
    std::vector<mf::ModelSpec> specs;
    auto add = [&](std::string arch, std::string encoder, int depth, bool attention = false,
                   bool deepSupervision = false) {
        mf::ModelSpec s;
        s.arch = std::move(arch);
        s.encoder = std::move(encoder);
        s.width = 8;
        s.depth = depth;
        s.attention = attention;
        s.deepSupervision = deepSupervision;
        specs.push_back(s);
    };
    add("encdec", "plain", 3);
    add("unet", "plain", 3);
    add("unetpp", "plain", 3);
    add("unetpp", "plain", 2, true, true);
    for (const char* encoder : {"resnet18", "resnet34", "efficientnet_b0"}) {
        add("unet", encoder, 5);
        if (!everyArchOnEveryEncoder)
            continue;
        add("encdec", encoder, 3);
        add("unetpp", encoder, 4, true, true);
    }
    return specs;
}

torch::Tensor lossOf(mf::SegmentationNetImpl& net, const torch::Tensor& x, const torch::Tensor& t)
{
    torch::Tensor loss = torch::zeros({});
    for (const auto& logits : net.forwardAll(x))
        loss = loss + torch::nn::functional::cross_entropy(logits, t);
    return loss;
}

std::string testName(const ::testing::TestParamInfo<mf::ModelSpec>& p)
{
    const auto& s = p.param;
    return s.arch + "_" + s.encoder + (s.attention ? "_attn" : "") + (s.deepSupervision ? "_ds" : "");
}

class EachModel : public ::testing::TestWithParam<mf::ModelSpec> {};
// Training is the slow part: every plain variant, and each pretrained encoder under a U-Net.
class EachModelTraining : public ::testing::TestWithParam<mf::ModelSpec> {};

} // namespace

TEST_P(EachModel, OutputShapeForDivisibleSizes)
{
    auto net = mf::makeModel(GetParam());
    net->eval();
    torch::NoGradGuard noGrad;
    const int k = net->sizeDivisor();
    auto y = net->forward(torch::randn({2, 3, 2 * k, 3 * k}));
    EXPECT_EQ(y.sizes(), (std::vector<std::int64_t>{2, 2, 2 * k, 3 * k}));
    for (const auto& out : net->forwardAll(torch::randn({1, 3, k, k})))
        EXPECT_EQ(out.sizes(), (std::vector<std::int64_t>{1, 2, k, k}));
}

TEST_P(EachModelTraining, AdamStepsLowerTheLoss)
{
    torch::manual_seed(0);
    auto net = mf::makeModel(GetParam());
    net->train();
    const int k = std::max(net->sizeDivisor(), 16);
    auto x = torch::randn({2, 3, k, k});
    auto t = torch::randint(0, 2, {2, k, k}, torch::kLong);
    torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
    const double first = lossOf(*net, x, t).item<double>();
    double last = first;
    for (int step = 0; step < 5; ++step) {
        adam.zero_grad();
        auto loss = lossOf(*net, x, t);
        loss.backward();
        adam.step();
        last = loss.item<double>();
    }
    EXPECT_LT(last, first) << mf::describe(GetParam());
}

TEST_P(EachModel, ArchiveRoundTripKeepsOutputs)
{
    torch::manual_seed(1);
    auto a = mf::makeModel(GetParam());
    auto b = mf::makeModel(GetParam());
    const auto path = std::filesystem::temp_directory_path()
                      / ("mf_model_" + std::to_string(::getpid()) + ".pt");
    torch::serialize::OutputArchive out;
    a->save(out);
    out.save_to(path.string());
    torch::serialize::InputArchive in;
    in.load_from(path.string());
    b->load(in);
    std::filesystem::remove(path);
    a->eval();
    b->eval();
    torch::NoGradGuard noGrad;
    const int k = a->sizeDivisor();
    auto x = torch::randn({1, 3, k, k});
    EXPECT_TRUE(torch::equal(a->forward(x), b->forward(x)));
}

INSTANTIATE_TEST_SUITE_P(Models, EachModel, ::testing::ValuesIn(smallSpecs()), testName);
INSTANTIATE_TEST_SUITE_P(Models, EachModelTraining, ::testing::ValuesIn(smallSpecs(false)),
                         testName);

TEST(ModelFactory, RejectsBadFieldsByName)
{
    auto expectBad = [](auto mutate, const std::string& field) {
        mf::ModelSpec s;
        mutate(s);
        try {
            mf::makeModel(s);
            ADD_FAILURE() << "no throw for " << field;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("ModelSpec." + field), std::string::npos) << e.what();
        }
    };
    expectBad([](auto& s) { s.arch = "segformer"; }, "arch");
    expectBad([](auto& s) { s.encoder = "vgg"; }, "encoder");
    expectBad([](auto& s) { s.classes = 0; }, "classes");
    expectBad([](auto& s) { s.width = 0; }, "width");
    expectBad([](auto& s) { s.depth = 0; }, "depth");
    expectBad([](auto& s) { s.inChannels = 0; }, "inChannels");
    expectBad([](auto& s) { s.attention = true; }, "attention");
    expectBad([](auto& s) { s.deepSupervision = true; }, "deepSupervision");
}

TEST(ModelFactory, DescribeAndCount)
{
    mf::ModelSpec s;
    EXPECT_EQ(mf::describe(s), "unet(plain, w=32, d=4, C=2)");
    EXPECT_EQ(mf::parameterCount(*mf::makeModel(s)), 7849634);
    s.arch = "encdec";
    EXPECT_EQ(mf::parameterCount(*mf::makeModel(s)), 7066274);
}
