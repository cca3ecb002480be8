#include "commands.h"

#include "train/evaluate.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

namespace mf::cli {
namespace {

struct CompareArgs {
    std::vector<std::string> runs;
    std::string split = "val", data, device = "auto";
    bool json = false;
    int top = 10;
};

struct ImageDiff {
    std::string name;
    double a, b;
};

std::vector<ImageDiff> rankImages(const MetricsReport& a, const MetricsReport& b) {
    std::map<std::string, double> byName;
    for (std::size_t i = 0; i < b.imageNames.size(); ++i)
        byName[b.imageNames[i]] = b.imageIoU[i];
    std::vector<ImageDiff> out;
    for (std::size_t i = 0; i < a.imageNames.size(); ++i)
        if (auto it = byName.find(a.imageNames[i]); it != byName.end())
            out.push_back({a.imageNames[i], a.imageIoU[i], it->second});
    std::stable_sort(out.begin(), out.end(),
                     [](const ImageDiff& x, const ImageDiff& y) { return std::abs(x.b - x.a) > std::abs(y.b - y.a); });
    return out;
}

void printText(const CompareArgs& args, const Evaluation& a, const Evaluation& b, const std::vector<ImageDiff>& images) {
    std::printf("A: %s\nB: %s\nsplit %s, %zu images\n\n%-16s %8s %8s %8s\n", a.checkpoint.c_str(), b.checkpoint.c_str(),
                args.split.c_str(), a.report.images, "class", "IoU A", "IoU B", "B - A");
    for (int c = 0; c < a.report.classCount; ++c) {
        const std::string name = c < int(a.classNames.size()) ? a.classNames[c] : std::to_string(c);
        std::printf("%-16s %8.4f %8.4f %+8.4f\n", name.c_str(), a.report.iou[c], b.report.iou[c],
                    b.report.iou[c] - a.report.iou[c]);
    }
    std::printf("%-16s %8.4f %8.4f %+8.4f\n%-16s %8.4f %8.4f %+8.4f\n\nimages by IoU difference (no background):\n",
                "mIoU", a.report.mIoU, b.report.mIoU, b.report.mIoU - a.report.mIoU, "mIoU no bg",
                a.report.mIoUNoBackground, b.report.mIoUNoBackground,
                b.report.mIoUNoBackground - a.report.mIoUNoBackground);
    for (std::size_t i = 0; i < images.size() && int(i) < args.top; ++i)
        std::printf("%-24s %8.4f %8.4f %+8.4f\n", images[i].name.c_str(), images[i].a, images[i].b,
                    images[i].b - images[i].a);
}

nlohmann::json toJson(const Evaluation& a, const Evaluation& b, const std::vector<ImageDiff>& images) {
    nlohmann::json classes = nlohmann::json::array(), imgs = nlohmann::json::array();
    for (int c = 0; c < a.report.classCount; ++c)
        classes.push_back({{"class", c}, {"name", c < int(a.classNames.size()) ? a.classNames[c] : std::to_string(c)},
                           {"iou_a", a.report.iou[c]}, {"iou_b", b.report.iou[c]},
                           {"difference", b.report.iou[c] - a.report.iou[c]}});
    for (const auto& i : images)
        imgs.push_back({{"image", i.name}, {"iou_a", i.a}, {"iou_b", i.b}, {"difference", i.b - i.a}});
    return {{"a", a.checkpoint}, {"b", b.checkpoint}, {"split", a.split},
            {"miou_a", a.report.mIoU}, {"miou_b", b.report.mIoU},
            {"miou_no_background_a", a.report.mIoUNoBackground}, {"miou_no_background_b", b.report.mIoUNoBackground},
            {"classes", classes}, {"images", imgs}};
}

void runCompare(const CompareArgs& args) {
    PredictOptions options;
    options.device = args.device;
    const Evaluation a = evaluate(args.runs[0], args.split, args.data, options);
    const Evaluation b = evaluate(args.runs[1], args.split, args.data, options);
    if (a.report.classCount != b.report.classCount)
        throw std::invalid_argument("the two runs have different class counts (" + std::to_string(a.report.classCount) +
                                    " and " + std::to_string(b.report.classCount) + ")");
    const auto images = rankImages(a.report, b.report);
    if (args.json)
        std::cout << toJson(a, b, images).dump(2) << "\n";
    else
        printText(args, a, b, images);
}

} // namespace

void addCompareCommand(CLI::App& app) {
    auto args = std::make_shared<CompareArgs>();
    auto* cmd = app.add_subcommand("compare", "Compare two runs: per-class IoU side by side, images ranked by difference");
    cmd->add_option("--runs", args->runs, "two run folders (A B)")->required()->expected(2);
    cmd->add_option("--split", args->split, "train | val | test")->capture_default_str();
    cmd->add_option("--data", args->data, "another dataset to compare on");
    cmd->add_option("--top", args->top, "how many images to list")->capture_default_str();
    cmd->add_option("--device", args->device, "auto | cpu | cuda")->capture_default_str();
    cmd->add_flag("--json", args->json, "print one JSON object instead of tables");
    cmd->callback([args] { runCompare(*args); });
}

} // namespace mf::cli
