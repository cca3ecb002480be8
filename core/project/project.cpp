#include "project/project.h"

#include "io/atomicfile.h"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace mf {

namespace {

constexpr int kMaxJsonDepth = 64;
const char* kStatusNames[] = {"unlabelled", "coarse", "refined", "reviewed"};
const char* kSplitNames[] = {"none", "train", "val", "test"};

/** An integer in lo..hi; anything else (a float, a string, 1e400) is an error, never a wrapped cast. */
int integerIn(const json& j, const std::string& what, int lo, int hi) {
    if (!j.is_number_integer())
        throw std::runtime_error(what + " must be an integer, not " + std::string(j.type_name()));
    const bool fits = j.is_number_unsigned() ? j.get<std::uint64_t>() <= static_cast<std::uint64_t>(hi)
                                             : j.get<std::int64_t>() >= lo && j.get<std::int64_t>() <= hi;
    if (!fits)
        throw std::runtime_error(what + " " + j.dump() + " out of " + std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(j.get<std::int64_t>());
}

json colorToJson(const std::array<std::uint8_t, 3>& c) {
    return json::array({c[0], c[1], c[2]});
}

std::array<std::uint8_t, 3> colorFromJson(const json& j, const std::string& where) {
    if (!j.is_array() || j.size() != 3)
        throw std::runtime_error(where + ": colour must be [r, g, b]");
    std::array<std::uint8_t, 3> c{};
    for (int i = 0; i < 3; ++i) {
        c[i] = static_cast<std::uint8_t>(integerIn(j.at(i), where + ": colour component", 0, 255));
    }
    return c;
}

ClassInfo classFromJson(const json& j, std::size_t index) {
    const std::string where = "classes[" + std::to_string(index) + "]";
    if (!j.is_object())
        throw std::runtime_error(where + " must be an object");
    ClassInfo c;
    c.id = integerIn(j.at("id"), where + ": id", 0, 254);
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

bool isKnownKey(const std::string& key) {
    for (const char* k : {"schema_version", "name", "ignore_index", "split_seed", "mask_encoding", "classes", "images"})
        if (key == k)
            return true;
    return false;
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
        // A project file is a few levels deep; refusing deeper ones keeps recursive dumps off the stack.
        const json j = json::parse(text, [](int depth, json::parse_event_t, json&) {
            if (depth > kMaxJsonDepth)
                throw std::runtime_error("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
            return true;
        });
        if (!j.is_object())
            throw std::runtime_error("top level must be a JSON object");
        const int version = j.contains("schema_version") ? integerIn(j["schema_version"], "schema_version", 0, 1 << 30) : 0;
        if (version < 1 || version > kSchemaVersion)
            throw std::runtime_error("unsupported schema_version " + std::to_string(version) + " (this build reads 1.." +
                                     std::to_string(kSchemaVersion) + ")");
        p.m_name = j.value("name", fs::path(p.m_root).filename().string());
        p.m_ignoreIndex = j.contains("ignore_index") ? integerIn(j["ignore_index"], "ignore_index", -1, 255) : 255;
        if (j.contains("split_seed")) {
            const json& seed = j["split_seed"];
            if (!seed.is_number_integer() || (!seed.is_number_unsigned() && seed.get<std::int64_t>() < 0))
                throw std::runtime_error("split_seed must be a non-negative integer");
            p.m_splitSeed = seed.get<std::uint64_t>();
        }
        const json& classes = j.at("classes");
        if (!classes.is_array())
            throw std::runtime_error("\"classes\" must be an array");
        for (std::size_t i = 0; i < classes.size(); ++i)
            p.m_classes.push_back(classFromJson(classes[i], i));
        checkClassIds(p.m_classes);
        const json images = j.value("images", json::array());
        if (!images.is_array())
            throw std::runtime_error("\"images\" must be an array");
        for (std::size_t i = 0; i < images.size(); ++i) {
            try {
                p.m_images.push_back(imageFromJson(images[i], i));
            } catch (const std::exception& e) {
                // Kept as it is and written back on save: the user's entry is never dropped.
                p.m_unparsedImages.push_back(images[i].dump());
                const Problem problem{file, std::string(e.what()) + " (kept as it is; saving writes it back unchanged)"};
                p.m_loadWarnings.push_back(problem);
                if (problems)
                    problems->push_back(problem);
            }
        }
        json unknown = json::object();
        for (const auto& [key, value] : j.items())
            if (!isKnownKey(key))
                unknown[key] = value;
        if (!unknown.empty())
            p.m_unknownKeys = unknown.dump();
        p.readMaskEncoding(j, file);
    } catch (const json::exception& e) {
        throw FileError(file, std::string("malformed project file: ") + e.what());
    } catch (const FileError&) {
        throw;
    } catch (const std::exception& e) {
        throw FileError(file, std::string("malformed project file: ") + e.what());
    }
    return p;
}

void Project::readMaskEncoding(const json& j, const std::string& file) {
    if (j.contains("mask_encoding")) {
        const json& word = j["mask_encoding"];
        auto e = word.is_string() ? parseMaskEncoding(word.get<std::string>()) : std::nullopt;
        if (!e)
            throw std::runtime_error("mask_encoding " + word.dump() + " is not index, binary255 or palette");
        m_maskEncoding = *e;
        return;
    }
    // An older file: decide once from the whole dataset, never per mask, and say so.
    std::string summary = "mask encoding index: the project has " + std::to_string(classCount()) +
                          " classes, so 255 is the ignore index";
    if (classCount() == 2) {
        std::vector<std::string> masks;
        for (const auto& e : m_images)
            if (!e.mask.empty())
                masks.push_back(absolute(e.mask));
        m_maskEncoding = decideMaskEncoding(masks, classCount(), &summary);
    }
    m_loadWarnings.push_back({file, "no mask_encoding (an older project file): decided " + summary +
                                        "; the next save stores it"});
}

std::string Project::toJson() const {
    for (const auto& c : m_classes)
        if (c.id < 0 || c.id >= kMaxClasses)
            throw std::length_error("class id " + std::to_string(c.id) + " out of 0.." + std::to_string(kMaxClasses - 1) +
                                    " (255 is the ignore index)");
    json classes = json::array();
    for (const auto& c : m_classes)
        classes.push_back({{"id", c.id}, {"name", c.name}, {"color", colorToJson(c.color)}});
    json images = json::array();
    for (const auto& e : m_images)
        images.push_back(imageToJson(e));
    for (const auto& text : m_unparsedImages)
        images.push_back(json::parse(text));
    json j = m_unknownKeys.empty() ? json::object() : json::parse(m_unknownKeys);
    j.update(json{{"schema_version", kSchemaVersion}, {"name", m_name},     {"ignore_index", m_ignoreIndex},
                  {"split_seed", m_splitSeed},        {"mask_encoding", mf::toString(m_maskEncoding)},
                  {"classes", classes},               {"images", images}});
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

ClassInfo& Project::addClass(const std::string& name) {
    if (classCount() >= kMaxClasses)
        throw std::length_error("a project holds at most " + std::to_string(kMaxClasses) +
                                " classes (ids 0..254; 255 is the ignore index)");
    const int id = classCount();
    m_classes.push_back({id, name, defaultClassColor(id)});
    return m_classes.back();
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
