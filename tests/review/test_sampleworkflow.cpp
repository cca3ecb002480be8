// The sample made for the README walkthrough opens with images in every state, each as its status says.
#include "io/imageio.h"
#include "sample/samplegenerator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mf;

TEST(SampleWorkflow, EveryStateIsThereAndEachImageIsWhatItsStatusSays) {
    const fs::path dir = fs::temp_directory_path() / ("mf_sample_workflow_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    SampleOptions o;
    o.outDir = dir.string();
    o.count = 20;
    o.size = 64;
    o.workflowStates = true;
    makeSampleProject(o);
    const Project p = Project::load(dir.string());
    std::map<ImageStatus, int> count;
    for (std::size_t i = 0; i < p.images().size(); ++i) {
        const ImageEntry& e = p.images()[i];
        ++count[e.status];
        EXPECT_EQ(e.status, sampleStatus(static_cast<int>(i)));
        const cv::Mat truth = readMask((dir / "truth" / (fs::path(e.image).stem().string() + ".png")).string(), MaskEncoding::Index);
        EXPECT_FALSE(e.boxes.empty());
        if (e.status == ImageStatus::Unlabelled) {
            EXPECT_TRUE(e.mask.empty());
            EXPECT_TRUE(e.coarse.empty());
            continue;
        }
        const cv::Mat mask = readMask(p.absolute(e.mask), MaskEncoding::Index), coarse = readMask(p.absolute(e.coarse), MaskEncoding::Index);
        if (e.status == ImageStatus::Coarse)
            EXPECT_EQ(cv::countNonZero(mask != coarse), 0);
        else
            EXPECT_EQ(cv::countNonZero(mask != truth), 0);
    }
    EXPECT_EQ(count[ImageStatus::Unlabelled], 2);
    EXPECT_EQ(count[ImageStatus::Coarse], 6);
    EXPECT_EQ(count[ImageStatus::Refined], 4);
    EXPECT_EQ(count[ImageStatus::Reviewed], 8);
    fs::remove_all(dir);
}
