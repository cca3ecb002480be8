#include "interactive/clickprior.h"

#include "interactive/clickprotocol.h"

#include <algorithm>
#include <stdexcept>

namespace mf {

cv::Mat sampleTruth(const ClickSample& sample) {
    cv::Mat truth = cv::Mat::zeros(sample.image.size(), CV_8UC1);
    for (const ClickObject& o : sample.objects) {
        truth.setTo(kIgnoreLabel, o.truth == kIgnoreLabel);
        truth.setTo(1, o.truth == 1);
    }
    return truth;
}

ClassifierPrior ClassifierPrior::train(const std::vector<ClickSample>& training, const ClassifierPriorOptions& options) {
    ClassifierPrior out;
    out.m_options = options;
    LabelledSamples all;
    double objectPixels = 0, backgroundPixels = 0;
    for (const ClickSample& s : training) {
        // The truth is the stroke map: 0 background, 1 object, 255 (ignore) not a stroke.
        const cv::Mat truth = sampleTruth(s);
        objectPixels += cv::countNonZero(truth == 1);
        backgroundPixels += cv::countNonZero(truth == 0);
        LiveClassifier classifier(s.image, options.classifier);
        all.append(classifier.strokeSamples(truth));
        ++out.m_images;
    }
    out.m_samples = all.size();
    const double objectSamples = static_cast<double>(std::count(all.labels.begin(), all.labels.end(), 1));
    const double backgroundSamples = static_cast<double>(std::count(all.labels.begin(), all.labels.end(), 0));
    if (options.calibrate && objectSamples > 0 && backgroundSamples > 0 && backgroundPixels > 0)
        out.m_oddsScale = (objectPixels / backgroundPixels) / (objectSamples / backgroundSamples);
    out.m_forest = trainLiveForest(all, options.classifier);
    if (!out.m_forest)
        throw std::invalid_argument("the classifier prior needs object and background pixels in its training images");
    return out;
}

ClassifierPrior ClassifierPrior::trainOnSplit(const std::string& dir, const std::string& split, const std::string& benchSplit,
                                              const ClassifierPriorOptions& options) {
    if (split.empty() || split == benchSplit)
        throw std::invalid_argument("the classifier prior learns from the images of another split than the benchmark's ('" +
                                    benchSplit + "'): got '" + split + "'");
    ClickDataOptions data;
    data.split = split;  // whole masks: the union of an image's objects against its background
    return train(loadClickData(dir, data), options);
}

cv::Mat objectProbability(const cv::Mat& probs, const std::vector<int>& classes, cv::Size size, double oddsScale) {
    const auto found = std::find(classes.begin(), classes.end(), 1);
    cv::Mat out(size, CV_32FC1, cv::Scalar(0));
    if (found == classes.end())
        return out;
    const int column = static_cast<int>(found - classes.begin());
    for (int y = 0, i = 0; y < size.height; ++y) {
        float* p = out.ptr<float>(y);
        for (int x = 0; x < size.width; ++x, ++i) {
            const double q = probs.at<float>(i, column);
            p[x] = static_cast<float>(oddsScale * q / (oddsScale * q + (1.0 - q)));
        }
    }
    return out;
}

cv::Mat ClassifierPrior::predict(const cv::Mat& image) const {
    const FeatureStack features = computeFeatures(image, m_options.classifier.features);
    const cv::Rect all({0, 0}, image.size());
    const cv::Mat probs = m_forest->probabilities(features.planes(), all);
    return objectProbability(probs, m_forest->classes(), image.size(), m_oddsScale);
}

cv::Mat classPrior(const std::vector<cv::Mat>& probabilities, int classId, cv::Size size) {
    if (classId < 0 || classId >= static_cast<int>(probabilities.size()))
        return {};
    const cv::Mat& p = probabilities[static_cast<std::size_t>(classId)];
    if (p.size() != size || p.type() != CV_32FC1)
        return {};
    return p;
}

cv::Mat objectsPrior(const std::vector<cv::Mat>& probabilities, const ClickSample& sample) {
    cv::Mat out = cv::Mat::zeros(sample.image.size(), CV_32FC1);
    for (const ClickObject& o : sample.objects) {
        const cv::Mat p = classPrior(probabilities, o.classId, sample.image.size());
        if (!p.empty())
            cv::max(out, p, out);
    }
    return out;
}

double priorIoU(const cv::Mat& prior, const cv::Mat& truth) {
    const cv::Mat predicted = prior >= 0.5f;
    const cv::Mat counted = truth != kIgnoreLabel;
    const int inter = cv::countNonZero(predicted & (truth == 1));
    const int uni = cv::countNonZero((predicted & counted) | (truth == 1));
    return uni > 0 ? static_cast<double>(inter) / uni : 1.0;
}

} // namespace mf
