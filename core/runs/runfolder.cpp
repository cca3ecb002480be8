#include "runs/runfolder.h"

#include "io/atomicfile.h"
#include "io/errors.h"
#include "runs/runmetrics.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace mf {
namespace {

std::string timestamp(const char* format) {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    localtime_r(&now, &tm);
    std::ostringstream s;
    s << std::put_time(&tm, format);
    return s.str();
}

} // namespace

RunFolder::RunFolder(std::string dir) : m_dir(std::move(dir)) {
    makeDirs(m_dir);
    removeStaleTempFiles(m_dir);  // a killed run's half-written checkpoint or metrics
}

std::string RunFolder::path(const std::string& name) const { return (std::filesystem::path(m_dir) / name).string(); }

void RunFolder::writeConfig(const std::string& yaml) const { writeFileAtomic(path("config.yaml"), yaml); }

void RunFolder::addEpoch(const EpochReport& r, const std::vector<std::string>& classNames) {
    if (m_metrics.empty())
        m_metrics = metricsCsvHeader(classNames) + "\n";
    m_metrics += metricsCsvRow(r) + "\n";
    writeFileAtomic(path("metrics.csv"), m_metrics);
}

void RunFolder::log(const std::string& line) {
    // Appended, never rewritten: a resumed run continues the same file, and a long run's log costs
    // one write per line. One write() call per line, so a crash leaves whole lines.
    const std::string text = timestamp("%Y-%m-%d %H:%M:%S ") + line + "\n";
    std::ofstream out(path("train.log"), std::ios::binary | std::ios::app);
    if (!out.write(text.data(), static_cast<std::streamsize>(text.size())).flush())
        throw FileError(path("train.log"), "could not append to the log");
}

std::string defaultRunDir(const std::string& arch, const std::string& parent) {
    namespace fs = std::filesystem;
    makeDirs(parent);
    const std::string stem = (fs::path(parent) / (arch + "-" + timestamp("%Y%m%d-%H%M%S"))).string();
    // Claimed by mkdir, which only one caller can win: two runs started in the same second (in one
    // process or two) get different folders.
    for (int n = 1;; ++n) {
        const std::string dir = n == 1 ? stem : stem + "-" + std::to_string(n);
        std::error_code ec;
        if (fs::create_directory(dir, ec))
            return dir;
        if (ec)
            throw FileError(dir, "cannot create the run folder: " + ec.message());
    }
}

} // namespace mf
