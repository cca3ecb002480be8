#include "commands.h"
#include "comparison.h"

#include "infer/evaluate.h"

#include <nlohmann/json.hpp>

#include <cstdarg>
#include <cstdio>
#include <iostream>
#include <memory>

namespace mf::cli {
namespace {

struct CompareArgs {
    std::vector<std::string> runs;
    std::string split = "val", data, device = "auto";
    bool json = false;
    int top = 10;
};

std::string line(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string line(const char* format, ...) {
    char buf[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    return buf;
}

} // namespace

std::string comparisonText(const Comparison& cmp, int top) {
    const Evaluation &a = cmp.a, &b = cmp.b;
    std::string s = line("A: %s\nB: %s\nsplit %s, %zu images\n\n%-16s %8s %8s %8s\n", a.checkpoint.c_str(),
                         b.checkpoint.c_str(), a.split.c_str(), a.report.images, "class", "IoU A", "IoU B", "B - A");
    for (int c = 0; c < a.report.classCount; ++c) {
        const std::string name = c < int(a.classNames.size()) ? a.classNames[c] : std::to_string(c);
        s += line("%-16s %8.4f %8.4f %+8.4f\n", name.c_str(), a.report.iou[c], b.report.iou[c],
                  b.report.iou[c] - a.report.iou[c]);
    }
    s += line("%-16s %8.4f %8.4f %+8.4f\n%-16s %8.4f %8.4f %+8.4f\n\nimages by IoU difference (no background):\n",
              "mIoU", a.report.mIoU, b.report.mIoU, b.report.mIoU - a.report.mIoU, "mIoU no bg",
              a.report.mIoUNoBackground, b.report.mIoUNoBackground,
              b.report.mIoUNoBackground - a.report.mIoUNoBackground);
    for (std::size_t i = 0; i < cmp.images.size() && int(i) < top; ++i)
        s += line("%-24s %8.4f %8.4f %+8.4f\n", cmp.images[i].name.c_str(), cmp.images[i].a, cmp.images[i].b,
                  cmp.images[i].b - cmp.images[i].a);
    return s;
}

std::string comparisonJson(const Comparison& cmp) {
    const Evaluation &a = cmp.a, &b = cmp.b;
    const auto& images = cmp.images;
    nlohmann::json classes = nlohmann::json::array(), imgs = nlohmann::json::array();
    for (int c = 0; c < a.report.classCount; ++c)
        classes.push_back({{"class", c}, {"name", c < int(a.classNames.size()) ? a.classNames[c] : std::to_string(c)},
                           {"iou_a", a.report.iou[c]}, {"iou_b", b.report.iou[c]},
                           {"difference", b.report.iou[c] - a.report.iou[c]}});
    for (const auto& i : images)
        imgs.push_back({{"image", i.name}, {"iou_a", i.a}, {"iou_b", i.b}, {"difference", i.b - i.a}});
    const nlohmann::json j{{"a", a.checkpoint}, {"b", b.checkpoint}, {"split", a.split},
                           {"miou_a", a.report.mIoU}, {"miou_b", b.report.mIoU},
                           {"miou_no_background_a", a.report.mIoUNoBackground},
                           {"miou_no_background_b", b.report.mIoUNoBackground},
                           {"classes", classes}, {"images", imgs}};
    return j.dump(2);
}

namespace {

void runCompare(const CompareArgs& args) {
    PredictOptions options;
    options.device = args.device;
    const Comparison cmp = compareRuns(args.runs[0], args.runs[1], args.split, args.data, options);
    std::cout << (args.json ? comparisonJson(cmp) + "\n" : comparisonText(cmp, args.top));
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
