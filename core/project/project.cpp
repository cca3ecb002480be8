#include "project/project.h"

#include "io/atomicfile.h"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace mf {

namespace {

const char* kStatusNames[] = {"unlabelled", "coarse", "refined", "reviewed"};
const char* kSplitNames[] = {"none", "train", "val", "test"};

json colorToJson(const std::array<std::uint8_t, 3>& c) {
    return json::array({c[0], c[1], c[2]});
}

std::array<std::uint8_t, 3> colorFromJson(const json& j, const std::string& where) {
    if (!j.is_array() || j.size() != 3)
        throw std::runtime_error(where + ": colour must be [r, g, b]");
    std::array<std::uint8_t, 3> c{};
    for (int i = 0; i < 3; ++i) {
        int v = j.at(i).get<int>();
        if (v < 0 || v > 255)
            throw std::runtime_error(where + ": colour component out of 0..255");
        c[i] = static_cast<std::uint8_t>(v);
    }
    return c;
}

ClassInfo classFromJson(const json& j, std::size_t index) {
    const std::string where = "classes[" + std::to_string(index) + "]";
    if (!j.is_object())
        throw std::runtime_error(where + " must be an object");
    ClassInfo c;
    c.id = j.at("id").get<int>();
    if (c.id < 0 || c.id > 254)
        throw std::runtime_error(where + ": id " + std::to_string(c.id) + " out of 0..254");
    c.name = j.at("name").get<std::string>();
    c.color = j.contains("color") ? colorFromJson(j["color"], where) : defaultClassColor(c.id);
    return c;
}

ImageEntry imageFromJson(const json& j, std::size_t index) {
    const std::string where = "images[" + std::to_string(index) + "]";
    if (!j.is_object() || !j.contains("image"))
        throw std::runtime_error(where + " must be an object with an \"image\" path");
    ImageEntry e;
    e.image = j.at("image").get<std::string>();
    e.mask = j.value("mask", std::string());
    e.coarse = j.value("coarse", std::string());
    e.boxes = j.value("boxes", std::string());
    e.group = j.value("group", std::string());
    auto status = parseImageStatus(j.value("status", std::string("unlabelled")));
    if (!status)
        throw std::runtime_error(where + ": unknown status \"" + j.value("status", std::string()) + "\"");
    e.status = *status;
    auto split = parseSplit(j.value("split", std::string("none")));
    if (!split)
        throw std::runtime_error(where + ": unknown split \"" + j.value("split", std::string()) + "\"");
    e.split = *split;
    return e;
}

json imageToJson(const ImageEntry& e) {
    json j = {{"image", e.image}, {"status", toString(e.status)}, {"split", toString(e.split)}};
    if (!e.mask.empty()) j["mask"] = e.mask;
    if (!e.coarse.empty()) j["coarse"] = e.coarse;
    if (!e.boxes.empty()) j["boxes"] = e.boxes;
    if (!e.group.empty()) j["group"] = e.group;
    return j;
}

void checkClassIds(const std::vector<ClassInfo>& classes) {
    for (std::size_t i = 0; i < classes.size(); ++i)
        if (classes[i].id != static_cast<int>(i))
            throw std::runtime_error("classes must have ids 0..N-1 in order; classes[" + std::to_string(i) +
                                     "] has id " + std::to_string(classes[i].id));
}

} // namespace

std::string toString(ImageStatus s) { return kStatusNames[static_cast<int>(s)]; }
std::string toString(Split s) { return kSplitNames[static_cast<int>(s)]; }

std::optional<ImageStatus> parseImageStatus(const std::string& s) {
    for (int i = 0; i < 4; ++i)
        if (s == kStatusNames[i])
            return static_cast<ImageStatus>(i);
    return std::nullopt;
}

std::optional<Split> parseSplit(const std::string& s) {
    for (int i = 0; i < 4; ++i)
        if (s == kSplitNames[i])
            return static_cast<Split>(i);
    return std::nullopt;
}

Project Project::load(const std::string& path, std::vector<Problem>* problems) {
    fs::path file(path);
    if (fs::is_directory(file))
        file /= kFileName;
    file = fs::absolute(file).lexically_normal();
    const std::string text = readFileBytes(file.string());
    return fromJson(text, file.parent_path().string(), file.string(), problems);
}

Project Project::fromJson(const std::string& text, const std::string& root, const std::string& file,
                          std::vector<Problem>* problems) {
    Project p(root.empty() ? "." : root);
    try {
        const json j = json::parse(text);
        if (!j.is_object())
            throw std::runtime_error("top level must be a JSON object");
        const int version = j.value("schema_version", 0);
        if (version < 1 || version > kSchemaVersion)
            throw std::runtime_error("unsupported schema_version " + std::to_string(version) + " (this build reads 1.." +
                                     std::to_string(kSchemaVersion) + ")");
        p.m_name = j.value("name", fs::path(p.m_root).filename().string());
        p.m_ignoreIndex = j.value("ignore_index", 255);
        p.m_splitSeed = j.value("split_seed", std::uint64_t{0});
        const json& classes = j.at("classes");
        for (std::size_t i = 0; i < classes.size(); ++i)
            p.m_classes.push_back(classFromJson(classes[i], i));
        checkClassIds(p.m_classes);
        const json images = j.value("images", json::array());
        for (std::size_t i = 0; i < images.size(); ++i) {
            try {
                p.m_images.push_back(imageFromJson(images[i], i));
            } catch (const std::exception& e) {
                if (!problems)
                    throw;
                problems->push_back({file, e.what()});
            }
        }
    } catch (const json::exception& e) {
        throw FileError(file, std::string("malformed project file: ") + e.what());
    } catch (const FileError&) {
        throw;
    } catch (const std::exception& e) {
        throw FileError(file, std::string("malformed project file: ") + e.what());
    }
    return p;
}

std::string Project::toJson() const {
    json classes = json::array();
    for (const auto& c : m_classes)
        classes.push_back({{"id", c.id}, {"name", c.name}, {"color", colorToJson(c.color)}});
    json images = json::array();
    for (const auto& e : m_images)
        images.push_back(imageToJson(e));
    json j = {{"schema_version", kSchemaVersion}, {"name", m_name},     {"ignore_index", m_ignoreIndex},
              {"split_seed", m_splitSeed},        {"classes", classes}, {"images", images}};
    return j.dump(2) + "\n";
}

void Project::save() const {
    writeFileAtomic(filePath(), toJson());
}

std::string Project::filePath() const { return (fs::path(m_root) / kFileName).string(); }

std::string Project::absolute(const std::string& rel) const {
    if (rel.empty())
        return rel;
    fs::path p(rel);
    return p.is_absolute() ? rel : (fs::path(m_root) / p).lexically_normal().string();
}

std::string Project::relative(const std::string& path) const {
    fs::path p(path);
    if (!p.is_absolute())
        return path;
    fs::path rel = p.lexically_relative(fs::absolute(m_root));
    if (rel.empty() || *rel.begin() == "..")
        return path;
    return rel.string();
}

const ClassInfo* Project::findClass(int id) const {
    for (const auto& c : m_classes)
        if (c.id == id)
            return &c;
    return nullptr;
}

std::array<std::uint8_t, 3> defaultClassColor(int id) {
    static const std::array<std::uint8_t, 3> table[] = {
        {0, 0, 0},       {230, 25, 75},  {60, 180, 75},  {255, 225, 25}, {0, 130, 200},  {245, 130, 48},
        {145, 30, 180},  {70, 240, 240}, {240, 50, 230}, {210, 245, 60}, {250, 190, 212}, {0, 128, 128},
        {220, 190, 255}, {170, 110, 40}, {255, 250, 200}, {128, 0, 0},   {170, 255, 195}, {128, 128, 0},
        {255, 215, 180}, {0, 0, 128},    {128, 128, 128}};
    constexpr int n = sizeof(table) / sizeof(table[0]);
    if (id < n)
        return table[id];
    // Beyond the table: spread hues with the golden ratio so neighbours differ.
    const double h = std::fmod(id * 0.618033988749895, 1.0) * 6.0;
    const int sector = static_cast<int>(h);
    const double f = h - sector;
    const std::uint8_t hi = 230, lo = 60, mid = static_cast<std::uint8_t>(lo + (hi - lo) * f),
                       midr = static_cast<std::uint8_t>(hi - (hi - lo) * f);
    switch (sector) {
    case 0: return {hi, mid, lo};
    case 1: return {midr, hi, lo};
    case 2: return {lo, hi, mid};
    case 3: return {lo, midr, hi};
    case 4: return {mid, lo, hi};
    default: return {hi, lo, midr};
    }
}

std::vector<ClassInfo> defaultClasses(int count) {
    std::vector<ClassInfo> out;
    for (int i = 0; i < count; ++i)
        out.push_back({i, i == 0 ? "background" : "class_" + std::to_string(i), defaultClassColor(i)});
    return out;
}

} // namespace mf
