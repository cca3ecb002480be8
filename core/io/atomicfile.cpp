#include "io/atomicfile.h"

#include "io/errors.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace mf {
namespace {

// When this process started (near enough: static initialisation), to tell a dead writer's leftovers
// from files being written now.
const fs::file_time_type g_processStart = fs::file_time_type::clock::now();

/** The pid of a temporary name ".<name>.tmp-<pid>-<hex>", or -1 for any other name. */
long tempFilePid(const std::string& name) {
    const auto mark = name.rfind(".tmp-");
    if (name.size() < 2 || name[0] != '.' || mark == std::string::npos || mark < 2)
        return -1;
    const std::string rest = name.substr(mark + 5);
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 >= rest.size() || dash > 9)
        return -1;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        const char c = rest[i];
        const bool ok = i < dash ? (c >= '0' && c <= '9') : i == dash || std::isxdigit(static_cast<unsigned char>(c));
        if (!ok)
            return -1;
    }
    return std::stol(rest.substr(0, dash));
}

bool processAlive(long pid) { return pid == ::getpid() || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

std::string errnoText() { return std::strerror(errno); }

/** The failure MF_INJECT_WRITE_ERROR asks for, to test what a full disk or a read-only folder does
 *  without one: "ENOSPC" fails write() after half the bytes, "EROFS" / "EACCES" fail creating the
 *  temporary file, "EIO" fails fsync. Read on every write (tests set it per call); unset: no effect. */
int injectedError(const char* stage) {
    const char* v = std::getenv("MF_INJECT_WRITE_ERROR");
    if (!v || !*v)
        return 0;
    const std::string s(v);
    const std::string at(stage);
    if (s == "ENOSPC" && at == "write")
        return ENOSPC;
    if ((s == "EROFS" || s == "EACCES") && at == "open")
        return s == "EROFS" ? EROFS : EACCES;
    if (s == "EIO" && at == "fsync")
        return EIO;
    return 0;
}

std::string tempNameFor(const fs::path& target) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::ostringstream name;
    name << "." << target.filename().string() << ".tmp-" << ::getpid() << "-" << std::hex << rng();
    return (target.parent_path() / name.str()).string();
}

void writeAll(int fd, const std::string& bytes, const std::string& path, const std::string& tmp) {
    // An injected full disk takes half the bytes, then fails as write(2) would.
    const int injected = injectedError("write");
    const std::size_t limit = injected ? bytes.size() / 2 : bytes.size();
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = -1;
        if (done >= limit)
            errno = injected;
        else
            n = ::write(fd, bytes.data() + done, limit - done);
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

/** The file a write to `path` replaces: a symlink's final target (the link itself stays), else `path`. */
fs::path resolvedTarget(const std::string& path) {
    std::error_code ec;
    if (!fs::is_symlink(path, ec))
        return path;
    const fs::path resolved = fs::weakly_canonical(path, ec);
    return ec ? fs::path(path) : resolved;
}

} // namespace

void writeFileAtomic(const std::string& path, const std::string& bytes) {
    const fs::path target = resolvedTarget(path);
    const std::string tmp = tempNameFor(target);
    // A file written again keeps its mode; a new one gets 0666 less the umask, as any program's.
    struct stat existing {};
    const bool replacing = ::stat(target.c_str(), &existing) == 0;
    int fd = -1;
    if (const int injected = injectedError("open"))
        errno = injected;
    else
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        throw FileError(path, "cannot create a temporary file beside it: " + errnoText());
    if (replacing)
        ::fchmod(fd, existing.st_mode & 07777);
    writeAll(fd, bytes, path, tmp);
    if (const int injected = injectedError("fsync")) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw FileError(path, "flush failed: " + std::string(std::strerror(injected)));
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        std::string why = errnoText();
        ::unlink(tmp.c_str());
        throw FileError(path, "flush failed: " + why);
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        std::string why = errnoText();
        ::unlink(tmp.c_str());
        throw FileError(path, "rename failed: " + why);
    }
    syncFolder(target.parent_path());
}

std::vector<std::string> removeStaleTempFiles(const std::string& folder) {
    std::vector<std::string> removed;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const long pid = tempFilePid(it->path().filename().string());
        if (pid <= 0 || !it->is_regular_file(ec) || processAlive(pid))
            continue;
        const auto changed = fs::last_write_time(it->path(), ec);
        if (ec || changed >= g_processStart)
            continue;
        if (fs::remove(it->path(), ec))
            removed.push_back(it->path().string());
    }
    return removed;
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
