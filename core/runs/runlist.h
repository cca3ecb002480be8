#pragma once
#include <string>
#include <vector>

namespace mf {

/** One run folder as the runs panel lists it. */
struct RunInfo {
    std::string dir;        ///< absolute path
    std::string name;       ///< folder name
    std::string arch, encoder;
    bool attention = false;
    std::string date;       ///< "yyyy-mm-dd hh:mm" of config.yaml
    int epochsDone = 0, epochs = 0;
    int bestEpoch = 0;
    double bestMIoU = 0;    ///< mIoU without background of the best epoch
    bool hasBest = false;   ///< best.pt exists
    std::string status;     ///< finished | stopped | early stopped | failed | incomplete
    std::string problem;    ///< why the folder could not be read fully, empty when fine
};

/** Reads what a run folder says about itself; never throws (problems go to RunInfo::problem). */
RunInfo readRunInfo(const std::string& dir);
/** Every run folder (one holding config.yaml) directly under `runsDir`, newest first. */
std::vector<RunInfo> listRuns(const std::string& runsDir);
/** Renames a run folder within its parent; throws FileError when the name is taken or invalid. */
std::string renameRun(const std::string& dir, const std::string& newName);
/** Deletes a run folder; refuses (FileError) a folder that holds no config.yaml, to protect others. */
void deleteRun(const std::string& dir);

} // namespace mf
