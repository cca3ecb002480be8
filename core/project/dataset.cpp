#include "project/dataset.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "io/maskcounts.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace mf {
namespace {


bool isSeparator(char c) { return c == '_' || c == '-' || c == '.' || c == ' '; }

/** The mask for an image stem: same stem, else the longest mask stem the image stem starts with
 *  followed by a separator (seed 002: several dates of one scene share one mask). */
const fs::path* findMask(const std::string& stem, const std::map<std::string, fs::path>& masks) {
    auto exact = masks.find(stem);
    if (exact != masks.end())
        return &exact->second;
    const fs::path* best = nullptr;
    std::size_t bestLength = 0;
    for (const auto& [maskStem, path] : masks)
        if (maskStem.size() < stem.size() && maskStem.size() > bestLength && stem.compare(0, maskStem.size(), maskStem) == 0 &&
            isSeparator(stem[maskStem.size()])) {
            best = &path;
            bestLength = maskStem.size();
        }
    return best;
}

std::map<std::string, fs::path> stemMap(const std::vector<fs::path>& files, const fs::path& dir,
                                        std::vector<Problem>* problems) {
    std::map<std::string, fs::path> out;
    for (const auto& f : files) {
        auto [it, inserted] = out.emplace(f.stem().string(), f);
        if (!inserted && problems)
            problems->push_back({f.string(), "another file in " + dir.string() + " has the same stem (" +
                                                 it->second.filename().string() + "); this one is ignored"});
    }
    return out;
}

std::vector<std::string> readClassNames(const fs::path& dir) {
    for (const char* name : {"classes.txt", "class_names.txt", "labels.txt"}) {
        std::ifstream in(dir / name);
        std::vector<std::string> names;
        for (std::string line; std::getline(in, line);) {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (!line.empty() && line != "__ignore__")
                names.push_back(line);
        }
        if (!names.empty())
            return names;
    }
    return {};
}

int maxMaskValue(const std::string& path, int ignoreIndex, MaskEncoding encoding) {
    cv::Mat mask = readMask(path, encoding);
    const std::array<int, 256> hist = maskValueCounts(mask);
    for (int v = 255; v >= 0; --v)
        if (hist[v] && v != ignoreIndex)
            return v;
    return 0;
}

/** Reads every mask once to find the class count; drops unreadable masks with a problem each. */
int inferClassCount(Project& p, std::vector<Problem>* problems) {
    int maxValue = 1;
    for (auto& e : p.images()) {
        if (e.mask.empty())
            continue;
        try {
            maxValue = std::max(maxValue, maxMaskValue(p.absolute(e.mask), p.ignoreIndex(), p.maskEncoding()));
        } catch (const FileError& err) {
            if (problems)
                problems->push_back({err.file(), err.problem()});
            e.mask.clear();
            e.status = ImageStatus::Unlabelled;
        }
    }
    return maxValue + 1;
}

void setClasses(Project& p, const fs::path& dir, int count, std::vector<Problem>* problems) {
    std::vector<std::string> names = readClassNames(dir);
    // A class-names file is authoritative: mask values beyond it are reported by validation.
    if (count <= 0)
        count = names.empty() ? inferClassCount(p, problems) : static_cast<int>(names.size());
    p.classes() = defaultClasses(count);
    for (std::size_t i = 0; i < names.size() && i < p.classes().size(); ++i)
        p.classes()[i].name = names[i];
}

fs::path maskFolder(const fs::path& dir) {
    if (fs::is_directory(dir / "masks"))
        return dir / "masks";
    if (fs::is_directory(dir / "annotations"))
        return dir / "annotations";
    return dir / "masks";
}

void addEntries(Project& p, const fs::path& dir, std::vector<Problem>* problems) {
    const fs::path maskDir = maskFolder(dir);
    auto masks = stemMap(imageFilesIn(maskDir), maskDir, problems);
    auto coarse = stemMap(imageFilesIn(dir / "coarse"), dir / "coarse", problems);
    std::map<std::string, int> maskUse;
    for (const auto& image : imageFilesIn(dir / "images")) {
        ImageEntry e;
        e.image = p.relative(image.string());
        const std::string stem = image.stem().string();
        if (const fs::path* m = findMask(stem, masks)) {
            e.mask = p.relative(m->string());
            e.status = ImageStatus::Reviewed;
            e.group = m->stem().string();
            ++maskUse[e.group];
        } else if (problems) {
            problems->push_back({image.string(), "no mask with the same stem in " + maskDir.string()});
        }
        if (auto c = coarse.find(stem); c != coarse.end()) {
            e.coarse = p.relative(c->second.string());
            if (e.mask.empty())
                e.status = ImageStatus::Coarse;
        }
        const fs::path boxes = dir / "boxes" / (stem + ".txt");
        if (fs::exists(boxes))
            e.boxes = p.relative(boxes.string());
        p.images().push_back(e);
    }
    for (auto& e : p.images())
        if (maskUse[e.group] < 2)
            e.group.clear();  // a group key only matters when images share a mask
    std::set<std::string> used;
    for (const auto& [stem, count] : maskUse)
        used.insert(stem);
    for (const auto& [stem, path] : masks)
        if (!used.count(stem) && problems)
            problems->push_back({path.string(), "mask has no image with the same stem in " + (dir / "images").string()});
}

/** The dataset's mask encoding, decided once from all its masks (or as the options say). */
void decideEncoding(Project& p, const fs::path& dir, const ImportOptions& options) {
    if (options.maskEncoding) {
        p.setMaskEncoding(*options.maskEncoding);
        p.addLoadWarning({p.filePath(), "mask encoding " + toString(*options.maskEncoding) + " (as asked)"});
        return;
    }
    std::vector<std::string> masks;
    for (const auto& e : p.images())
        if (!e.mask.empty())
            masks.push_back(p.absolute(e.mask));
    const int known = options.classCount > 0 ? options.classCount : static_cast<int>(readClassNames(dir).size());
    std::string summary;
    p.setMaskEncoding(decideMaskEncoding(masks, known, &summary));
    p.addLoadWarning({p.filePath(), summary});
}

} // namespace

std::vector<fs::path> imageFilesIn(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return out;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file() && isImageFile(entry.path().string()))
            out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

Project importDataset(const std::string& dirPath, const ImportOptions& options, std::vector<Problem>* problems) {
    const fs::path dir = fs::absolute(dirPath).lexically_normal();
    if (!fs::is_directory(dir / "images"))
        throw FileError(dirPath, "not a dataset: expected maskforge.json, or images/ with masks/ or annotations/");
    Project p(dir.string());
    p.setName(dir.filename().string());
    addEntries(p, dir, problems);
    decideEncoding(p, dir, options);
    setClasses(p, dir, options.classCount, problems);
    if (options.writeProject) {
        // A project's statuses, splits and edits live only in maskforge.json: never replace it unasked.
        if (!options.overwrite && fs::exists(p.filePath()))
            throw FileError(p.filePath(), "already a MaskForge project; importing again would replace its statuses "
                                          "and splits (pass overwrite to do so)");
        p.save();
    }
    return p;
}

std::vector<std::string> cleanStaleTempFiles(const Project& project) {
    std::set<std::string> folders{project.root(), (fs::path(project.root()) / ".maskforge" / "autosave").string()};
    for (const auto& e : project.images())
        for (const std::string* rel : {&e.mask, &e.coarse})
            if (!rel->empty())
                folders.insert(fs::path(project.absolute(*rel)).parent_path().string());
    std::vector<std::string> removed;
    for (const auto& folder : folders)
        for (auto& path : removeStaleTempFiles(folder))
            removed.push_back(std::move(path));
    return removed;
}

Project openDataset(const std::string& path, std::vector<Problem>* problems) {
    fs::path p(path);
    std::error_code ec;
    if (fs::is_regular_file(p, ec) || fs::exists(p / Project::kFileName, ec))
        return Project::load(path, problems);
    if (!fs::exists(p, ec))
        throw FileError(path, "no such file or folder");
    ImportOptions options;
    options.writeProject = false;
    return importDataset(path, options, problems);
}

} // namespace mf
