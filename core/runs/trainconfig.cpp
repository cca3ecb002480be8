#include "runs/trainconfig.h"

#include "io/atomicfile.h"
#include "io/errors.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

namespace mf {
namespace {

// One list of (key, member) pairs drives reading, writing and the unknown-key check, so the three
// can never disagree. The YAML keys are snake_case; `augment` is a nested section.
template <class A, class V>
void visitAugment(A& a, V&& v) {
    v("hflip", a.hflip);
    v("vflip", a.vflip);
    v("shift_scale_rotate", a.shiftScaleRotate);
    v("shift_limit", a.shiftLimit);
    v("scale_limit", a.scaleLimit);
    v("rotate_limit", a.rotateLimit);
    v("gaussian_blur", a.gaussianBlur);
    v("brightness_contrast", a.brightnessContrast);
    v("brightness_limit", a.brightnessLimit);
    v("contrast_limit", a.contrastLimit);
    v("jpeg", a.jpeg);
    v("jpeg_quality_low", a.jpegQualityLow);
    v("jpeg_quality_high", a.jpegQualityHigh);
    v("grid_distortion", a.gridDistortion);
    v("optical_distortion", a.opticalDistortion);
    v("mosaic", a.mosaic);
    v("random_crop", a.randomCrop);
    v("crop_min_area", a.cropMinArea);
}

template <class C, class V>
void visitConfig(C& c, V&& v) {
    v("data", c.data);
    v("val", c.val);
    v("size", c.size);
    v("input", c.input);
    v("crop_foreground", c.cropForeground);
    v("epoch_repeats", c.epochRepeats);
    v("val_resolution", c.valResolution);
    v("predict_tile", c.predictTile);
    v("predict_overlap", c.predictOverlap);
    v("predict_flip", c.predictFlip);
    v("calibrate", c.calibrate);
    v("batch", c.batch);
    v("workers", c.workers);
    v("prefetch", c.prefetch);
    v("cache_mb", c.cacheMB);
    v("mean", c.mean);
    v("std", c.std);
    v("arch", c.arch);
    v("encoder", c.encoder);
    v("encoder_weights", c.encoderWeights);
    v("width", c.width);
    v("depth", c.depth);
    v("attention", c.attention);
    v("attention_heads", c.attentionHeads);
    v("deep_supervision", c.deepSupervision);
    v("ce_weight", c.ceWeight);
    v("dice_weight", c.diceWeight);
    v("focal_weight", c.focalWeight);
    v("focal_gamma", c.focalGamma);
    v("dice_include_background", c.diceIncludeBackground);
    v("dice_smooth", c.diceSmooth);
    v("class_weights", c.classWeights);
    v("ignore_index", c.ignoreIndex);
    v("supervision", c.supervision);
    v("box_projection_weight", c.boxProjectionWeight);
    v("box_pairwise_weight", c.boxPairwiseWeight);
    v("box_pairwise_threshold", c.boxPairwiseThreshold);
    v("box_pairwise_dilation", c.boxPairwiseDilation);
    v("optimizer", c.optimizer);
    v("lr", c.lr);
    v("weight_decay", c.weightDecay);
    v("momentum", c.momentum);
    v("schedule", c.schedule);
    v("warmup_epochs", c.warmupEpochs);
    v("step_size", c.stepSize);
    v("step_gamma", c.stepGamma);
    v("clip_norm", c.clipNorm);
    v("epochs", c.epochs);
    v("time_budget", c.timeBudget);
    v("seed", c.seed);
    v("device", c.device);
    v("mixed_precision", c.mixedPrecision);
    v("channels_last", c.channelsLast);
    v("threads", c.threads);
    v("monitor", c.monitor);
    v("patience", c.patience);
    v("out", c.out);
    v("resume", c.resume);
}

const char* typeName(const std::string&) { return "a string"; }
const char* typeName(int) { return "an integer"; }
const char* typeName(std::uint64_t) { return "a non-negative integer"; }
const char* typeName(double) { return "a number"; }
const char* typeName(bool) { return "true or false"; }
const char* typeName(const std::vector<double>&) { return "a list of numbers"; }

/** Reads members from a YAML map, naming the file, the key and its line in every error. */
class Reader {
public:
    Reader(const YAML::Node& map, std::string file, std::string prefix)
        : m_map(map), m_file(std::move(file)), m_prefix(std::move(prefix)) {}

    template <class T>
    void operator()(const char* key, T& value) {
        const YAML::Node node = m_map[key];
        if (!node || node.IsNull())
            return;
        try {
            read(node, value);
        } catch (const YAML::Exception&) {
            throw FileError(m_file, where(node) + "key '" + m_prefix + key + "' must be " + typeName(value));
        }
        if (!finite(value))
            throw FileError(m_file, where(node) + "key '" + m_prefix + key + "' must be finite (not nan or inf)");
    }

private:
    // YAML reads .nan/.inf as numbers; no setting means anything with them, and they do not round-trip.
    static bool finite(double v) { return std::isfinite(v); }
    static bool finite(const std::vector<double>& v) {
        for (double d : v)
            if (!std::isfinite(d))
                return false;
        return true;
    }
    template <class T>
    static bool finite(const T&) { return true; }

    static std::string where(const YAML::Node& node) {
        return node.Mark().is_null() ? std::string() : "line " + std::to_string(node.Mark().line + 1) + ": ";
    }
    static void read(const YAML::Node& n, std::string& v) {
        if (!n.IsScalar())
            throw YAML::BadConversion(n.Mark());
        v = n.as<std::string>();
    }
    static void read(const YAML::Node& n, std::vector<double>& v) {
        if (!n.IsSequence())
            throw YAML::BadConversion(n.Mark());
        v.clear();
        for (const auto& item : n)
            v.push_back(item.as<double>());
    }
    template <class T>
    static void read(const YAML::Node& n, T& v) {
        if (!n.IsScalar())
            throw YAML::BadConversion(n.Mark());
        v = n.as<T>();
    }

    YAML::Node m_map;
    std::string m_file, m_prefix;
};

/** Throws for a key of `map` that `known` does not list (a typo must not be silently ignored). */
void checkKeys(const YAML::Node& map, const std::set<std::string>& known, const std::string& file,
               const std::string& prefix) {
    for (const auto& kv : map) {
        if (!kv.first.IsScalar())
            throw FileError(file, "line " + std::to_string(kv.first.Mark().line + 1) + ": a key" +
                                      (prefix.empty() ? std::string() : " under '" + prefix.substr(0, prefix.size() - 1) + "'") +
                                      " must be a plain name, not a list or map");
        const auto key = kv.first.as<std::string>();
        if (!known.count(key))
            throw FileError(file, "line " + std::to_string(kv.first.Mark().line + 1) + ": unknown key '" + prefix +
                                      key + "'");
    }
}

template <class S, class Visit>
std::set<std::string> keysOf(S& s, Visit visit) {
    std::set<std::string> keys;
    visit(s, [&](const char* k, auto&) { keys.insert(k); });
    return keys;
}

/** The shortest text that reads back as the same double (0.1, not 0.10000000000000001). */
std::string shortest(double d) {
    char buf[32];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, d);
        if (std::strtod(buf, nullptr) == d)
            break;
    }
    std::string s = buf;
    if (s.find_first_of(".eEn") == std::string::npos)
        s += ".0";  // stays a float for readers that care
    return s;
}

void emit(YAML::Emitter& e, double d) { e << shortest(d); }
void emit(YAML::Emitter& e, const std::vector<double>& v) {
    e << YAML::Flow << YAML::BeginSeq;
    for (double d : v)
        e << shortest(d);
    e << YAML::EndSeq;
}
void emit(YAML::Emitter& e, const std::string& v) { e << YAML::DoubleQuoted << v; }
template <class T>
void emit(YAML::Emitter& e, const T& v) { e << v; }

} // namespace

namespace {
TrainConfig parseTrainConfigYaml(const std::string& yaml, const std::string& file) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception& e) {
        throw FileError(file, "not valid YAML: " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
    }
    TrainConfig c;
    if (!root || root.IsNull())
        return c;
    if (!root.IsMap())
        throw FileError(file, "a training config must be a map of key: value");
    auto known = keysOf(c, [](auto& s, auto&& v) { visitConfig(s, v); });
    known.insert("augment");
    checkKeys(root, known, file, "");
    visitConfig(c, Reader(root, file, ""));
    if (const YAML::Node aug = root["augment"]; aug && !aug.IsNull()) {
        if (!aug.IsMap())
            throw FileError(file, "key 'augment' must be a map of augmentation: probability");
        checkKeys(aug, keysOf(c.augment, [](auto& s, auto&& v) { visitAugment(s, v); }), file, "augment.");
        visitAugment(c.augment, Reader(aug, file, "augment."));
    }
    return c;
}
} // namespace

TrainConfig parseTrainConfig(const std::string& yaml, const std::string& file) {
    try {
        return parseTrainConfigYaml(yaml, file);
    } catch (const YAML::Exception& e) {
        // The net under the checks above: whatever yaml-cpp still refuses names the file.
        throw FileError(file, "cannot read the config: " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
    }
}

TrainConfig loadTrainConfig(const std::string& path) {
    if (!std::filesystem::is_regular_file(path))
        throw FileError(path, "no such config file");
    return parseTrainConfig(readFileBytes(path), path);
}

std::string toYaml(const TrainConfig& config) {
    YAML::Emitter e;
    e << YAML::BeginMap;
    auto writer = [&](const char* key, const auto& value) {
        e << YAML::Key << key << YAML::Value;
        emit(e, value);
    };
    visitConfig(config, writer);
    e << YAML::Key << "augment" << YAML::Value << YAML::BeginMap;
    visitAugment(config.augment, writer);
    e << YAML::EndMap << YAML::EndMap;
    return std::string(e.c_str()) + "\n";
}

} // namespace mf
