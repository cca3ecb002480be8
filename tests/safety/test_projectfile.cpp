// Issue 8 defects 7 and 12 (project side): malformed entries are kept and written back, the user is
// told; a project never holds more classes than an 8-bit mask with an ignore index can.
#include "io/atomicfile.h"
#include "project/project.h"
#include "../testutil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace mf;
using mf::test::TempDir;
using nlohmann::json;

TEST(ProjectFile, MalformedImageEntriesAreKeptVerbatimAndWrittenBack) {
    TempDir dir;
    const json bad1 = json::parse(R"({"image": "a.png", "status": "done", "note": "by hand"})");
    const json bad2 = json::parse(R"({"mask": "masks/x.png"})");
    const json bad3 = json::parse(R"("just a string")");
    json file = {{"schema_version", 1}, {"mask_encoding", "index"},
                 {"classes", json::array({{{"id", 0}, {"name", "bg"}}})},
                 {"images", json::array({bad1, {{"image", "b.png"}, {"status", "reviewed"}}, bad2, bad3})}};
    writeFileAtomic(dir / "maskforge.json", file.dump());
    std::vector<Problem> problems;
    Project p = Project::load(dir.path().string(), &problems);
    ASSERT_EQ(p.images().size(), 1u);
    EXPECT_EQ(problems.size(), 3u);
    ASSERT_EQ(p.loadWarnings().size(), 3u) << "the Project API tells what it could not read";
    EXPECT_NE(p.loadWarnings()[0].message.find("kept"), std::string::npos) << p.loadWarnings()[0].message;
    EXPECT_EQ(p.loadWarnings()[0].file, dir / "maskforge.json");
    p.images()[0].status = ImageStatus::Refined;  // the user works on
    p.save();
    const json saved = json::parse(readFileBytes(dir / "maskforge.json"));
    const json& images = saved.at("images");
    ASSERT_EQ(images.size(), 4u) << saved.dump(2);
    EXPECT_EQ(images[0].at("status"), "refined");
    EXPECT_EQ(images[1], bad1) << "kept verbatim";
    EXPECT_EQ(images[2], bad2);
    EXPECT_EQ(images[3], bad3);
    // And again: still kept, still reported.
    Project q = Project::load(dir.path().string());
    EXPECT_EQ(q.loadWarnings().size(), 3u);
    EXPECT_EQ(q.unparsedImages().size(), 3u);
}

TEST(ProjectFile, UnknownTopLevelKeysSurviveASave) {
    TempDir dir;
    writeFileAtomic(dir / "maskforge.json", R"({"schema_version": 1, "mask_encoding": "index",
        "classes": [{"id": 0, "name": "bg"}], "review_notes": {"a.png": "check edge"}, "images": []})");
    Project p = Project::load(dir.path().string());
    p.save();
    const json saved = json::parse(readFileBytes(dir / "maskforge.json"));
    EXPECT_EQ(saved.at("review_notes").at("a.png"), "check edge");
}

TEST(ProjectFile, WrongTypesAreRefusedWithTheFileNamed) {
    TempDir dir;
    for (const char* text : {R"({"schema_version": 1, "classes": {"id": 0}})",
                             R"({"schema_version": 1, "classes": [{"id": 0, "name": "bg"}], "images": {"image": "a"}})",
                             R"({"schema_version": 1, "classes": [{"id": 0, "name": 7}]})",
                             R"({"schema_version": "1", "classes": []})",
                             R"({"schema_version": 1e400, "classes": []})",
                             R"({"schema_version": 1, "classes": [{"id": 1e30, "name": "x"}]})"}) {
        writeFileAtomic(dir / "maskforge.json", text);
        const std::string before = readFileBytes(dir / "maskforge.json");
        try {
            Project::load(dir.path().string());
            ADD_FAILURE() << "accepted: " << text;
        } catch (const FileError& e) {
            EXPECT_EQ(e.file(), dir / "maskforge.json");
        }
        EXPECT_EQ(readFileBytes(dir / "maskforge.json"), before);
    }
}

TEST(ProjectFile, DeepNestingIsAnErrorNotACrash) {
    TempDir dir;
    std::string deep = R"({"schema_version": 1, "classes": [{"id": 0, "name": "bg"}], "x": )";
    deep += std::string(100000, '[') + std::string(100000, ']') + "}";
    writeFileAtomic(dir / "maskforge.json", deep);
    try {
        Project::load(dir.path().string());
        ADD_FAILURE() << "accepted 100000 levels of nesting";
    } catch (const FileError& e) {
        EXPECT_NE(e.problem().find("nested deeper"), std::string::npos) << e.problem();
    }
}

TEST(ProjectFile, AtMost255ClassesBecause255IsIgnore) {
    Project p;
    p.classes() = defaultClasses(1);
    for (int i = 1; i < Project::kMaxClasses; ++i)
        p.addClass("c" + std::to_string(i));
    EXPECT_EQ(p.classCount(), 255);
    EXPECT_EQ(p.classes().back().id, 254);
    EXPECT_THROW(p.addClass("one too many"), std::length_error);
    EXPECT_EQ(p.classCount(), 255);
    // A class list grown behind the API is refused at save, so no unloadable file is written.
    TempDir dir;
    p.setRoot(dir.path().string());
    p.save();
    EXPECT_NO_THROW(Project::load(dir.path().string()));
    const std::string good = readFileBytes(dir / "maskforge.json");
    p.classes().push_back({255, "ignore?", {1, 2, 3}});
    EXPECT_THROW(p.save(), std::length_error);
    EXPECT_EQ(readFileBytes(dir / "maskforge.json"), good);
}
