#include "io/atomicfile.h"

#include "io/errors.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace mf {
namespace {

std::string errnoText() { return std::strerror(errno); }

std::string tempNameFor(const fs::path& target) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::ostringstream name;
    name << "." << target.filename().string() << ".tmp-" << ::getpid() << "-" << std::hex << rng();
    return (target.parent_path() / name.str()).string();
}

void writeAll(int fd, const std::string& bytes, const std::string& path, const std::string& tmp) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            std::string why = errnoText();
            ::close(fd);
            ::unlink(tmp.c_str());
            throw FileError(path, "write failed: " + why);
        }
        done += static_cast<std::size_t>(n);
    }
}

void syncFolder(const fs::path& folder) {
    int dfd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

} // namespace

void writeFileAtomic(const std::string& path, const std::string& bytes) {
    const fs::path target(path);
    const std::string tmp = tempNameFor(target);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw FileError(path, "cannot create a temporary file beside it: " + errnoText());
    writeAll(fd, bytes, path, tmp);
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        std::string why = errnoText();
        ::unlink(tmp.c_str());
        throw FileError(path, "flush failed: " + why);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string why = errnoText();
        ::unlink(tmp.c_str());
        throw FileError(path, "rename failed: " + why);
    }
    syncFolder(target.parent_path());
}

std::string readFileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path, "cannot open for reading");
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad())
        throw FileError(path, "read failed");
    return out.str();
}

void makeDirs(const std::string& path) {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec)
        throw FileError(path, "cannot create folder: " + ec.message());
}

} // namespace mf
