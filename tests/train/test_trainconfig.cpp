#include "io/errors.h"
#include "runs/trainconfig.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

using namespace mf;

namespace {

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST(TrainConfig, RoundTripsEveryField) {
    TrainConfig c;
    c.data = "some/project";
    c.val = "val dir: with colon";
    c.size = 96;
    c.mean = {0.1, 0.2, 0.3};
    c.classWeights = {1.0, 2.5};
    c.lr = 3e-4;
    c.seed = 123456789012345ULL;
    c.mixedPrecision = true;
    c.schedule = "cosine";
    c.timeBudget = 828;
    c.augment.vflip = 0.25;
    c.augment.jpegQualityLow = 40;
    c.augment.cropMinArea = 0.7;
    c.supervision = "boxes";
    c.boxPairwiseWeight = 0.5;
    c.boxPairwiseDilation = 3;
    const std::string yaml = toYaml(c);
    const TrainConfig back = parseTrainConfig(yaml, "mem.yaml");
    EXPECT_EQ(toYaml(back), yaml);
    EXPECT_EQ(back.val, c.val);
    EXPECT_EQ(back.seed, c.seed);
    EXPECT_DOUBLE_EQ(back.lr, 3e-4);
    EXPECT_EQ(back.classWeights, c.classWeights);
    EXPECT_DOUBLE_EQ(back.augment.vflip, 0.25);
    EXPECT_EQ(back.augment.jpegQualityLow, 40);
    EXPECT_DOUBLE_EQ(back.timeBudget, 828);
    EXPECT_EQ(back.supervision, "boxes");
    EXPECT_DOUBLE_EQ(back.boxPairwiseWeight, 0.5);
    EXPECT_EQ(back.boxPairwiseDilation, 3);
    EXPECT_NE(yaml.find("lr: 0.0003"), std::string::npos) << yaml;
}

TEST(TrainConfig, EmptyTextGivesDefaults) {
    EXPECT_EQ(toYaml(parseTrainConfig("", "empty.yaml")), toYaml(TrainConfig{}));
}

TEST(TrainConfig, UnknownKeyNamesFileAndKey) {
    const auto e = errorOf([] { parseTrainConfig("size: 64\nepochz: 3\n", "run.yaml"); });
    EXPECT_NE(e.find("run.yaml"), std::string::npos) << e;
    EXPECT_NE(e.find("epochz"), std::string::npos) << e;
    EXPECT_NE(e.find("line 2"), std::string::npos) << e;
    const auto a = errorOf([] { parseTrainConfig("augment:\n  hflp: 0.5\n", "run.yaml"); });
    EXPECT_NE(a.find("augment.hflp"), std::string::npos) << a;
}

TEST(TrainConfig, WrongTypeNamesKey) {
    EXPECT_THROW(parseTrainConfig("epochs: many\n", "run.yaml"), FileError);
    const auto e = errorOf([] { parseTrainConfig("epochs: 2.5\n", "run.yaml"); });
    EXPECT_NE(e.find("'epochs'"), std::string::npos) << e;
    EXPECT_NE(e.find("integer"), std::string::npos) << e;
    EXPECT_NE(errorOf([] { parseTrainConfig("mean: 0.5\n", "r.yaml"); }).find("'mean'"), std::string::npos);
    EXPECT_NE(errorOf([] { parseTrainConfig("arch: [a, b]\n", "r.yaml"); }).find("'arch'"), std::string::npos);
    EXPECT_NE(errorOf([] { parseTrainConfig("channels_last: maybe\n", "r.yaml"); }).find("channels_last"),
              std::string::npos);
    EXPECT_NE(errorOf([] { parseTrainConfig("augment: 3\n", "r.yaml"); }).find("augment"), std::string::npos);
    EXPECT_NE(errorOf([] { parseTrainConfig("size: [1\n", "bad.yaml"); }).find("bad.yaml"), std::string::npos);
}

// Found by fuzz_train_config in CI: `.NAN` was accepted as a probability, and the saved config
// ("nan") no longer read back. Numbers must be finite, in lists too, and the error names the key.
TEST(TrainConfig, NonFiniteNumbersAreRefused) {
    const auto e = errorOf([] { parseTrainConfig("# x\naugment:\n  hflip: .NAN\n", "run.yaml"); });
    EXPECT_NE(e.find("run.yaml"), std::string::npos) << e;
    EXPECT_NE(e.find("augment.hflip"), std::string::npos) << e;
    EXPECT_NE(e.find("finite"), std::string::npos) << e;
    EXPECT_THROW(parseTrainConfig("lr: .inf\n", "r.yaml"), FileError);
    EXPECT_THROW(parseTrainConfig("lr: -.Inf\n", "r.yaml"), FileError);
    const auto m = errorOf([] { parseTrainConfig("mean: [0.5, .nan, 0.2]\n", "r.yaml"); });
    EXPECT_NE(m.find("'mean'"), std::string::npos) << m;
    // a finite config still round-trips
    const TrainConfig ok = parseTrainConfig("lr: 1e-3\nmean: [0.5, 0.4, 0.2]\n", "r.yaml");
    EXPECT_EQ(toYaml(parseTrainConfig(toYaml(ok), "again.yaml")), toYaml(ok));
}

// Found by fuzz_train_config: a key that is itself a list or map (YAML's `? [a, b]`) escaped as a
// yaml-cpp exception instead of a FileError naming the file.
TEST(TrainConfig, NonScalarKeyIsFileError) {
    const auto e = errorOf([] {
        try {
            parseTrainConfig("? [a, b]\n: 1\n", "run.yaml");
        } catch (const FileError&) {
            throw;
        } catch (...) {
            throw std::runtime_error("not a FileError");
        }
    });
    EXPECT_NE(e.find("run.yaml"), std::string::npos) << e;
    EXPECT_NE(e.find("line 1"), std::string::npos) << e;
    EXPECT_THROW(parseTrainConfig("augment:\n  ? {x: 1}\n  : 0.5\n", "run.yaml"), FileError);
}

TEST(TrainConfig, MissingFileIsFileError) {
    EXPECT_THROW(loadTrainConfig("/nonexistent/run.yaml"), FileError);
}

TEST(TrainConfig, ValidateNamesTheKey) {
    TrainConfig c;
    c.data = MF_SOURCE_DIR;  // any existing folder
    EXPECT_NO_THROW(validateTrainConfig(c));
    auto keyOf = [&](auto change) {
        TrainConfig bad = c;
        change(bad);
        return errorOf([&] { validateTrainConfig(bad); });
    };
    EXPECT_NE(keyOf([](TrainConfig& b) { b.data = "/no/such/data"; }).find("'data'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.data.clear(); }).find("'data'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.arch = "resnet"; }).find("'arch'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.optimizer = "lion"; }).find("'optimizer'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.lr = -1; }).find("'lr'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.epochs = 0; }).find("'epochs'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.timeBudget = -5; }).find("'time_budget'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.device = "tpu"; }).find("'device'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.augment.hflip = 1.5; }).find("augment.hflip"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.mean = {0.5}; }).find("'mean'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.monitor = "f1"; }).find("'monitor'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.resume = "/no/such.pt"; }).find("'resume'"), std::string::npos);
    const std::string supervision = keyOf([](TrainConfig& b) { b.supervision = "scribbles"; });
    EXPECT_NE(supervision.find("'supervision'"), std::string::npos) << supervision;
    EXPECT_NE(supervision.find("auto"), std::string::npos) << supervision;  // says what is allowed
    EXPECT_NE(keyOf([](TrainConfig& b) { b.boxPairwiseThreshold = 1.5; }).find("'box_pairwise_threshold'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.boxPairwiseDilation = 0; }).find("'box_pairwise_dilation'"), std::string::npos);
    EXPECT_NE(keyOf([](TrainConfig& b) { b.boxProjectionWeight = -1; }).find("'box_projection_weight'"), std::string::npos);
}

TEST(TrainConfig, PresetsLoadAndValidate) {
    for (const char* name : {"quick-cpu.yaml", "full-gpu.yaml", "horses-unet.yaml"}) {
        const auto path = std::filesystem::path(MF_SOURCE_DIR) / "configs" / name;
        TrainConfig c = loadTrainConfig(path.string());
        c.data = MF_SOURCE_DIR;
        c.val.clear();
        EXPECT_NO_THROW(validateTrainConfig(c)) << name;
    }
}
