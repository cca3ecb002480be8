#pragma once
#include "io/errors.h"
#include "io/imageio.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mf {

/** How far an image's mask has come in the labelling workflow. */
enum class ImageStatus { Unlabelled, Coarse, Refined, Reviewed };
/** Which split an image belongs to; None until a split is made. */
enum class Split { None, Train, Val, Test };

std::string toString(ImageStatus s);
std::string toString(Split s);
/** Parse; std::nullopt for an unknown word. */
std::optional<ImageStatus> parseImageStatus(const std::string& s);
std::optional<Split> parseSplit(const std::string& s);

/** A class of the project: index in masks, display name, RGB colour. */
struct ClassInfo {
    int id = 0;
    std::string name;
    std::array<std::uint8_t, 3> color{0, 0, 0};
};

/** One image of a project. Paths are relative to the project folder; empty when absent. */
struct ImageEntry {
    std::string image;
    std::string mask;    ///< the current (true or edited) mask
    std::string coarse;  ///< the coarse box mask, kept to compare with and revert to
    std::string boxes;   ///< detection boxes (YOLO txt) the coarse mask came from
    ImageStatus status = ImageStatus::Unlabelled;
    Split split = Split::None;
    std::string group;   ///< images sharing a group key stay in one split
};

/** A MaskForge project: a folder holding `maskforge.json` and the files it names.
 *  The Project owns its in-memory description; save() writes it back atomically. */
class Project {
public:
    static constexpr int kSchemaVersion = 1;
    static constexpr const char* kFileName = "maskforge.json";
    /** Class ids are 0..254: 255 is the ignore index, so a project holds at most 255 classes. */
    static constexpr int kMaxClasses = 255;

    Project() = default;
    explicit Project(std::string root) : m_root(std::move(root)) {}

    /** Loads `path` (a project folder or its maskforge.json). Throws FileError naming the file and
     *  the problem when it is missing or malformed; per-image problems go to `problems`. */
    static Project load(const std::string& path, std::vector<Problem>* problems = nullptr);
    /** Parses the JSON text of a project file rooted at `root`. An image entry that cannot be parsed is
     *  kept verbatim and written back by save() (never dropped), and reported in `problems` and
     *  loadWarnings(). A file without `mask_encoding` (older projects) gets it decided once from all
     *  its masks (decideMaskEncoding), said in loadWarnings() and stored by the next save(). */
    static Project fromJson(const std::string& json, const std::string& root, const std::string& file,
                            std::vector<Problem>* problems = nullptr);
    std::string toJson() const;
    /** Writes maskforge.json atomically. */
    void save() const;

    const std::string& root() const { return m_root; }
    void setRoot(const std::string& root) { m_root = root; }
    std::string filePath() const;
    /** Absolute path of a project-relative path (empty stays empty). */
    std::string absolute(const std::string& relative) const;
    /** Project-relative path of a path under the root (others stay as they are). */
    std::string relative(const std::string& path) const;

    const std::string& name() const { return m_name; }
    void setName(const std::string& name) { m_name = name; }
    int ignoreIndex() const { return m_ignoreIndex; }
    void setIgnoreIndex(int index) { m_ignoreIndex = index; }
    std::uint64_t splitSeed() const { return m_splitSeed; }
    void setSplitSeed(std::uint64_t seed) { m_splitSeed = seed; }
    /** How this dataset's mask files store class indices; pass it to readMask/writeMaskAtomic. */
    MaskEncoding maskEncoding() const { return m_maskEncoding; }
    void setMaskEncoding(MaskEncoding e) { m_maskEncoding = e; }
    /** What the last load had to say besides per-image problems: image entries kept verbatim because
     *  they could not be parsed, a mask encoding decided for an older file. One line each, to show. */
    const std::vector<Problem>& loadWarnings() const { return m_loadWarnings; }
    void addLoadWarning(Problem p) { m_loadWarnings.push_back(std::move(p)); }
    /** Image entries of the file that could not be parsed, as JSON text; save() writes them back. */
    const std::vector<std::string>& unparsedImages() const { return m_unparsedImages; }
    /** Adds a class with the next id and a default colour; throws std::length_error at kMaxClasses. */
    ClassInfo& addClass(const std::string& name);

    std::vector<ClassInfo>& classes() { return m_classes; }
    const std::vector<ClassInfo>& classes() const { return m_classes; }
    std::vector<ImageEntry>& images() { return m_images; }
    const std::vector<ImageEntry>& images() const { return m_images; }
    int classCount() const { return static_cast<int>(m_classes.size()); }
    const ClassInfo* findClass(int id) const;

private:
    void readMaskEncoding(const nlohmann::json& j, const std::string& file);

    std::string m_root;
    std::string m_name;
    int m_ignoreIndex = 255;
    std::uint64_t m_splitSeed = 0;
    std::vector<ClassInfo> m_classes;
    std::vector<ImageEntry> m_images;
    MaskEncoding m_maskEncoding = MaskEncoding::Index;
    std::vector<Problem> m_loadWarnings;
    std::vector<std::string> m_unparsedImages;  ///< JSON text, written back verbatim
    std::string m_unknownKeys;                  ///< top-level keys this build does not know, as a JSON object
};

/** A distinct, readable colour for class `id` (0 = background is black). */
std::array<std::uint8_t, 3> defaultClassColor(int id);
/** `count` classes named background, class_1, ... with default colours. */
std::vector<ClassInfo> defaultClasses(int count);

} // namespace mf
