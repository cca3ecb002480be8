#include "runs/runlist.h"

#include "io/atomicfile.h"
#include "io/errors.h"
#include "runs/runmetrics.h"
#include "runs/trainconfig.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace fs = std::filesystem;

namespace mf {
namespace {

std::string fileDate(const fs::path& p) {
    std::error_code ec;
    const auto t = fs::last_write_time(p, ec);
    if (ec)
        return {};
    const auto sys = std::chrono::time_point_cast<std::chrono::system_clock::duration>(
        t - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
    const std::time_t tt = std::chrono::system_clock::to_time_t(sys);
    std::tm tm{};
    localtime_r(&tt, &tm);
    std::ostringstream s;
    s << std::put_time(&tm, "%Y-%m-%d %H:%M");
    return s.str();
}

std::string lastLogLine(const fs::path& log) {
    if (!fs::is_regular_file(log))
        return {};
    const std::string text = readFileBytes(log.string());
    const auto end = text.find_last_not_of('\n');
    if (end == std::string::npos)
        return {};
    const auto start = text.rfind('\n', end);
    return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

std::string statusOf(const RunInfo& info, const std::string& lastLine) {
    if (info.epochs > 0 && info.epochsDone >= info.epochs)
        return "finished";
    if (lastLine.find("cancelled") != std::string::npos)
        return "stopped";
    if (lastLine.find("NaN") != std::string::npos)
        return "failed";
    if (lastLine.find("no better") != std::string::npos)
        return "early stopped";
    return "incomplete";
}

} // namespace

RunInfo readRunInfo(const std::string& dir) {
    RunInfo info;
    const fs::path p = fs::absolute(dir);
    info.dir = p.string();
    info.name = p.filename().string();
    info.date = fileDate(p / "config.yaml");
    info.hasBest = fs::is_regular_file(p / "best.pt");
    try {
        const TrainConfig c = loadTrainConfig((p / "config.yaml").string());
        info.arch = c.arch, info.encoder = c.encoder, info.attention = c.attention, info.epochs = c.epochs;
        const RunMetrics m = readRunMetrics(p.string());
        info.epochsDone = m.epochs.empty() ? 0 : m.epochs.back().epoch;
        info.bestEpoch = m.bestEpoch();
        for (const auto& e : m.epochs)
            if (e.epoch == info.bestEpoch)
                info.bestMIoU = e.mIoUNoBackground;
    } catch (const std::exception& e) {
        info.problem = e.what();
    }
    info.status = statusOf(info, lastLogLine(p / "train.log"));
    return info;
}

std::vector<RunInfo> listRuns(const std::string& runsDir) {
    std::vector<RunInfo> runs;
    std::error_code ec;
    if (!fs::is_directory(runsDir, ec))
        return runs;
    for (const auto& entry : fs::directory_iterator(runsDir, ec))
        if (entry.is_directory() && fs::is_regular_file(entry.path() / "config.yaml"))
            runs.push_back(readRunInfo(entry.path().string()));
    std::sort(runs.begin(), runs.end(), [](const RunInfo& a, const RunInfo& b) {
        return a.date != b.date ? a.date > b.date : a.name > b.name;
    });
    return runs;
}

std::string renameRun(const std::string& dir, const std::string& newName) {
    if (newName.empty() || newName.find('/') != std::string::npos || newName == "." || newName == "..")
        throw FileError(dir, "'" + newName + "' is not a valid run name");
    const fs::path target = fs::path(dir).parent_path() / newName;
    if (fs::exists(target))
        throw FileError(target.string(), "a run of that name already exists");
    std::error_code ec;
    fs::rename(dir, target, ec);
    if (ec)
        throw FileError(dir, "cannot rename: " + ec.message());
    return target.string();
}

void deleteRun(const std::string& dir) {
    if (!fs::is_regular_file(fs::path(dir) / "config.yaml"))
        throw FileError(dir, "not a run folder (no config.yaml); not deleted");
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec)
        throw FileError(dir, "cannot delete: " + ec.message());
}

} // namespace mf
