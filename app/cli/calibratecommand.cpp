#include "commands.h"

#include "infer/calibration.h"
#include "infer/evaluate.h"
#include "io/errors.h"
#include "models/checkpoint.h"
#include "train/calibraterun.h"
#include "train/datasplit.h"

#include <filesystem>
#include <iostream>
#include <memory>

namespace fs = std::filesystem;

namespace mf::cli {

void addCalibrateCommand(CLI::App& app) {
    struct Args {
        std::string run, data, device = "auto";
        bool dryRun = false, off = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand(
        "calibrate",
        "Fit a run's per-class calibration: offsets of the class log-probabilities that score best on the trusted "
        "masks (the reviewed validation images, else every reviewed image, else the validation images as labelled), "
        "kept only where they also gain on images they were not fitted on (two-fold); predict, evaluate and refine "
        "apply them. `train` does this after training (calibrate: true)");
    cmd->add_option("--run", a->run, "run folder (last.pt and best.pt) or one checkpoint file")->required();
    cmd->add_option("--data", a->data, "the project whose trusted masks to fit on (default: the run's data)");
    cmd->add_option("--device", a->device, "auto | cpu | cuda")->capture_default_str();
    cmd->add_flag("--dry-run", a->dryRun, "fit and report; write nothing");
    cmd->add_flag("--off", a->off, "remove the run's calibration (predictions are the network's own again)");
    cmd->callback([a] {
        std::vector<std::string> checkpoints;
        if (fs::is_directory(a->run)) {
            for (const char* name : {"last.pt", "best.pt"})
                if (fs::is_regular_file(fs::path(a->run) / name))
                    checkpoints.push_back((fs::path(a->run) / name).string());
            if (checkpoints.empty())
                throw FileError(a->run, "run folder has neither last.pt nor best.pt");
        } else {
            checkpoints.push_back(resolveCheckpoint(a->run));
        }
        if (a->off) {
            for (const auto& c : checkpoints) {
                CalibrationFit none;
                none.note = "calibration removed (calibrate --off)";
                if (!a->dryRun)
                    writeCheckpointCalibration(c, none);
                std::cout << c << ": " << (a->dryRun ? "would remove its calibration" : "calibration removed") << "\n";
            }
            return;
        }
        TrainConfig config = runConfig(a->run);
        if (!a->data.empty())
            config.data = a->data, config.val.clear();
        const DataSplit split = loadDataSplit(config);
        if (split.calibration.empty())
            throw FileError(config.data, "no trusted or validation masks to calibrate on");
        std::cout << "evidence: " << split.calibrationNote << "\n";
        for (const auto& c : checkpoints) {
            const CalibrationFit fit = calibrateCheckpoint(c, split.calibration, split.calibrationNote, a->device, !a->dryRun);
            std::cout << c << ": " << fit.note << (a->dryRun ? " (dry run: nothing written)" : "") << "\n";
        }
    });
}

} // namespace mf::cli
