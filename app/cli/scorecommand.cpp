#include "commands.h"

#include "io/errors.h"
#include "io/imageio.h"
#include "io/maskfolder.h"
#include "metrics/metrics.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

namespace fs = std::filesystem;

namespace mf::cli {
namespace {

struct ScoreArgs {
    std::string truth, pred;
    int classes = 0;
    int ignore = -1;
    bool json = false;
};

MaskEncoding folderEncoding(const std::map<std::string, fs::path>& masks, const std::string& dir) {
    std::string summary;
    const MaskEncoding e = mf::folderEncoding(masks, &summary);
    std::cerr << dir << ": " << summary << "\n";
    return e;
}

int maxValue(const cv::Mat& m, int ignore) {
    int hist[256] = {0};
    for (int y = 0; y < m.rows; ++y)
        for (int x = 0; x < m.cols; ++x)
            ++hist[m.ptr<uchar>(y)[x]];
    for (int v = 255; v > 0; --v)
        if (hist[v] && v != ignore)
            return v;
    return 0;
}

void runScore(const ScoreArgs& a) {
    const auto truth = masksByStem(a.truth), pred = masksByStem(a.pred);
    // Each folder is one dataset: its encoding is decided once from all its masks, never per file.
    const MaskEncoding truthEncoding = folderEncoding(truth, a.truth), predEncoding = folderEncoding(pred, a.pred);
    std::vector<std::pair<std::string, std::pair<cv::Mat, cv::Mat>>> pairs;
    int problems = 0, maxClass = 1;
    for (const auto& [stem, path] : truth) {
        auto it = pred.find(stem);
        if (it == pred.end()) {
            std::cerr << path.string() << ": no predicted mask with this stem in " << a.pred << "\n";
            ++problems;
            continue;
        }
        try {
            cv::Mat t = readMask(path.string(), truthEncoding), p = readMask(it->second.string(), predEncoding);
            if (t.size() != p.size())
                throw FileError(it->second.string(), "prediction size differs from its truth " + path.string());
            maxClass = std::max({maxClass, maxValue(t, a.ignore), maxValue(p, a.ignore)});
            pairs.push_back({stem, {t, p}});
        } catch (const FileError& e) {
            std::cerr << e.what() << "\n";
            ++problems;
        }
    }
    for (const auto& [stem, path] : pred)
        if (!truth.count(stem))
            std::cerr << path.string() << ": no true mask with this stem in " << a.truth << " (not scored)\n";
    if (pairs.empty())
        throw FileError(a.truth, "no pairs of true and predicted masks to score");
    MetricsAccumulator acc(a.classes > 0 ? a.classes : maxClass + 1, a.ignore);
    for (const auto& [stem, tp] : pairs)
        acc.add(tp.first, tp.second, stem);
    MetricsReport report = makeReport(acc);
    std::cout << (a.json ? reportToJson(report) + "\n" : reportToText(report));
    if (problems)
        throw CommandExit{1};
}

} // namespace

void addScoreCommand(CLI::App& app) {
    auto args = std::make_shared<ScoreArgs>();
    auto* cmd = app.add_subcommand("score", "Score a folder of predicted masks against true masks (paired by file stem)");
    cmd->add_option("--truth", args->truth, "folder of true masks")->required();
    cmd->add_option("--pred", args->pred, "folder of predicted masks")->required();
    cmd->add_option("--classes", args->classes, "number of classes (default: largest value + 1)");
    cmd->add_option("--ignore", args->ignore, "truth value that counts nowhere (e.g. 255)");
    cmd->add_flag("--json", args->json, "print the whole report as one JSON object");
    cmd->callback([args] { runScore(*args); });
}

} // namespace mf::cli
