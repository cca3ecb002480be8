#include "project/newproject.h"

#include "project/dataset.h"

#include "io/imageio.h"
#include "io/text.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace mf {
namespace {

std::vector<ClassInfo> classesOf(const std::string& projectDir, const std::vector<std::string>& names) {
    std::vector<ClassInfo> classes{{0, "background", defaultClassColor(0)}};
    std::set<std::string> seen{"background"};
    for (const std::string& raw : names) {
        const std::string name = trimmed(raw);
        if (name.empty())
            continue;
        if (!seen.insert(name).second)
            throw FileError(projectDir, "class '" + name + "' is named twice (background is class 0 already)");
        const int id = static_cast<int>(classes.size());
        classes.push_back({id, name, defaultClassColor(id)});
    }
    if (classes.size() < 2)
        throw FileError(projectDir, "name at least one class to label (background is class 0)");
    if (classes.size() > 255)
        throw FileError(projectDir, "at most 254 classes besides background");
    return classes;
}

/** A project folder that does not hold the images must be new or empty. */
void checkTarget(const fs::path& root) {
    std::error_code ec;
    if (!fs::exists(root, ec))
        return;
    if (!fs::is_directory(root, ec))
        throw FileError(root.string(), "not a folder");
    for (const auto& f : fs::directory_iterator(root, ec))
        throw FileError(root.string(), "the project folder is not empty (" + f.path().filename().string() +
                                           "); choose a new or empty folder, or the images' own folder");
}

} // namespace

Project createProjectFromImages(const std::string& projectDir, const std::string& imagesDir,
                                const std::vector<std::string>& classNames, NewProjectReport* report) {
    const fs::path root = fs::absolute(projectDir).lexically_normal();
    fs::path source = fs::absolute(imagesDir).lexically_normal();
    std::error_code ec;
    if (!fs::is_directory(source, ec))
        throw FileError(imagesDir, "no such folder");
    if (fs::is_directory(source / "images", ec) && !imageFilesIn(source / "images").empty())
        source /= "images";
    const std::vector<fs::path> files = imageFilesIn(source);
    if (files.empty())
        throw FileError(source.string(), "no images here (PNG, JPEG, BMP or TIFF files)");
    if (fs::exists(root / Project::kFileName, ec))
        throw FileError(root.string(), "already a MaskForge project: open it instead");
    // The images' own folder (or its parent) becomes the project as it is; elsewhere they are linked in.
    const bool inPlace = source == root || source == root / "images";
    const fs::path target = inPlace ? source : root / "images";
    if (!inPlace)
        checkTarget(root);
    Project p(root.string());
    p.setName(root.filename().string());
    p.classes() = classesOf(root.string(), classNames);
    NewProjectReport r;
    fs::create_directories(target, ec);  // a no-op in place
    if (ec)
        throw FileError(target.string(), "cannot create the folder: " + ec.message());
    for (const fs::path& file : files) {
        const fs::path to = target / file.filename();
        if (!inPlace) {
            std::error_code linkError, copyError;
            fs::create_hard_link(file, to, linkError);
            if (linkError)
                fs::copy_file(file, to, fs::copy_options::overwrite_existing, copyError);
            if (linkError && copyError) {
                r.skipped.push_back({file.string(), "could not be copied: " + copyError.message()});
                continue;
            }
            r.linked += linkError ? 0 : 1;
        }
        ImageEntry e;
        e.image = p.relative(to.string());
        e.status = ImageStatus::Unlabelled;
        p.images().push_back(e);
    }
    if (p.images().empty())
        throw FileError(source.string(), "none of its images could be copied into " + target.string());
    p.save();
    r.images = static_cast<int>(p.images().size());
    if (report)
        *report = r;
    return p;
}

} // namespace mf
