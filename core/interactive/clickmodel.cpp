#include "interactive/clickmodel.h"

#include "classify/liveclassifier.h"
#include "interactive/clickbench.h"
#include "interactive/clickprior.h"
#include "interactive/clickprotocol.h"
#include "interactive/geodesic.h"
#include "interactive/segmenters.h"
#include "io/cancelled.h"
#include "io/imageio.h"
#include "project/project.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace mf {
namespace {

/** The mean of `plane` (image size) at the clicks of one sign; `none` when there is none. */
float meanAtClicks(const cv::Mat& plane, const std::vector<Click>& clicks, bool positive, float none) {
    double sum = 0;
    int n = 0;
    for (const Click& c : clicks)
        if (c.positive == positive)
            sum += plane.at<float>(c.pos), ++n;
    return n > 0 ? static_cast<float>(sum / n) : none;
}

/** Euclidean distance of each pixel of `r` to the nearest click of one sign (all clicks, also outside r). */
cv::Mat clickDistance(const std::vector<Click>& clicks, bool positive, cv::Rect r, float cap) {
    cv::Mat d(r.size(), CV_32FC1, cv::Scalar(cap));
    for (const Click& c : clicks) {
        if (c.positive != positive)
            continue;
        for (int y = 0; y < r.height; ++y) {
            float* p = d.ptr<float>(y);
            const float dy = static_cast<float>(r.y + y - c.pos.y);
            for (int x = 0; x < r.width; ++x) {
                const float dx = static_cast<float>(r.x + x - c.pos.x);
                p[x] = std::min(p[x], std::sqrt(dx * dx + dy * dy));
            }
        }
    }
    return cv::min(d, cap);
}

cv::Mat geodesicTo(const cv::Mat& lab, const std::vector<Click>& clicks, bool positive, cv::Rect r, float cap) {
    cv::Mat sources = cv::Mat::zeros(r.size(), CV_8UC1);
    for (const Click& c : clicks)
        if (c.positive == positive && r.contains(c.pos))
            sources.at<uchar>(c.pos - r.tl()) = 255;
    if (cv::countNonZero(sources) == 0)
        return cv::Mat(r.size(), CV_32FC1, cv::Scalar(cap));
    return cv::min(geodesicDistance(lab(r), sources, 1.f), cap);
}

/** Signed distance to the boundary of `mask` (nonzero inside), positive inside, clipped to ±cap. */
cv::Mat signedDistance(const cv::Mat& mask, float cap) {
    const int inside = cv::countNonZero(mask);
    if (inside == 0)
        return cv::Mat(mask.size(), CV_32FC1, cv::Scalar(-cap));
    if (inside == static_cast<int>(mask.total()))
        return cv::Mat(mask.size(), CV_32FC1, cv::Scalar(cap));
    cv::Mat in, out;
    cv::distanceTransform(mask != 0, in, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    cv::distanceTransform(mask == 0, out, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    cv::Mat d = in - out;
    return cv::max(cv::min(d, cap), -cap);
}

/** The median and robust spread (1.4826 MAD) of `plane`'s values. */
std::pair<float, float> medianSpread(const cv::Mat& plane) {
    std::vector<float> v(plane.begin<float>(), plane.end<float>());
    if (v.empty())
        return {0.f, 1.f};
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    const float median = *mid;
    for (float& x : v)
        x = std::abs(x - median);
    std::nth_element(v.begin(), mid, v.end());
    return {median, 1.4826f * *mid};
}

/** The window a training step's pixels come from: the object, the mask so far and the clicks, grown. */
cv::Rect trainingWindow(const cv::Mat& truth, const cv::Mat& previous, const std::vector<Click>& clicks,
                        const ClickModelOptions& o) {
    cv::Rect box = cv::boundingRect((truth == 1) | (previous != 0));
    for (const Click& c : clicks)
        box |= cv::Rect(c.pos, cv::Size(1, 1));
    const int m = std::max(o.minMargin, static_cast<int>(std::lround(o.margin * std::max(box.width, box.height))));
    return cv::Rect(box.x - m, box.y - m, box.width + 2 * m, box.height + 2 * m) & cv::Rect({0, 0}, truth.size());
}

/** Up to `n` of `points`, drawn without replacement by `rng`. */
std::vector<cv::Point> draw(std::vector<cv::Point> points, int n, cv::RNG& rng) {
    for (int i = 0; i < std::min<int>(n, static_cast<int>(points.size())); ++i)
        std::swap(points[static_cast<std::size_t>(i)],
                  points[static_cast<std::size_t>(i + rng.uniform(0, static_cast<int>(points.size()) - i))]);
    points.resize(std::min<std::size_t>(points.size(), static_cast<std::size_t>(std::max(n, 0))));
    return points;
}

} // namespace

std::vector<std::string> clickFeatureNames() {
    return {"distance to a positive click", "distance to a negative click", "geodesic distance to a positive click",
            "geodesic distance to a negative click", "geodesic share of the positive clicks", "previous mask",
            "signed distance to the previous mask's boundary", "grey (σ 1) minus the positive clicks'",
            "grey (σ 3.5) minus the positive clicks'", "grey minus the negative clicks'", "grey minus the previous mask's",
            "grey against the window (median, spread)", "the positive clicks' grey against the window", "clicks",
            "last click positive", "distance to the last click"};
}

ClickModel::Image ClickModel::prepare(const cv::Mat& image, const FeatureBankOptions& features) {
    if (image.empty())
        throw std::invalid_argument("the click model needs an image");
    Image out;
    out.bank = computeFeatures(image, features);
    cv::Mat rgb, grey;
    if (image.channels() == 1)
        cv::cvtColor(image, rgb, cv::COLOR_GRAY2RGB);
    else
        rgb = image;
    cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
    grey.convertTo(grey, CV_32F);
    cv::GaussianBlur(grey, out.grey1, cv::Size(0, 0), 1.0, 1.0, cv::BORDER_REFLECT);
    cv::GaussianBlur(grey, out.grey3, cv::Size(0, 0), 3.5, 3.5, cv::BORDER_REFLECT);
    cv::Mat f;
    rgb.convertTo(f, CV_32FC3, 1.0 / 255.0);
    cv::cvtColor(f, out.lab, cv::COLOR_RGB2Lab);
    return out;
}

std::vector<cv::Mat> ClickModel::features(const Image& image, const cv::Mat& previous, const std::vector<Click>& clicks,
                                          cv::Rect r) const {
    const cv::Size size = image.bank.size();
    if (r.empty() || (r & cv::Rect({0, 0}, size)) != r)
        throw std::invalid_argument("the click model's region lies outside the image");
    if (!previous.empty() && previous.size() != size)
        throw std::invalid_argument("the click model's previous mask differs from the image in size");
    const float cap = m_options.distanceCap;
    std::vector<cv::Mat> planes;
    for (const cv::Mat& p : image.bank.planes())
        planes.push_back(p(r));
    planes.push_back(clickDistance(clicks, true, r, cap));
    planes.push_back(clickDistance(clicks, false, r, cap));
    const cv::Mat gPos = geodesicTo(image.lab, clicks, true, r, 4 * cap), gNeg = geodesicTo(image.lab, clicks, false, r, 4 * cap);
    planes.push_back(gPos);
    planes.push_back(gNeg);
    planes.push_back(gNeg / (gPos + gNeg + 1e-3f));
    const cv::Mat prev = previous.empty() ? cv::Mat::zeros(r.size(), CV_8UC1) : cv::Mat(previous(r) != 0);
    cv::Mat prevPlane;
    prev.convertTo(prevPlane, CV_32F, 1.0 / 255.0);
    planes.push_back(prevPlane);
    planes.push_back(signedDistance(prev, cap));
    const cv::Mat g1 = image.grey1(r), g3 = image.grey3(r);
    const float pos1 = meanAtClicks(image.grey1, clicks, true, 0.f), pos3 = meanAtClicks(image.grey3, clicks, true, 0.f);
    const float neg1 = meanAtClicks(image.grey1, clicks, false, pos1);
    const float inPrev = cv::countNonZero(prev) > 0 ? static_cast<float>(cv::mean(g1, prev)[0]) : pos1;
    planes.push_back(g1 - pos1);
    planes.push_back(g3 - pos3);
    planes.push_back(g1 - neg1);
    planes.push_back(g1 - inPrev);
    const auto [median, spread] = medianSpread(g1);
    planes.push_back((g1 - median) / (spread + 1.f));
    planes.push_back(cv::Mat(r.size(), CV_32FC1, cv::Scalar((pos1 - median) / (spread + 1.f))));
    planes.push_back(cv::Mat(r.size(), CV_32FC1, cv::Scalar(static_cast<float>(clicks.size()))));
    const bool lastPositive = !clicks.empty() && clicks.back().positive;
    planes.push_back(cv::Mat(r.size(), CV_32FC1, cv::Scalar(lastPositive ? 1.f : 0.f)));
    std::vector<Click> last;
    if (!clicks.empty())
        last.push_back({clicks.back().pos, true});
    planes.push_back(clickDistance(last, true, r, cap));
    return planes;
}

cv::Mat ClickModel::probability(const Image& image, const cv::Mat& previous, const std::vector<Click>& clicks,
                                cv::Rect region) const {
    if (!m_forest)
        throw std::logic_error("ClickModel::probability before training");
    std::vector<cv::Mat> planes = features(image, previous, clicks, region);
    const int most = m_options.predictPixels;
    if (most <= 0 || region.area() <= most) {
        const cv::Mat probs = m_forest->probabilities(planes, cv::Rect({0, 0}, region.size()));
        return objectProbability(probs, m_forest->classes(), region.size(), m_oddsScale);
    }
    const double f = std::sqrt(static_cast<double>(most) / static_cast<double>(region.area()));
    const cv::Size grid(std::max(1, static_cast<int>(std::lround(region.width * f))),
                        std::max(1, static_cast<int>(std::lround(region.height * f))));
    for (cv::Mat& p : planes) {
        cv::Mat q;
        cv::resize(p, q, grid, 0, 0, cv::INTER_NEAREST);
        p = q;
    }
    const cv::Mat probs = m_forest->probabilities(planes, cv::Rect({0, 0}, grid));
    cv::Mat out;
    cv::resize(objectProbability(probs, m_forest->classes(), grid, m_oddsScale), out, region.size(), 0, 0, cv::INTER_LINEAR);
    return out;
}

ClickModel ClickModel::train(const std::vector<ClickSample>& training, const ClickModelOptions& options,
                             const std::function<void(int, int)>& progress) {
    ClickModel out;
    out.m_options = options;
    LabelledSamples all;
    double objectPixels = 0, backgroundPixels = 0;
    cv::RNG rng(options.forest.seed + 7);
    int done = 0;
    for (const ClickSample& s : training) {
        if (options.cancel && options.cancel->load())
            throw Cancelled();
        const Image image = prepare(s.image, options.features);
        std::unique_ptr<ClickSegmenter> geocut = makeGeoCut();
        geocut->setImage(s.image);
        for (const ClickObject& o : s.objects) {
            if (cv::countNonZero(o.truth == 1) == 0)
                continue;
            ++out.m_objects;
            cv::Mat prediction = cv::Mat::zeros(o.truth.size(), CV_8UC1), clicked = prediction.clone();
            ClickQuery query;
            for (int k = 0; k < options.clicksPerObject; ++k) {
                Click click;
                if (!nextClick(prediction, o.truth, clicked, click))
                    break;
                clicked.at<uchar>(click.pos) = 1;
                query.clicks.push_back(click);
                const cv::Rect r = trainingWindow(o.truth, prediction, query.clicks, options);
                std::vector<cv::Point> object, background;
                const cv::Mat truth = o.truth(r);
                for (int y = 0; y < r.height; ++y)
                    for (int x = 0; x < r.width; ++x) {
                        const uchar t = truth.at<uchar>(y, x);
                        if (t == 1)
                            object.emplace_back(x, y);
                        else if (t == 0)
                            background.emplace_back(x, y);
                    }
                objectPixels += static_cast<double>(object.size());
                backgroundPixels += static_cast<double>(background.size());
                const std::vector<cv::Mat> planes = out.features(image, prediction, query.clicks, r);
                LabelledSamples step;
                for (int label = 0; label < 2; ++label) {
                    const std::vector<cv::Point> points = draw(label ? object : background, options.samplesPerClass, rng);
                    cv::Mat rows(static_cast<int>(points.size()), static_cast<int>(planes.size()), CV_32F);
                    for (int i = 0; i < rows.rows; ++i)
                        for (int c = 0; c < rows.cols; ++c)
                            rows.at<float>(i, c) = planes[static_cast<std::size_t>(c)].at<float>(points[static_cast<std::size_t>(i)]);
                    step.append({rows, std::vector<int>(points.size(), label)});
                }
                all.append(step);
                prediction = geocut->segment(query);
            }
        }
        if (progress)
            progress(++done, static_cast<int>(training.size()));
    }
    const double objectSamples = static_cast<double>(std::count(all.labels.begin(), all.labels.end(), 1));
    const double backgroundSamples = static_cast<double>(all.labels.size()) - objectSamples;
    if (objectSamples == 0 || backgroundSamples == 0)
        throw std::invalid_argument("the click model needs labelled images with object and background pixels");
    if (options.calibrate && backgroundPixels > 0)
        out.m_oddsScale = (objectPixels / backgroundPixels) / (objectSamples / backgroundSamples);
    LiveClassifierOptions forest;
    forest.forest = options.forest;
    if (options.cancel)
        forest.forest.cancel = options.cancel;  // a forest of 400 000 samples stops within a split
    out.m_forest = trainLiveForest(all, forest);
    out.m_samples = all.size();
    return out;
}

ClickModel ClickModel::trainOnSplit(const std::string& dir, const std::string& split, const std::string& benchSplit,
                                    bool components, const ClickModelOptions& options) {
    if (split.empty() || split == benchSplit)
        throw std::invalid_argument("the click model learns from the images of another split than the benchmark's ('" +
                                    benchSplit + "'): got '" + split + "'");
    ClickDataOptions data;
    data.split = split;
    data.components = components;
    return train(loadClickData(dir, data), options);
}

std::unique_ptr<ClickSegmenter> makeClickModelSegmenter() {
    GeoCutOptions o;
    o.priorWeight = kClickModelWeight;
    return makeGeoCut(o);
}

ClickModelCheck checkClickModel(const std::shared_ptr<const ClickModel>& model, const std::vector<ClickSample>& heldOut,
                                int clicks) {
    ClickModelCheck out;
    if (!model || !model->trained() || heldOut.empty() || clicks < 1)
        return out;
    ClickPriorSource source;
    source.name = "clicks";
    source.stepPrior = [model](const cv::Mat& image) -> std::unique_ptr<ClickStepPrior> {
        return std::make_unique<ClickModelPrior>(model, image);
    };
    ClickBenchOptions plain, learnt;
    plain.maxClicks = learnt.maxClicks = clicks;
    learnt.prior = &source;
    learnt.priorWeight = kClickModelWeight;
    const auto area = [clicks](const MethodRun& run) {
        double sum = 0;
        for (const ObjectRun& o : run.objects)
            for (double v : o.ious)
                sum += v;
        return run.objects.empty() ? 0.0 : sum / (static_cast<double>(run.objects.size()) * clicks);
    };
    const MethodRun without = runClickBench(heldOut, "geocut", plain), with = runClickBench(heldOut, "geocut", learnt);
    out.objects = static_cast<int>(with.objects.size());
    out.without = area(without);
    out.withModel = area(with);
    return out;
}

bool teachesClicks(const ImageEntry& e, const std::string& skipImage) {
    return e.status == ImageStatus::Reviewed && !e.mask.empty() && e.image != skipImage;
}

std::vector<ClickSample> projectClickSamples(const Project& project, const std::string& skipImage, int maxImages,
                                             std::vector<std::string>* problems) {
    std::vector<ClickSample> out;
    for (const ImageEntry& e : project.images()) {
        if (static_cast<int>(out.size()) >= maxImages)
            break;
        if (!teachesClicks(e, skipImage))
            continue;
        try {
            ClickSample s;
            s.imagePath = project.absolute(e.image);
            s.image = readImageRgb(s.imagePath);
            cv::Mat mask = readMask(project.absolute(e.mask), project.maskEncoding());
            if (mask.size() != s.image.size())
                throw FileError(project.absolute(e.mask), "the mask's size differs from its image's");
            if (project.ignoreIndex() != kIgnoreLabel && project.ignoreIndex() >= 0 && project.ignoreIndex() < 256) {
                const cv::Mat ignore = mask == project.ignoreIndex();
                mask.setTo(kIgnoreLabel, ignore);
            }
            s.objects = maskObjects(mask, e.image, true);
            if (!s.objects.empty())
                out.push_back(std::move(s));
        } catch (const std::exception& x) {
            if (problems)
                problems->push_back(x.what());
        }
    }
    return out;
}

ClickModelPrior::ClickModelPrior(std::shared_ptr<const ClickModel> model, const cv::Mat& image)
    : m_model(std::move(model)) {
    if (!m_model || !m_model->trained())
        throw std::invalid_argument("the click prior needs a trained click model");
    m_image = ClickModel::prepare(image, m_model->options().features);
}

cv::Mat ClickModelPrior::probability(const cv::Mat& previous, const std::vector<Click>& clicks, cv::Rect region) {
    return m_model->probability(m_image, previous, clicks, region);
}

} // namespace mf
