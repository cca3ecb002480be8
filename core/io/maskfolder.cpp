#include "io/maskfolder.h"

#include "io/errors.h"

#include <vector>

namespace fs = std::filesystem;

namespace mf {

std::map<std::string, fs::path> masksByStem(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw FileError(dir, "not a folder");
    std::map<std::string, fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && isImageFile(e.path().string()))
            out.emplace(e.path().stem().string(), e.path());
    return out;
}

MaskEncoding folderEncoding(const std::map<std::string, fs::path>& masks, std::string* summary) {
    std::vector<std::string> paths;
    for (const auto& [stem, path] : masks)
        paths.push_back(path.string());
    return decideMaskEncoding(paths, 0, summary);
}

} // namespace mf
