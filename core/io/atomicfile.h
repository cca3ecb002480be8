#pragma once
#include <string>
#include <vector>

namespace mf {

/** Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename.
 *  A crash at any point leaves either the old file or the new one, never a mix.
 *  Throws FileError naming `path` when the folder is unwritable or the disk is full. */
void writeFileAtomic(const std::string& path, const std::string& bytes);

/** Removes the temporary files writeFileAtomic leaves in `folder` when its process is killed mid-write:
 *  only names of its pattern (.<name>.tmp-<pid>-<hex>), only files last changed before this process
 *  started, and only when process <pid> is gone (a live writer's file is never touched). Not recursive.
 *  Returns the paths removed; never throws (an unreadable folder removes nothing). */
std::vector<std::string> removeStaleTempFiles(const std::string& folder);

/** Reads a whole file; throws FileError when it cannot be opened. */
std::string readFileBytes(const std::string& path);

/** Makes `path` and its parents; throws FileError when it cannot. */
void makeDirs(const std::string& path);

} // namespace mf
