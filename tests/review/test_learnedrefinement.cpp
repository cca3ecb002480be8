// refine's "learned" method (review/learnedrefinement.h): a forest learnt from the trusted masks finds a
// region that fills part of its box and looks like the tile but for its smoother texture, which the box fill
// cannot; its proposals on the teaching images come from forests that never saw them, so that auto does
// not take it where it does not generalise; without a teaching mask it refuses.
#include "review/autorefinement.h"
#include "review/learnedrefinement.h"
#include "review/refinementscore.h"

#include "io/imageio.h"
#include "project/project.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include <filesystem>

using namespace mf;

namespace {

const cv::Rect kBox(24, 20, 48, 56);

/** A striated, noisy tile; inside the box, its lower part (a share that varies between images) is a smooth
 *  region of the tile's own brightness: a chipped or frayed region, as bright as the tile, smoother. */
struct Scene {
    cv::Mat image, truth, coarse;
    CoarseStart start;
};

Scene regionScene(int i) {
    Scene s;
    cv::Mat grey(96, 96, CV_32F);
    cv::RNG rng(300 + static_cast<unsigned>(i));
    rng.fill(grey, cv::RNG::NORMAL, 0, 14);
    for (int x = 0; x < grey.cols; ++x)
        grey.col(x) += 140 + 12 * std::sin(x * 0.9);  // the stripes of a ground tile
    const int top = kBox.y + kBox.height * (35 + 8 * (i % 4)) / 100;
    const cv::Rect region(kBox.x, top, kBox.width, kBox.y + kBox.height - top);
    cv::Mat smooth(region.size(), CV_32F);
    rng.fill(smooth, cv::RNG::NORMAL, 140, 2);
    smooth.copyTo(grey(region));
    grey.convertTo(s.image, CV_8U);
    s.truth = cv::Mat::zeros(grey.size(), CV_8U);
    s.truth(region).setTo(1);
    s.coarse = cv::Mat::zeros(grey.size(), CV_8U);
    s.coarse(kBox).setTo(1);
    s.start.coarse = s.coarse;
    s.start.boxes = {{1, kBox}};
    return s;
}

double iou(const cv::Mat& truth, const cv::Mat& labels, int c) {
    const double inter = cv::countNonZero((truth == c) & (labels == c));
    const double uni = cv::countNonZero((truth == c) | (labels == c));
    return uni > 0 ? inter / uni : 1.0;
}

std::string sampleDir(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("mf_learned_" + name)).string();
}

} // namespace

TEST(LearnedRefinement, FindsASmoothRegionThatFillsPartOfItsBoxWhereTheBoxFillCannot) {
    std::vector<Scene> scenes;
    for (int i = 0; i < 10; ++i)
        scenes.push_back(regionScene(i));
    std::vector<LearnedImage> images;
    for (int i = 0; i < 10; ++i)  // the first 4 teach, the other 6 are refined
        images.push_back({&scenes[i].image, &scenes[i].start, i < 4 ? scenes[i].truth : cv::Mat()});
    LearnedOptions o;
    o.forest.threads = 1;
    const std::vector<RefinementProposal> out = learnedProposals(images, 2, o);
    ASSERT_EQ(out.size(), 10u);
    for (int i = 0; i < 10; ++i) {
        const double fill = iou(scenes[i].truth, scenes[i].coarse, 1), learned = iou(scenes[i].truth, out[i].candidate, 1);
        EXPECT_GT(learned, fill + 0.2) << "image " << i << (i < 4 ? " (teaching, cross-validated)" : "");
        EXPECT_GT(learned, 0.85) << "image " << i;
        EXPECT_EQ(cv::countNonZero((out[i].candidate != 0) & (scenes[i].coarse == 0)), 0) << "outside the box";
    }
}

TEST(LearnedRefinement, RefusesWithoutATeachingMaskAndKeepsTheFillOfASingleOne) {
    std::vector<Scene> scenes{regionScene(0), regionScene(1)};
    std::vector<LearnedImage> none{{&scenes[0].image, &scenes[0].start, {}}};
    EXPECT_THROW(learnedProposals(none, 2), std::runtime_error);
    // One teaching image: no forest that has not seen it can propose its labels, so its fill is kept
    // (scored as the boxes); the other image learns from it.
    std::vector<LearnedImage> one{{&scenes[0].image, &scenes[0].start, scenes[0].truth},
                                  {&scenes[1].image, &scenes[1].start, {}}};
    const std::vector<RefinementProposal> out = learnedProposals(one, 2);
    EXPECT_EQ(cv::countNonZero(out[0].candidate != scenes[0].coarse), 0);
    EXPECT_GT(iou(scenes[1].truth, out[1].candidate, 1), iou(scenes[1].truth, scenes[1].coarse, 1) + 0.2);
}

TEST(LearnedRefinement, AutoDoesNotTakeItWhereItScoresBelowTheBoxesOnTheEvidence) {
    // Each box is half dark, half bright; the first reviewed image's object is its dark half, the second's its
    // bright half: what one teaches, the other contradicts, so each one's proposal (from the forest that learnt
    // from the other) is the wrong half, below the box fill (0.5) on the evidence.
    namespace fs = std::filesystem;
    const std::string dir = sampleDir("contradict");
    fs::remove_all(dir);
    for (const char* sub : {"images", "coarse", "masks"})
        fs::create_directories(fs::path(dir) / sub);
    Project p(dir);
    p.classes() = defaultClasses(2);
    p.classes()[1].name = "patch";
    for (int i = 0; i < 4; ++i) {
        cv::Mat grey(80, 80, CV_8U);
        cv::RNG rng(40 + static_cast<unsigned>(i));
        rng.fill(grey, cv::RNG::NORMAL, 120, 6);
        const cv::Rect box(16, 16, 48, 40), dark(16, 16, 24, 40), bright(40, 16, 24, 40);
        grey(dark) -= 50;
        grey(bright) += 50;
        cv::Mat coarse = cv::Mat::zeros(grey.size(), CV_8U), truth = coarse.clone();
        coarse(box).setTo(1);
        truth((i % 2 == 0) ? dark : bright).setTo(1);
        const std::string file = "t" + std::to_string(i) + ".png";
        writeImageAtomic(dir + "/images/" + file, grey);
        writeMaskAtomic(dir + "/coarse/" + file, coarse);
        ImageEntry e;
        e.image = "images/" + file;
        e.coarse = "coarse/" + file;
        e.mask = e.coarse;
        e.status = ImageStatus::Coarse;
        if (i < 2) {
            writeMaskAtomic(dir + "/masks/" + file, truth);
            e.mask = "masks/" + file;
            e.status = ImageStatus::Reviewed;
        }
        p.images().push_back(e);
    }
    p.save();
    const Project project = Project::load(dir);
    for (const std::string& method : {std::string(kAutoMethod), std::string(kLearnedMethod)}) {
        std::vector<std::string> problems;
        std::vector<RefineItem> items = loadRefineItems(project, refinementTargets(project, {}), {}, problems);
        RefinePassOptions o;
        o.method = method;
        const RefinementReport r = runRefinementPass(project, items, o, problems);
        ASSERT_TRUE(problems.empty()) << problems.front();
        ASSERT_EQ(r.choices.size(), 1u);
        EXPECT_LT(r.choosing.iou(kLearnedMethod, 1), r.choosing.iou(kBoxesMethod, 1) - 0.2) << method;
        EXPECT_NE(r.choices[0].method, kLearnedMethod) << method << ": " << r.choices[0].why;
        if (method == kLearnedMethod) {
            EXPECT_NE(choiceLines(r, method).find("FLAGGED: learned scores below the boxes for patch"), std::string::npos);
        } else {
            EXPECT_NE(std::find(r.methods.begin(), r.methods.end(), kLearnedMethod), r.methods.end());
        }
    }
}

TEST(LearnedRefinement, AClassOnFewTeachingImagesTakesTheThresholdOfAllClasses) {
    // Class 1 on 6 teaching images, class 2 (the same scene, the box's class 2) on 2: a threshold chosen on
    // two images is noise, so class 2 takes the pooled one (the best mean of both classes' IoUs), which is
    // what every class takes when none has enough images; class 1 keeps its own.
    std::vector<Scene> scenes;
    for (int i = 0; i < 10; ++i) {
        scenes.push_back(regionScene(i));
        if (i >= 6 && i < 8) {
            scenes.back().start.boxes = {{2, kBox}};
            scenes.back().coarse.setTo(2, scenes.back().coarse == 1);
            scenes.back().truth.setTo(2, scenes.back().truth == 1);
        }
    }
    std::vector<LearnedImage> images;
    for (int i = 0; i < 10; ++i)  // 0-5 teach class 1, 6-7 class 2; 8 and 9 are refined
        images.push_back({&scenes[i].image, &scenes[i].start, i < 8 ? scenes[i].truth : cv::Mat()});
    const auto thresholdsWith = [&](int own) {
        LearnedOptions o;
        o.forest.threads = 1;
        o.ownThresholdImages = own;
        std::map<int, float> t;
        learnedProposals(images, 3, o, &t);
        return t;
    };
    const std::map<int, float> own = thresholdsWith(0), pooled = thresholdsWith(100), mixed = thresholdsWith(5);
    ASSERT_EQ(pooled.size(), 2u);
    EXPECT_EQ(pooled.at(1), pooled.at(2));  // every class on fewer than 100 images: one threshold
    EXPECT_EQ(mixed.at(1), own.at(1));      // 6 images: its own (here 0.5 against the pooled 0.55)
    EXPECT_EQ(mixed.at(2), pooled.at(2));   // 2 images: the pooled one
}
