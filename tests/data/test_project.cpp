#include "io/atomicfile.h"
#include "project/project.h"
#include "../testutil.h"

#include <gtest/gtest.h>

using namespace mf;
using mf::test::TempDir;

TEST(Project, JsonRoundTrip) {
    TempDir dir;
    Project p(dir.path().string());
    p.setName("demo");
    p.classes() = defaultClasses(3);
    p.classes()[2].name = "crack";
    ImageEntry e;
    e.image = "images/a.png";
    e.mask = "masks/a.png";
    e.coarse = "coarse/a.png";
    e.status = ImageStatus::Refined;
    e.split = Split::Val;
    e.group = "g1";
    p.images().push_back(e);
    p.save();
    Project q = Project::load(dir.path().string());
    EXPECT_EQ(q.name(), "demo");
    ASSERT_EQ(q.classCount(), 3);
    EXPECT_EQ(q.classes()[2].name, "crack");
    EXPECT_EQ(q.classes()[1].color, p.classes()[1].color);
    ASSERT_EQ(q.images().size(), 1u);
    EXPECT_EQ(q.images()[0].status, ImageStatus::Refined);
    EXPECT_EQ(q.images()[0].split, Split::Val);
    EXPECT_EQ(q.images()[0].group, "g1");
    EXPECT_EQ(q.absolute("masks/a.png"), (dir.path() / "masks/a.png").string());
    EXPECT_EQ(q.toJson(), p.toJson());
}

TEST(Project, MalformedFileNamesFileAndProblem) {
    TempDir dir;
    const std::string file = dir / "maskforge.json";
    for (const char* text : {"{ not json", "[]", R"({"schema_version": 99, "classes": []})",
                             R"({"schema_version": 1})", R"({"schema_version": 1, "classes": [{"id": 3, "name": "x"}]})"}) {
        writeFileAtomic(file, text);
        try {
            Project::load(dir.path().string());
            FAIL() << "accepted: " << text;
        } catch (const FileError& e) {
            EXPECT_EQ(e.file(), file);
            EXPECT_NE(e.problem().find("malformed project file"), std::string::npos) << e.problem();
        }
    }
}

TEST(Project, BadImageEntryIsReportedAndTheRestLoads) {
    TempDir dir;
    writeFileAtomic(dir / "maskforge.json", R"({"schema_version": 1, "classes": [{"id": 0, "name": "bg"}],
        "images": [{"image": "a.png", "status": "done"}, {"image": "b.png"}]})");
    std::vector<Problem> problems;
    Project p = Project::load(dir.path().string(), &problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].message.find("unknown status"), std::string::npos);
    ASSERT_EQ(p.images().size(), 1u);
    EXPECT_EQ(p.images()[0].image, "b.png");
    EXPECT_EQ(p.unparsedImages().size(), 1u) << "the bad entry is kept to be written back";
}

TEST(Project, StatusAndSplitWords) {
    for (auto s : {ImageStatus::Unlabelled, ImageStatus::Coarse, ImageStatus::Refined, ImageStatus::Reviewed})
        EXPECT_EQ(parseImageStatus(toString(s)), s);
    EXPECT_FALSE(parseImageStatus("bogus").has_value());
    EXPECT_EQ(parseSplit("test"), Split::Test);
}

TEST(Project, DefaultColoursAreDistinct) {
    auto classes = defaultClasses(41);  // seed 000: 40 classes + background
    for (std::size_t i = 0; i < classes.size(); ++i)
        for (std::size_t j = i + 1; j < classes.size(); ++j)
            EXPECT_NE(classes[i].color, classes[j].color) << i << " vs " << j;
}
