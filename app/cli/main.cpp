#include "commands.h"

#include "io/errors.h"
#include "machine/cpucache.h"

#include <iostream>

int main(int argc, char** argv) {
    mf::installCpuCache();  // before any thread: activations reused instead of page-faulted in again
    CLI::App app{"maskforge-cli: MaskForge's headless workbench (datasets, metrics, training, prediction)"};
    app.require_subcommand(1);
    mf::cli::addDataCommands(app);
    mf::cli::addScoreCommand(app);
    mf::cli::addDemoCommand(app);
    mf::cli::addTrainCommand(app);
    mf::cli::addPredictCommands(app);
    mf::cli::addCompareCommand(app);
    mf::cli::addBenchCommand(app);
    mf::cli::addExportOnnxCommand(app);
    mf::cli::addFormatCommands(app);
    mf::cli::addPlanCommand(app);
    mf::cli::addRefineCommand(app);
    mf::cli::addClickBenchCommand(app);
    mf::cli::addLiveCommand(app);
    mf::cli::addCalibrateCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const mf::cli::CommandExit& e) {
        return e.code;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
