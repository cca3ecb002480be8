#pragma once
#include <CLI/CLI.hpp>

namespace mf::cli {

/** Each add* function registers a group of maskforge-cli subcommands on the app. A command's
 *  callback throws CommandExit to end the program with a status code. */
struct CommandExit {
    int code;
};

void addDataCommands(CLI::App& app);   // validate, make-sample, import
void addScoreCommand(CLI::App& app);   // score
void addDemoCommand(CLI::App& app);    // demo
void addTrainCommand(CLI::App& app);   // train
void addPredictCommands(CLI::App& app);  // predict, evaluate
void addCompareCommand(CLI::App& app); // compare
void addBenchCommand(CLI::App& app);   // bench
void addExportOnnxCommand(CLI::App& app); // export-onnx
void addFormatCommands(CLI::App& app); // import --format, export, dedup, stats, classes (after addDataCommands)
void addPlanCommand(CLI::App& app);    // plan
void addRefineCommand(CLI::App& app);  // refine
void addClickBenchCommand(CLI::App& app);  // clickbench
void addLiveCommand(CLI::App& app);        // live-predict
void addCalibrateCommand(CLI::App& app);   // calibrate

} // namespace mf::cli
