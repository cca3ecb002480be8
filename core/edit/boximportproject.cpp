#include "edit/boximport.h"

#include "io/imageio.h"

#include <filesystem>
#include <functional>

namespace fs = std::filesystem;

namespace mf {
namespace {

using BoxReader = std::function<std::vector<DetectionBox>(cv::Size)>;

/** Gives `entry` the coarse mask of `boxes`; writes the files. */
void storeCoarse(Project& project, ImageEntry& entry, const cv::Mat& coarse) {
    const std::string stem = fs::path(entry.image).stem().string();
    entry.coarse = "coarse/" + stem + ".png";
    writeMaskAtomic(project.absolute(entry.coarse), coarse);
    if (entry.mask.empty() || entry.status == ImageStatus::Unlabelled) {
        if (entry.mask.empty())
            entry.mask = "masks/" + stem + ".png";
        writeMaskAtomic(project.absolute(entry.mask), coarse);
        entry.status = ImageStatus::Coarse;
    }
}

std::vector<fs::path> boxFiles(const fs::path& path) {
    if (!fs::is_directory(path))
        return {path};
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(path))
        if (e.is_regular_file() && (e.path().extension() == ".txt" || e.path().extension() == ".xml"))
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

BoxImportReport importBoxes(Project& project, const std::string& path, bool addMissingClasses) {
    if (!fs::exists(path))
        throw FileError(path, "no such file or folder");
    std::map<std::string, ImageEntry*> byStem;
    for (ImageEntry& e : project.images())
        byStem[fs::path(e.image).stem().string()] = &e;
    std::map<std::string, BoxReader> readers;
    BoxImportReport report;
    if (fs::path(path).extension() == ".json") {
        auto all = readCocoBoxes(path, project.classes(), addMissingClasses);
        for (auto& [stem, boxes] : all)
            readers[stem] = [b = boxes](cv::Size) { return b; };
    } else {
        for (const fs::path& f : boxFiles(path)) {
            const std::string file = f.string();
            if (f.extension() == ".xml")
                readers[f.stem().string()] = [file, &project, addMissingClasses](cv::Size) {
                    return readVocBoxes(file, project.classes(), addMissingClasses);
                };
            else
                readers[f.stem().string()] = [file](cv::Size size) { return readYoloBoxes(file, size, 1); };
        }
    }
    for (auto& [stem, read] : readers) {
        auto it = byStem.find(stem);
        if (it == byStem.end()) {
            report.problems.push_back({path, "boxes for \"" + stem + "\" match no image of the project"});
            continue;
        }
        try {
            const cv::Size size = readImageRgb(project.absolute(it->second->image)).size();
            const std::vector<DetectionBox> boxes = read(size);
            storeCoarse(project, *it->second, coarseMaskFromBoxes(size, boxes));
            ++report.images;
            report.boxes += static_cast<int>(boxes.size());
        } catch (const FileError& e) {
            report.problems.push_back({e.file(), e.problem()});
        }
    }
    return report;
}

} // namespace mf
