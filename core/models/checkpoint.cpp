#include "models/checkpoint.h"

#include "io/atomicfile.h"
#include "io/errors.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <sstream>

namespace mf {
namespace {

constexpr const char* kFormat = "maskforge-checkpoint";
constexpr int kVersion = 1;

nlohmann::json toJson(const CheckpointMeta& m) {
    const ModelSpec& s = m.spec;
    return {{"format", kFormat},
            {"version", kVersion},
            {"spec",
             {{"arch", s.arch}, {"encoder", s.encoder}, {"in_channels", s.inChannels}, {"classes", s.classes},
              {"width", s.width}, {"depth", s.depth}, {"attention", s.attention},
              {"attention_heads", s.attentionHeads}, {"deep_supervision", s.deepSupervision}}},
            {"class_names", m.classNames}, {"size", m.size}, {"mean", m.mean}, {"std", m.std},
            {"ignore_index", m.ignoreIndex}, {"epoch", m.epoch}, {"global_step", m.globalStep},
            {"best_epoch", m.bestEpoch}, {"best_score", m.bestScore}, {"monitor", m.monitor},
            {"config", m.configYaml}, {"metrics_csv", m.metricsCsv}, {"interrupted", m.interrupted},
            {"epoch_step", m.epochStep}, {"epoch_loss_sum", m.epochLossSum}, {"class_bias", m.classBias},
            {"calibration", m.calibrationNote}};
}

CheckpointMeta fromJson(const nlohmann::json& j, const std::string& path) {
    if (!j.is_object() || j.value("format", "") != kFormat)
        throw FileError(path, "not a MaskForge checkpoint (no MaskForge description inside)");
    if (j.value("version", 0) > kVersion)
        throw FileError(path, "checkpoint written by a newer MaskForge (version " + std::to_string(j.value("version", 0)) + ")");
    CheckpointMeta m;
    const auto& s = j.at("spec");
    m.spec.arch = s.at("arch");
    m.spec.encoder = s.at("encoder");
    m.spec.inChannels = s.at("in_channels");
    m.spec.classes = s.at("classes");
    m.spec.width = s.at("width");
    m.spec.depth = s.at("depth");
    m.spec.attention = s.at("attention");
    m.spec.attentionHeads = s.at("attention_heads");
    m.spec.deepSupervision = s.at("deep_supervision");
    m.classNames = j.at("class_names").get<std::vector<std::string>>();
    m.size = j.at("size");
    m.mean = j.at("mean").get<std::vector<double>>();
    m.std = j.at("std").get<std::vector<double>>();
    m.ignoreIndex = j.at("ignore_index");
    m.epoch = j.at("epoch");
    m.globalStep = j.at("global_step");
    m.bestEpoch = j.at("best_epoch");
    m.bestScore = j.at("best_score");
    m.monitor = j.at("monitor");
    m.configYaml = j.at("config");
    m.metricsCsv = j.at("metrics_csv");
    m.interrupted = j.at("interrupted");
    m.epochStep = j.value("epoch_step", 0);  // absent in checkpoints written before it was kept
    m.epochLossSum = j.value("epoch_loss_sum", 0.0);
    m.classBias = j.value("class_bias", std::vector<double>{});  // absent before calibration existed
    m.calibrationNote = j.value("calibration", std::string{});
    if (!m.classBias.empty() && static_cast<int>(m.classBias.size()) != m.spec.classes)
        throw FileError(path, "damaged checkpoint description: " + std::to_string(m.classBias.size()) +
                                  " class offsets for " + std::to_string(m.spec.classes) + " classes");
    return m;
}

torch::serialize::InputArchive openArchive(const std::string& path, const torch::Device& device) {
    if (!std::filesystem::is_regular_file(path))
        throw FileError(path, "no such checkpoint file");
    torch::serialize::InputArchive archive;
    try {
        std::istringstream in(readFileBytes(path));
        archive.load_from(in, device);
    } catch (const c10::Error& e) {
        throw FileError(path, "not a MaskForge checkpoint (not a LibTorch archive)");
    }
    return archive;
}

CheckpointMeta metaOf(torch::serialize::InputArchive& archive, const std::string& path) {
    c10::IValue value;
    try {
        if (!archive.try_read("meta", value) || !value.isString())
            throw FileError(path, "not a MaskForge checkpoint (no MaskForge description inside)");
        return fromJson(nlohmann::json::parse(value.toStringRef()), path);
    } catch (const nlohmann::json::exception& e) {
        throw FileError(path, std::string("damaged checkpoint description: ") + e.what());
    }
}

} // namespace

std::string checkpointBytes(torch::nn::Module& model, torch::optim::Optimizer* optimizer, const CheckpointMeta& meta) {
    torch::serialize::OutputArchive archive;
    archive.write("meta", c10::IValue(toJson(meta).dump()));
    torch::serialize::OutputArchive weights;
    model.save(weights);
    archive.write("model", weights);
    if (optimizer) {
        torch::serialize::OutputArchive state;
        optimizer->save(state);
        archive.write("optimizer", state);
    }
    archive.write("rng_cpu", at::detail::getDefaultCPUGenerator().get_state());
    std::ostringstream bytes;
    archive.save_to(bytes);
    return bytes.str();
}

void saveCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                    const CheckpointMeta& meta) {
    writeFileAtomic(path, checkpointBytes(model, optimizer, meta));
}

CheckpointMeta readCheckpointMeta(const std::string& path) {
    auto archive = openArchive(path, torch::kCPU);
    return metaOf(archive, path);
}

CheckpointMeta loadCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                              bool restoreRng, const torch::Device& device) {
    auto archive = openArchive(path, device);
    CheckpointMeta meta = metaOf(archive, path);
    try {
        torch::serialize::InputArchive weights;
        archive.read("model", weights);
        // Module::load replaces tensors whatever their shape: a checkpoint whose weights belong to
        // another network would load and fail later, deep in a forward pass. Compare shapes here.
        std::vector<std::pair<std::string, std::vector<std::int64_t>>> expected;
        for (const auto& item : model.named_parameters())
            expected.push_back({item.key(), item.value().sizes().vec()});
        for (const auto& item : model.named_buffers())
            expected.push_back({item.key(), item.value().sizes().vec()});
        model.load(weights);
        std::map<std::string, std::vector<std::int64_t>> loaded;
        for (const auto& item : model.named_parameters())
            loaded[item.key()] = item.value().sizes().vec();
        for (const auto& item : model.named_buffers())
            loaded[item.key()] = item.value().sizes().vec();
        for (const auto& [name, shape] : expected)
            if (loaded[name] != shape)
                throw FileError(path, "checkpoint does not fit its network: " + name + " has shape " +
                                          c10::str(c10::IntArrayRef(loaded[name])) + ", the network (" +
                                          describe(meta.spec) + ") expects " + c10::str(c10::IntArrayRef(shape)));
        if (optimizer) {
            torch::serialize::InputArchive state;
            if (!archive.try_read("optimizer", state))
                throw FileError(path, "checkpoint has no optimiser state to resume from");
            optimizer->load(state);
        }
        if (restoreRng) {
            torch::Tensor rng;
            if (archive.try_read("rng_cpu", rng))
                {
                auto generator = at::detail::getDefaultCPUGenerator();
                generator.set_state(rng.cpu());
            }
        }
    } catch (const c10::Error& e) {
        throw FileError(path, "checkpoint does not fit its network: " + std::string(e.what_without_backtrace()));
    }
    return meta;
}

std::string resolveCheckpoint(const std::string& runOrCheckpoint) {
    namespace fs = std::filesystem;
    if (fs::is_directory(runOrCheckpoint)) {
        for (const char* name : {"best.pt", "last.pt"})
            if (fs::is_regular_file(fs::path(runOrCheckpoint) / name))
                return (fs::path(runOrCheckpoint) / name).string();
        throw FileError(runOrCheckpoint, "run folder has neither best.pt nor last.pt");
    }
    if (!fs::exists(runOrCheckpoint))
        throw FileError(runOrCheckpoint, "no such run folder or checkpoint");
    return runOrCheckpoint;
}

} // namespace mf
