#pragma once
#include "io/imageio.h"

#include <filesystem>
#include <map>
#include <string>

namespace mf {

/** The mask files (images) directly in folder `dir`, keyed by file stem: how `score` and `refine --truth`
 *  pair masks with images. Throws FileError when `dir` is not a folder. */
std::map<std::string, std::filesystem::path> masksByStem(const std::string& dir);

/** The one encoding of a folder of masks (decideMaskEncoding over all of them: a folder is one dataset,
 *  never decided per file); `summary` receives what was decided and why. */
MaskEncoding folderEncoding(const std::map<std::string, std::filesystem::path>& masks, std::string* summary = nullptr);

} // namespace mf
