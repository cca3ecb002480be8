#include "infer/batchnormfold.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace {

torch::nn::BatchNorm2d trainedBatchNorm(int channels) {
    torch::manual_seed(3);
    torch::nn::BatchNorm2d bn(torch::nn::BatchNorm2dOptions(channels).eps(1e-3));
    torch::NoGradGuard noGrad;
    bn->running_mean.uniform_(-1.0, 1.0);
    bn->running_var.uniform_(0.2, 3.0);
    bn->weight.uniform_(0.5, 2.0);
    bn->bias.uniform_(-0.5, 0.5);
    bn->eval();
    return bn;
}

} // namespace

TEST(BatchNormFold, FoldedConvolutionEqualsConvolutionThenBatchNorm) {
    for (bool withBias : {false, true}) {
        auto bn = trainedBatchNorm(6);
        torch::nn::Conv2d conv(torch::nn::Conv2dOptions(4, 6, 3).padding(1).bias(withBias));
        conv->eval();
        auto x = torch::randn({2, 4, 9, 7});
        torch::NoGradGuard noGrad;
        auto expected = bn->forward(conv->forward(x));
        auto folded = mf::foldBatchNorm(conv->weight, withBias ? conv->bias : torch::Tensor(), bn);
        auto actual = torch::conv2d(x, folded.weight, folded.bias, 1, 1);
        EXPECT_LT((actual - expected).abs().max().item<double>(), 1e-5) << "bias " << withBias;
        EXPECT_EQ(folded.weight.sizes(), conv->weight.sizes());
    }
}

TEST(BatchNormFold, RefusesMismatchedChannels) {
    auto bn = trainedBatchNorm(5);
    torch::nn::Conv2d conv(torch::nn::Conv2dOptions(4, 6, 3));
    EXPECT_THROW(mf::foldBatchNorm(conv->weight, torch::Tensor(), bn), std::invalid_argument);
}
