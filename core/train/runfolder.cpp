#include "train/runfolder.h"

#include "io/atomicfile.h"

#include <chrono>
#include <ctime>
#include <filesystem>
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

std::string csvName(std::string name) {
    for (char& ch : name)
        if (ch == ',' || ch == '"' || ch == ' ' || ch == '\n')
            ch = '_';
    return name;
}

} // namespace

RunFolder::RunFolder(std::string dir) : m_dir(std::move(dir)) {
    makeDirs(m_dir);
    if (std::filesystem::is_regular_file(path("train.log")))  // a resumed run continues its log
        m_log = readFileBytes(path("train.log"));
}

std::string RunFolder::path(const std::string& name) const { return (std::filesystem::path(m_dir) / name).string(); }

void RunFolder::writeConfig(const std::string& yaml) const { writeFileAtomic(path("config.yaml"), yaml); }

void RunFolder::addEpoch(const EpochReport& r, const std::vector<std::string>& classNames) {
    if (m_metrics.empty()) {
        // val_native: 1 when the validation figures were scored at each image's own resolution (as
        // `evaluate` scores), 0 when on the loader's resized batches.
        m_metrics = "epoch,train_loss,val_loss,miou,miou_no_background,micro_imagewise_iou,pixel_accuracy,lr,seconds,best,"
                    "val_native,miou_present_no_background";
        for (std::size_t c = 0; c < r.classIoU.size(); ++c)
            m_metrics += ",iou_" + (c < classNames.size() ? csvName(classNames[c]) : std::to_string(c));
        m_metrics += "\n";
    }
    std::ostringstream row;
    row << std::setprecision(6) << r.epoch << ',' << r.trainLoss << ',' << r.valLoss << ',' << r.mIoU << ','
        << r.mIoUNoBackground << ',' << r.microImagewiseIoU << ',' << r.pixelAccuracy << ',' << r.lr << ','
        << std::setprecision(4) << r.seconds << ',' << (r.best ? 1 : 0) << ',' << (r.valNative ? 1 : 0) << ','
        << std::setprecision(6) << r.mIoUPresentNoBackground;
    for (double iou : r.classIoU)
        row << ',' << iou;
    m_metrics += row.str() + "\n";
    writeFileAtomic(path("metrics.csv"), m_metrics);
}

void RunFolder::log(const std::string& line) {
    m_log += timestamp("%Y-%m-%d %H:%M:%S ") + line + "\n";
    writeFileAtomic(path("train.log"), m_log);
}

std::string defaultRunDir(const std::string& arch) {
    return (std::filesystem::path("runs") / (arch + "-" + timestamp("%Y%m%d-%H%M%S"))).string();
}

} // namespace mf
