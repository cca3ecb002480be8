#pragma once
#include <string>

namespace mf {

/** Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename.
 *  A crash at any point leaves either the old file or the new one, never a mix.
 *  Throws FileError naming `path` when the folder is unwritable or the disk is full. */
void writeFileAtomic(const std::string& path, const std::string& bytes);

/** Reads a whole file; throws FileError when it cannot be opened. */
std::string readFileBytes(const std::string& path);

/** Makes `path` and its parents; throws FileError when it cannot. */
void makeDirs(const std::string& path);

} // namespace mf
