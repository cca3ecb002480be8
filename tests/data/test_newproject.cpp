// Issue 21 defect 5: there was no way to create a project in the GUI. File > New project from a folder
// of images: every image listed, unlabelled, the classes the person named and no phantom class_1.
#include "io/imageio.h"
#include "project/newproject.h"
#include "../testutil.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace mf;
namespace fs = std::filesystem;

namespace {
void writeImages(const fs::path& dir, int count) {
    fs::create_directories(dir);
    for (int i = 0; i < count; ++i)
        writeImageAtomic((dir / ("tile_" + std::to_string(i) + ".png")).string(), cv::Mat(16, 24, CV_8UC3, cv::Scalar(i * 10, 20, 30)));
    std::ofstream(dir / "notes.txt") << "not an image";
}
} // namespace

TEST(NewProject, ListsEveryImageUnlabelledWithTheNamedClasses) {
    test::TempDir tmp;
    writeImages(tmp.path() / "photos", 3);
    NewProjectReport report;
    const Project p = createProjectFromImages(tmp / "tiles", tmp / "photos", {" break ", "", "fray"}, &report);
    EXPECT_EQ(report.images, 3);
    ASSERT_EQ(p.images().size(), 3u);
    for (const ImageEntry& e : p.images()) {
        EXPECT_EQ(e.status, ImageStatus::Unlabelled);
        EXPECT_TRUE(e.mask.empty());
        EXPECT_TRUE(fs::is_regular_file(p.absolute(e.image))) << e.image;
        EXPECT_EQ(e.image.rfind("images/", 0), 0u) << e.image;
    }
    ASSERT_EQ(p.classCount(), 3);
    EXPECT_EQ(p.classes()[0].name, "background");
    EXPECT_EQ(p.classes()[1].name, "break");
    EXPECT_EQ(p.classes()[2].name, "fray");
    // On disk, reopened as it was made.
    const Project back = Project::load(tmp / "tiles");
    EXPECT_EQ(back.images().size(), 3u);
    EXPECT_EQ(back.classCount(), 3);
    EXPECT_EQ(back.name(), "tiles");
}

TEST(NewProject, TheImagesOwnFolderBecomesTheProjectInPlace) {
    test::TempDir tmp;
    writeImages(tmp.path() / "set" / "images", 2);
    const Project p = createProjectFromImages(tmp / "set", tmp / "set", {"defect"});
    ASSERT_EQ(p.images().size(), 2u);
    EXPECT_EQ(p.images()[0].image, "images/tile_0.png");
    EXPECT_TRUE(fs::exists(tmp.path() / "set" / Project::kFileName));
    // Asked again: it is a project now.
    EXPECT_THROW(createProjectFromImages(tmp / "set", tmp / "set", {"defect"}), FileError);
}

TEST(NewProject, RefusesWhatWouldGoWrongNamingTheFolder) {
    test::TempDir tmp;
    writeImages(tmp.path() / "photos", 1);
    fs::create_directories(tmp.path() / "empty");
    auto message = [](auto&& call) {
        try {
            call();
        } catch (const FileError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message([&] { createProjectFromImages(tmp / "p1", tmp / "empty", {"a"}); }).find("no images"), std::string::npos);
    EXPECT_NE(message([&] { createProjectFromImages(tmp / "p2", tmp / "photos", {" ", ""}); }).find("at least one class"), std::string::npos);
    EXPECT_NE(message([&] { createProjectFromImages(tmp / "p3", tmp / "photos", {"a", "a"}); }).find("named twice"), std::string::npos);
    fs::create_directories(tmp.path() / "busy");
    std::ofstream(tmp.path() / "busy" / "x.txt") << "something";
    EXPECT_NE(message([&] { createProjectFromImages(tmp / "busy", tmp / "photos", {"a"}); }).find("not empty"), std::string::npos);
    for (const char* dir : {"p1", "p2", "p3"})
        EXPECT_FALSE(fs::exists(tmp.path() / dir / Project::kFileName)) << dir;
}
