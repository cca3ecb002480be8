// Issue 8, the net: every CLI command against the hostile corpus of tests/data/bad/ (made by
// mf_make_bad_corpus). Bad input: exit 1 or 2, never a signal, the file named, nothing on disk changed.
#include "io/atomicfile.h"
#include "clirun.h"
#include "sample/samplegenerator.h"
#include "../testutil.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace fs = std::filesystem;
using namespace mf;
using namespace mf::test;

namespace {

fs::path corpus() { return fs::path(MF_SOURCE_DIR) / "tests" / "data" / "bad"; }

std::vector<fs::path> casesIn(const std::string& kind) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(corpus() / kind))
        out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

bool isOk(const fs::path& c) { return c.filename().string().rfind("ok-", 0) == 0; }

class CliCorpus : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_work = new TempDir;
        SampleOptions o;
        o.outDir = (*s_work) / "sample";
        o.count = 8;
        o.size = 32;
        makeSampleProject(o);
    }
    static void TearDownTestSuite() {
        delete s_work;
        s_work = nullptr;
    }
    static std::string sample() { return (*s_work) / "sample"; }
    static std::string checkpoint(const std::string& name) { return (corpus() / "checkpoints" / name).string(); }

    /** A private copy of a corpus case: the command may do what it likes to it, the corpus stays. */
    fs::path copyOf(const fs::path& c) {
        const fs::path to = m_tmp.path() / c.filename();
        fs::copy(c, to, fs::copy_options::recursive);
        return to;
    }

    /** Runs the command on `target` and checks the contract for bad input. */
    void expectRefused(const std::vector<std::string>& args, const fs::path& target, const std::string& named,
                       const std::vector<std::string>& env = {}) {
        const auto before = snapshot(target);
        const CliResult r = runCli(args, env);
        SCOPED_TRACE("maskforge-cli " + args[0] + " on " + target.string() + "\n" + r.output);
        EXPECT_FALSE(r.signalled) << "ended by a signal";
        EXPECT_TRUE(r.exitCode == 1 || r.exitCode == 2) << "exit " << r.exitCode;
        EXPECT_NE(r.output.find(named), std::string::npos) << "the message does not name " << named;
        EXPECT_TRUE(snapshot(target) == before) << "something on disk changed";
    }

    TempDir m_tmp;
    static TempDir* s_work;
};
TempDir* CliCorpus::s_work = nullptr;

} // namespace

TEST_F(CliCorpus, ValidateEveryDataset) {
    for (const auto& c : casesIn("datasets")) {
        const fs::path d = copyOf(c);
        if (isOk(c)) {
            const auto before = snapshot(d);
            const CliResult r = runCli({"validate", d.string()});
            EXPECT_EQ(r.exitCode, 0) << c << "\n" << r.output;
            EXPECT_NE(r.output.find("mask encoding"), std::string::npos) << r.output;
            EXPECT_TRUE(snapshot(d) == before);
        } else {
            expectRefused({"validate", d.string()}, d, d.string());
        }
    }
}

TEST_F(CliCorpus, ImportEveryDataset) {
    for (const auto& c : casesIn("datasets")) {
        const fs::path d = copyOf(c);
        if (isOk(c)) {
            const CliResult r = runCli({"import", d.string()});
            EXPECT_EQ(r.exitCode, 0) << c << "\n" << r.output;
            EXPECT_TRUE(fs::exists(d / "maskforge.json")) << c;
            EXPECT_NE(r.output.find("mask encoding"), std::string::npos) << r.output;
        } else {
            expectRefused({"import", d.string()}, d, d.string());
        }
    }
    // The multi-class project with a 0/255 mask: index encoding, 255 stays ignore.
    const CliResult r = runCli({"validate", (m_tmp.path() / "ok-0-255-in-multiclass").string()});
    EXPECT_NE(r.output.find("mask encoding: index"), std::string::npos) << r.output;
}

TEST_F(CliCorpus, ScoreEveryDatasetsMasks) {
    for (const auto& c : casesIn("datasets")) {
        if (isOk(c) || !fs::exists(c / "masks"))
            continue;
        const fs::path d = copyOf(c);
        const auto before = snapshot(d);
        const CliResult r = runCli({"score", "--truth", (d / "masks").string(), "--pred", (d / "masks").string()});
        EXPECT_FALSE(r.signalled) << c << r.output;
        EXPECT_TRUE(r.exitCode == 0 || r.exitCode == 1 || r.exitCode == 2) << c << r.output;
        EXPECT_TRUE(snapshot(d) == before);
    }
}

TEST_F(CliCorpus, PredictEveryDatasetsImages) {
    for (const auto& c : casesIn("datasets")) {
        if (!fs::exists(c / "images") || fs::is_empty(c / "images"))
            continue;
        const fs::path d = copyOf(c), out = m_tmp.path() / ("pred-" + c.filename().string());
        const std::vector<std::string> args = {"predict", "--run", checkpoint("other-class-count-5.pt"), "--input",
                                               (d / "images").string(), "--out", out.string(), "--device", "cpu"};
        const std::string name = c.filename().string();
        const bool badImage = name.find("png") != std::string::npos || name.find("jpg") != std::string::npos ||
                              name == "huge-claim";
        if (badImage) {
            expectRefused(args, d, d.string());
        } else {
            const CliResult r = runCli(args);
            EXPECT_EQ(r.exitCode, 0) << c << "\n" << r.output;
        }
    }
}

TEST_F(CliCorpus, ProjectFilesValidate) {
    for (const auto& c : casesIn("projects")) {
        const fs::path p = copyOf(c);
        expectRefused({"validate", p.string()}, p, "maskforge.json");
        // import never replaces a project file unasked, however broken (--overwrite re-imports).
        expectRefused({"import", p.string()}, p, "maskforge.json");
    }
}

TEST_F(CliCorpus, ProjectFilesTrain) {
    for (const auto& c : casesIn("projects")) {
        if (c.filename() == "bad-entries")
            continue;  // it loads (the bad entries are kept; validate names them)
        const fs::path p = copyOf(c);
        expectRefused({"train", "--data", p.string(), "--epochs", "1", "--size", "32", "--width", "4", "--device", "cpu",
                       "--out", (m_tmp.path() / "run").string()},
                      p, "maskforge.json");
    }
}

TEST_F(CliCorpus, ProjectFilesEvaluate) {
    for (const auto& c : casesIn("projects")) {
        if (c.filename() == "bad-entries")
            continue;
        const fs::path p = copyOf(c);
        expectRefused({"evaluate", "--run", checkpoint("other-class-count-5.pt"), "--data", p.string(), "--device", "cpu"},
                      p, "maskforge.json");
    }
}

TEST_F(CliCorpus, TrainConfigs) {
    for (const auto& c : casesIn("configs")) {
        const fs::path s = copyOf(fs::path(sample())), run = m_tmp.path() / "run";
        expectRefused({"train", "--config", c.string(), "--data", s.string(), "--out", run.string(), "--epochs", "1"}, s,
                      c.filename().string());
        EXPECT_FALSE(fs::exists(run)) << "a refused config made a run folder";
        fs::remove_all(s);
    }
}

TEST_F(CliCorpus, Checkpoints) {
    const fs::path s = copyOf(fs::path(sample()));
    for (const auto& c : casesIn("checkpoints")) {
        const std::string name = c.filename().string();
        if (name == "other-class-count-5.pt")
            continue;  // it fits the sample's five classes; it is the good one here
        const fs::path ckDir = m_tmp.path() / ("ck-" + name);
        fs::create_directories(ckDir);
        const std::string ck = (ckDir / name).string();
        fs::copy_file(c, ck);
        const fs::path out = m_tmp.path() / "out";
        if (name != "good-encdec-2-classes.pt")  // a good checkpoint predicts any image; it is bad for the sample's labels
            expectRefused({"predict", "--run", ck, "--input", (s / "images").string(), "--out", out.string(), "--device", "cpu"},
                      ckDir, name);
        EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out)) << name;
        expectRefused({"evaluate", "--run", ck, "--data", s.string(), "--device", "cpu"}, ckDir, name);
        expectRefused({"train", "--resume", ck, "--data", s.string(), "--out", (m_tmp.path() / "r").string(), "--epochs", "1",
                       "--device", "cpu"},
                      ckDir, name);
        expectRefused({"compare", "--runs", ck, checkpoint("other-class-count-5.pt"), "--data", s.string(), "--device", "cpu"},
                      ckDir, name);
    }
}

TEST_F(CliCorpus, FullDiskAndReadOnlyFolder) {
    const fs::path okCase = corpus() / "datasets" / "ok-1x1";
    for (const char* error : {"ENOSPC", "EROFS", "EIO"}) {
        const fs::path d = copyOf(okCase);
        expectRefused({"import", d.string()}, d, "maskforge.json", {std::string("MF_INJECT_WRITE_ERROR=") + error});
        const fs::path out = m_tmp.path() / "sample-out";
        const CliResult r = runCli({"make-sample", "--out", out.string(), "--count", "2", "--size", "32"},
                                   {std::string("MF_INJECT_WRITE_ERROR=") + error});
        EXPECT_EQ(r.exitCode, 2) << r.output;
        EXPECT_FALSE(r.signalled);
        for (const auto& e : fs::recursive_directory_iterator(out))
            EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << "a temporary file was left: " << e.path();
        fs::remove_all(d);
        fs::remove_all(out);
    }
}
