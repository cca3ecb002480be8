#include "classify/featurebank.h"
#include "classify/pixelforest.h"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <set>

using namespace mf;

TEST(FeatureBank, IlastikSetAtEverySigma) {
    const cv::Mat img(40, 50, CV_8UC1, cv::Scalar(100));
    const FeatureStack f = computeFeatures(img);
    // Gaussian at 7 σ; LoG, gradient, DoG, 2 structure-tensor and 2 Hessian eigenvalues at 6.
    EXPECT_EQ(f.channels(), 7 + 6 * 7);
    EXPECT_EQ(f.size(), img.size());
    EXPECT_EQ(std::set<std::string>(f.names().begin(), f.names().end()).size(), f.names().size());
    // A flat image: smoothing keeps the value, every derivative is zero.
    for (int c = 0; c < f.channels(); ++c) {
        const double v = f.planes()[static_cast<std::size_t>(c)].at<float>(20, 25);
        EXPECT_NEAR(v, f.names()[static_cast<std::size_t>(c)].rfind("gauss", 0) == 0 ? 100.0 : 0.0, 1e-2)
            << f.names()[static_cast<std::size_t>(c)];
    }
}

TEST(FeatureBank, DerivativesMeasureSlopeAndCurvature) {
    // A ramp of slope 2 along x: gradient magnitude 2 at every σ (far from the border).
    cv::Mat ramp(80, 120, CV_8UC1);
    for (int y = 0; y < ramp.rows; ++y)
        for (int x = 0; x < ramp.cols; ++x)
            ramp.at<uchar>(y, x) = static_cast<uchar>(2 * x);
    const FeatureStack f = computeFeatures(ramp, {{0.3, 1.0, 3.5}});
    for (std::size_t c = 0; c < f.names().size(); ++c)
        if (f.names()[c].rfind("gradient", 0) == 0) {
            EXPECT_NEAR(f.planes()[c].at<float>(40, 60), 2.0, 0.05) << f.names()[c];
        }
    // A dark line: the Hessian's largest eigenvalue there is clearly positive (a valley), LoG too.
    cv::Mat line(60, 60, CV_8UC1, cv::Scalar(150));
    line.col(30).setTo(50);
    const FeatureStack g = computeFeatures(line, {{0.3, 1.0}});
    for (std::size_t c = 0; c < g.names().size(); ++c)
        if (g.names()[c] == "hessian max 1.0" || g.names()[c] == "LoG 1.0") {
            EXPECT_GT(g.planes()[c].at<float>(30, 30), 5.0F) << g.names()[c];
        }
}

TEST(FeatureBank, SamplesAreRowsOfThePlanes) {
    cv::Mat img(30, 30, CV_8UC1);
    cv::randu(img, 0, 255);
    const FeatureStack f = computeFeatures(img);
    const cv::Mat byPoint = f.samples(std::vector<cv::Point>{{3, 4}, {20, 10}});
    const cv::Mat byRect = f.samples(cv::Rect(20, 10, 2, 1));
    ASSERT_EQ(byPoint.cols, f.channels());
    ASSERT_EQ(byRect.rows, 2);
    for (int c = 0; c < f.channels(); ++c) {
        EXPECT_EQ(byPoint.at<float>(0, c), f.planes()[static_cast<std::size_t>(c)].at<float>(4, 3));
        EXPECT_EQ(byPoint.at<float>(1, c), byRect.at<float>(0, c));
    }
    EXPECT_THROW(computeFeatures(cv::Mat()), std::invalid_argument);
}

TEST(PixelForest, LearnsSeparableClassesWithProbabilities) {
    cv::Mat samples(200, 3, CV_32F);
    cv::randu(samples, 0, 1);
    std::vector<int> labels;
    for (int r = 0; r < samples.rows; ++r) {
        const int label = r % 2 ? 4 : 0;
        samples.at<float>(r, 1) += static_cast<float>(label);  // feature 1 separates them
        labels.push_back(label);
    }
    PixelForest forest;
    EXPECT_FALSE(forest.trained());
    forest.train(samples, labels, {});
    ASSERT_EQ(forest.classes(), (std::vector<int>{0, 4}));
    cv::Mat probe = (cv::Mat_<float>(2, 3) << 0.5F, 0.5F, 0.5F, 0.5F, 4.5F, 0.5F);
    const cv::Mat p = forest.probabilities(probe);
    EXPECT_GT(p.at<float>(0, 0), 0.9F);
    EXPECT_GT(p.at<float>(1, 1), 0.9F);
    EXPECT_NEAR(p.at<float>(0, 0) + p.at<float>(0, 1), 1.0F, 1e-5);
    EXPECT_THROW(forest.train(samples, std::vector<int>(200, 1)), std::invalid_argument);
    EXPECT_THROW(forest.probabilities(cv::Mat(1, 2, CV_32F)), std::invalid_argument);
}
