#include "sample/samplegenerator.h"

#include "formats/readers.h"
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "project/project.h"
#include "project/split.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgproc.hpp>

namespace fs = std::filesystem;

namespace mf {
namespace {

const char* const kClassNames[] = {"background", "crack", "deposit", "hole", "corrosion"};
constexpr int kClassCount = 5;
enum Defect { Crack = 1, Deposit = 2, Hole = 3, Corrosion = 4 };

/** Smooth noise in [-1, 1]: Gaussian noise blurred at scale `sigma`, normalised. */
cv::Mat smoothNoise(cv::RNG& rng, cv::Size size, double sigma) {
    cv::Mat noise(size, CV_32F);
    rng.fill(noise, cv::RNG::NORMAL, 0, 1);
    cv::GaussianBlur(noise, noise, cv::Size(), sigma);
    double lo, hi;
    cv::minMaxLoc(noise, &lo, &hi);
    noise = (noise - lo) * (2.0 / std::max(hi - lo, 1e-6)) - 1.0;
    return noise;
}

/** The pipe wall: cylinder shading across x, rust-grey base colour, grain texture, a weld seam. */
cv::Mat pipeWall(cv::RNG& rng, int size) {
    cv::Mat grain = smoothNoise(rng, {size, size}, 1.5), mottling = smoothNoise(rng, {size, size}, size / 12.0);
    const double base = rng.uniform(95.0, 150.0), tint = rng.uniform(-12.0, 12.0);
    const int seamY = rng.uniform(size / 6, size - size / 6);
    const bool seam = rng.uniform(0, 2) == 1;
    cv::Mat img(size, size, CV_8UC3);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            const double shade = 0.65 + 0.35 * std::cos((x - size / 2.0) / size * 2.4);
            double v = base * shade + 14 * grain.at<float>(y, x) + 20 * mottling.at<float>(y, x);
            if (seam && std::abs(y - seamY) < 3)
                v += 25;
            img.at<cv::Vec3b>(y, x) = {cv::saturate_cast<uchar>(v + tint), cv::saturate_cast<uchar>(v),
                                       cv::saturate_cast<uchar>(v - tint * 0.5)};
        }
    return img;
}

/** An irregular closed outline: a circle whose radius wobbles with a few random harmonics. */
std::vector<cv::Point> blob(cv::RNG& rng, cv::Point2d centre, double radius, double aspect) {
    double amp[3], phase[3];
    for (int k = 0; k < 3; ++k) {
        amp[k] = rng.uniform(0.05, 0.25);
        phase[k] = rng.uniform(0.0, 2 * CV_PI);
    }
    const double tilt = rng.uniform(0.0, CV_PI);
    std::vector<cv::Point> pts;
    for (int i = 0; i < 48; ++i) {
        const double a = 2 * CV_PI * i / 48;
        double r = radius;
        for (int k = 0; k < 3; ++k)
            r *= 1 + amp[k] * std::sin((k + 2) * a + phase[k]);
        const double px = r * std::cos(a) * aspect, py = r * std::sin(a);
        pts.emplace_back(cvRound(centre.x + px * std::cos(tilt) - py * std::sin(tilt)),
                         cvRound(centre.y + px * std::sin(tilt) + py * std::cos(tilt)));
    }
    return pts;
}

/** The footprint of one defect of class `cls`, drawn as 255 on a zero mask. */
cv::Mat defectShape(cv::RNG& rng, int cls, int size) {
    cv::Mat shape = cv::Mat::zeros(size, size, CV_8U);
    cv::Point2d centre(rng.uniform(0.15, 0.85) * size, rng.uniform(0.15, 0.85) * size);
    if (cls == Crack) {
        double heading = rng.uniform(0.0, 2 * CV_PI);
        const int steps = rng.uniform(6, 14), thickness = rng.uniform(2, 5);
        for (int i = 0; i < steps; ++i) {
            heading += rng.uniform(-0.6, 0.6);
            cv::Point2d next = centre + cv::Point2d(std::cos(heading), std::sin(heading)) * rng.uniform(size * 0.03, size * 0.07);
            cv::line(shape, centre, next, 255, thickness, cv::LINE_8);
            centre = next;
        }
    } else if (cls == Corrosion) {
        // A ragged patch: smooth noise thresholded inside a wobbly disc.
        cv::Mat disc = cv::Mat::zeros(size, size, CV_8U);
        cv::fillPoly(disc, std::vector<std::vector<cv::Point>>{blob(rng, centre, size * rng.uniform(0.08, 0.16), 1.3)}, 255);
        cv::Mat noise = smoothNoise(rng, {size, size}, 3.0);
        shape = disc & (noise > -0.2);
    } else {
        const double radius = size * (cls == Hole ? rng.uniform(0.03, 0.07) : rng.uniform(0.05, 0.11));
        cv::fillPoly(shape, std::vector<std::vector<cv::Point>>{blob(rng, centre, radius, cls == Hole ? 1.0 : 1.6)}, 255);
    }
    return shape;
}

/** Paints a defect's look onto the image inside its footprint. */
void paintDefect(cv::RNG& rng, cv::Mat& img, const cv::Mat& shape, int cls) {
    cv::Mat soft;
    shape.convertTo(soft, CV_32F, 1.0 / 255);
    cv::GaussianBlur(soft, soft, cv::Size(), cls == Crack ? 0.7 : 1.2);
    const cv::Vec3d colour = cls == Crack     ? cv::Vec3d(35, 30, 28)
                             : cls == Deposit ? cv::Vec3d(205, 195, 150)
                             : cls == Hole    ? cv::Vec3d(12, 10, 10)
                                              : cv::Vec3d(150, 70, 30);
    const double strength = rng.uniform(0.7, 0.95);
    cv::Mat texture = smoothNoise(rng, img.size(), 1.0);
    for (int y = 0; y < img.rows; ++y)
        for (int x = 0; x < img.cols; ++x) {
            const float a = soft.at<float>(y, x) * static_cast<float>(strength);
            if (a <= 0.01f)
                continue;
            cv::Vec3b& px = img.at<cv::Vec3b>(y, x);
            const double t = 18 * texture.at<float>(y, x);
            for (int c = 0; c < 3; ++c)
                px[c] = cv::saturate_cast<uchar>((1 - a) * px[c] + a * (colour[c] + t));
        }
}

struct SampleImage {
    cv::Mat image, mask, coarse;
    std::vector<DetectionBox> boxes;
};

SampleImage makeOne(std::uint64_t seed, int index, int size) {
    cv::RNG rng(seed * 1000003ULL + static_cast<std::uint64_t>(index) * 7919ULL + 17);
    SampleImage s;
    s.image = pipeWall(rng, size);
    s.mask = cv::Mat::zeros(size, size, CV_8U);
    s.coarse = cv::Mat::zeros(size, size, CV_8U);
    const int defects = rng.uniform(1, 4);
    std::vector<std::pair<int, cv::Mat>> shapes;
    for (int d = 0; d < defects; ++d) {
        const int cls = rng.uniform(1, kClassCount);
        cv::Mat shape = defectShape(rng, cls, size);
        paintDefect(rng, s.image, shape, cls);
        s.mask.setTo(cls, shape);
        shapes.emplace_back(cls, shape);
    }
    // Boxes of what stays visible of each defect after later ones covered it, as a detector would see.
    for (const auto& [cls, shape] : shapes) {
        cv::Mat visible = shape & (s.mask == cls);
        if (cv::countNonZero(visible) == 0)
            continue;
        cv::Rect r = cv::boundingRect(visible);
        s.boxes.push_back({cls, r});
        s.coarse(r).setTo(cls);
    }
    return s;
}

} // namespace

void makeSampleProject(const SampleOptions& options) {
    if (options.count < 1 || options.size < 32)
        throw std::invalid_argument("sample needs count >= 1 and size >= 32");
    const fs::path root = fs::absolute(options.outDir).lexically_normal();
    for (const char* sub : {"images", "masks", "coarse", "boxes"})
        makeDirs((root / sub).string());
    if (options.workflowStates)
        makeDirs((root / "truth").string());
    Project project(root.string());
    project.setName("pipe-defects-sample");
    for (int c = 0; c < kClassCount; ++c)
        project.classes().push_back({c, kClassNames[c], defaultClassColor(c)});
    std::vector<std::string> strata;
    for (int i = 0; i < options.count; ++i) {
        char stem[32];
        std::snprintf(stem, sizeof stem, "pipe_%04d", i);
        SampleImage s = makeOne(options.seed, i, options.size);
        const ImageStatus status = options.workflowStates ? sampleStatus(i) : ImageStatus::Reviewed;
        writeImageAtomic((root / "images" / (std::string(stem) + ".png")).string(), s.image);
        if (status != ImageStatus::Unlabelled)
            writeMaskAtomic((root / "masks" / (std::string(stem) + ".png")).string(),
                            status == ImageStatus::Coarse ? s.coarse : s.mask);
        if (options.workflowStates)
            writeMaskAtomic((root / "truth" / (std::string(stem) + ".png")).string(), s.mask);
        if (status != ImageStatus::Unlabelled)
            writeMaskAtomic((root / "coarse" / (std::string(stem) + ".png")).string(), s.coarse);
        writeFileAtomic((root / "boxes" / (std::string(stem) + ".txt")).string(), formats::writeYoloBoxes(s.boxes, {options.size, options.size}));
        ImageEntry e;
        e.image = std::string("images/") + stem + ".png";
        if (status != ImageStatus::Unlabelled) {
            e.mask = std::string("masks/") + stem + ".png";
            e.coarse = std::string("coarse/") + stem + ".png";
        }
        e.boxes = std::string("boxes/") + stem + ".txt";
        e.status = status;
        project.images().push_back(e);
        strata.push_back(classSignature(s.mask, kClassCount));
    }
    SplitOptions split;
    split.seed = options.seed;
    std::vector<Split> splits = stratifiedSplit(strata, {}, split);
    for (std::size_t i = 0; i < splits.size(); ++i)
        project.images()[i].split = splits[i];
    project.setSplitSeed(options.seed);
    project.save();
}

ImageStatus sampleStatus(int index) {
    static const ImageStatus kCycle[10] = {ImageStatus::Unlabelled, ImageStatus::Coarse,   ImageStatus::Coarse,
                                           ImageStatus::Coarse,     ImageStatus::Refined,  ImageStatus::Refined,
                                           ImageStatus::Reviewed,   ImageStatus::Reviewed, ImageStatus::Reviewed,
                                           ImageStatus::Reviewed};
    return kCycle[index % 10];
}

const char* const* sampleClassNames(int* count) {
    if (count)
        *count = kClassCount;
    return kClassNames;
}

} // namespace mf
