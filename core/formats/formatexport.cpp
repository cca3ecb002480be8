#include "formats/formatimport.h"

#include "formats/readers.h"
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "io/maskcounts.h"
#include "io/palettepng.h"

#include <filesystem>
#include <map>
#include <unistd.h>

namespace fs = std::filesystem;

namespace mf::formats {
namespace {

/** labelme's labels.txt: `__ignore__`, then the class names by id (gaps named class_k). */
std::string labelsText(const std::vector<ClassInfo>& classes) {
    int maxId = 0;
    for (const ClassInfo& c : classes)
        maxId = std::max(maxId, c.id == 255 ? 0 : c.id);
    std::vector<std::string> names(static_cast<std::size_t>(maxId + 1));
    for (std::size_t i = 0; i < names.size(); ++i)
        names[i] = "class_" + std::to_string(i);
    for (const ClassInfo& c : classes)
        if (c.id != 255)
            names[static_cast<std::size_t>(c.id)] = c.name;
    std::string text = "__ignore__\n";
    for (const std::string& n : names)
        text += n + "\n";
    return text;
}

/** One file of an export: its bytes, or an image to copy. */
struct OutFile {
    fs::path relative;
    std::string bytes;
    std::string copyFrom;
};

struct Plan {
    ExportReport report;
    std::vector<OutFile> files;
};

/** The class names YOLO numbers 0, 1, ...: the project's classes but background and ignore, by id. */
std::vector<std::string> yoloNamesOf(const std::vector<ClassInfo>& classes) {
    std::vector<std::string> names;
    for (const ClassInfo& c : classes)
        if (c.id != 0 && c.id != 255)
            names.push_back(c.name);
    return names;
}

/** `annotation` read back as the importer reads it. */
cv::Mat readBack(const ImageAnnotation& annotation, cv::Size size, const std::vector<ClassInfo>& classes) {
    LabelMap labels(classes, false);
    std::vector<Problem> ignored;
    return rasterize(annotation, size, labels, ignored);
}

/** Counts what `back` (the export read back) lost of `mask`, by kind. A value the project's class table
 *  does not name (a stale 7 in a three-class project) is lost in every format: none of the exported
 *  class tables names it, so a re-import drops it or makes it ignore; its pixels are counted per value. */
void countLoss(const cv::Mat& mask, const cv::Mat& back, const std::vector<ClassInfo>& classes,
               std::map<std::string, std::pair<long long, int>>& losses) {
    const auto add = [&](const std::string& what, int n) {
        if (n) {
            losses[what].first += n;
            losses[what].second += 1;
        }
    };
    bool named[256] = {};
    named[0] = named[255] = true;
    for (const ClassInfo& c : classes)
        named[c.id & 255] = true;
    cv::Mat noClass = cv::Mat::zeros(mask.size(), CV_8UC1);
    const std::array<int, 256> hist = maskValueCounts(mask);
    for (int v = 1; v < 255; ++v)
        if (hist[v] && !named[v]) {
            add("pixels of value " + std::to_string(v) + ", which no class of the project names (no exported class table can say what it is)",
                hist[v]);
            noClass.setTo(255, mask == v);
        }
    const cv::Mat diff = (mask != back) & ~noClass;
    add("ignore (255) pixels the format has no label for", cv::countNonZero(diff & (mask == 255)));
    add("background pixels inside regions (holes) painted over", cv::countNonZero(diff & (mask == 0)));
    add("class pixels the polygons do not give back", cv::countNonZero(diff & (mask != 0) & (mask != 255)));
}

/** The annotation of one image in `format` (labelme, YOLO) or its part of the whole-file writers, and
 *  the mask the importer would read back from it. */
cv::Mat addAnnotation(const Project& project, const ExportRequest& r, const ImageEntry& e, const cv::Mat& mask, const std::string& imageBytes,
                      CocoWriter& coco, CvatWriter& cvat, Plan& plan) {
    const std::string file = fs::path(e.image).filename().string();
    const std::string stem = fs::path(e.image).stem().string();
    const std::string imageDir = r.format == Format::Voc || r.format == Format::Coco ? "JPEGImages" : r.format == Format::Labelme ? "" : "images";
    std::vector<Problem> ignored;
    switch (r.format) {
    case Format::Png: plan.files.push_back({fs::path("masks") / (stem + ".png"), encodeMaskPng(mask), {}}); return mask;
    case Format::Voc:
        plan.files.push_back({fs::path("SegmentationClass") / (stem + ".png"), encodePalettePng(mask, vocColormap()), {}});
        return mask;
    case Format::Labelme: {
        const std::string json = writeLabelme(mask, project.classes(), file, r.embedImages ? imageBytes : std::string());
        plan.files.push_back({stem + ".json", json, {}});
        return readBack(parseLabelme(json, stem + ".json", ignored), mask.size(), project.classes());
    }
    case Format::Yolo: {
        const std::string text = writeYoloSeg(mask);
        plan.files.push_back({fs::path("labels") / (stem + ".txt"), text, {}});
        return readBack(parseYolo(text, stem + ".txt", mask.size(), yoloNamesOf(project.classes()), ignored), mask.size(), project.classes());
    }
    case Format::Coco: {
        const std::string name = (fs::path(imageDir) / file).generic_string();
        coco.addImage(name, mask);
        CocoWriter one(project.classes(), r.cocoRle);
        one.addImage(name, mask);
        const std::vector<ImageAnnotation> back = parseCoco(one.json(), "annotations.json", ignored);
        return readBack(back.at(0), mask.size(), project.classes());
    }
    case Format::Cvat: {
        cvat.addImage(file, mask);
        CvatWriter one(project.classes());
        one.addImage(file, mask);
        const std::vector<ImageAnnotation> back = parseCvat(one.xml(), "annotations.xml", ignored);
        return readBack(back.at(0), mask.size(), project.classes());
    }
    }
    return mask;
}

Plan makePlan(const Project& project, const ExportRequest& r) {
    Plan plan;
    ExportReport& report = plan.report;
    const std::string imageDir = r.format == Format::Voc || r.format == Format::Coco ? "JPEGImages" : r.format == Format::Labelme ? "" : "images";
    CocoWriter coco(project.classes(), r.cocoRle);
    CvatWriter cvat(project.classes());
    std::map<std::string, std::pair<long long, int>> losses;
    for (const ImageEntry& e : project.images()) {
        if (e.mask.empty())
            continue;
        if (e.status == ImageStatus::Coarse && !r.includeCoarse) {
            ++report.coarseSkipped;  // a box fill is no segmentation
            continue;
        }
        cv::Mat mask;
        std::string imageBytes;
        try {
            mask = readMask(project.absolute(e.mask), project.maskEncoding());
            if (!fs::is_regular_file(project.absolute(e.image)))
                throw FileError(project.absolute(e.image), "image not found");
            if (r.format == Format::Labelme && r.embedImages)
                imageBytes = readFileBytes(project.absolute(e.image));
        } catch (const FileError& err) {
            report.problems.push_back({err.file(), err.problem() + "; image not exported"});
            continue;
        }
        if (!(r.format == Format::Labelme && r.embedImages))
            plan.files.push_back({fs::path(imageDir) / fs::path(e.image).filename(), {}, project.absolute(e.image)});
        countLoss(mask, addAnnotation(project, r, e, mask, imageBytes, coco, cvat, plan), project.classes(), losses);
        ++report.images;
    }
    if (r.format == Format::Coco) {
        plan.files.push_back({"annotations.json", coco.json(), {}});
        report.shapes = coco.annotations();
    } else if (r.format == Format::Cvat) {
        plan.files.push_back({"annotations.xml", cvat.xml(), {}});
        report.shapes = cvat.shapes();
    }
    if (r.format == Format::Yolo) {
        std::string names;
        for (const std::string& n : yoloNamesOf(project.classes()))
            names += n + "\n";
        plan.files.push_back({"classes.txt", names, {}});
    } else {
        plan.files.push_back({"labels.txt", labelsText(project.classes()), {}});
    }
    if (r.format == Format::Voc) {
        std::string names;
        for (const ClassInfo& c : project.classes())
            if (c.id != 255)
                names += c.name + "\n";
        plan.files.push_back({"class_names.txt", names, {}});
    }
    for (const auto& [what, counts] : losses)
        report.losses.push_back({what, counts.first, counts.second});
    for (const OutFile& f : plan.files)
        report.written.push_back(f.relative.generic_string());
    return plan;
}

constexpr const char* kMarker = ".maskforge-export";

/** Writes the plan into a fresh folder beside outDir, then puts it in outDir's place. */
void writePlan(const Plan& plan, const ExportRequest& r) {
    fs::path out = fs::path(r.outDir).lexically_normal();
    if (out.filename().empty())
        out = out.parent_path();
    std::error_code ec;
    const bool nonEmpty = fs::is_directory(out, ec) && !fs::is_empty(out, ec);
    if (fs::exists(out) && !fs::is_directory(out))
        throw FileError(out.string(), "is a file, not a folder");
    if (nonEmpty && !r.overwrite)
        throw FileError(out.string(), "is not empty: an export there would mix with the files in it; choose an empty folder, or "
                                      "--overwrite to replace an earlier export");
    if (nonEmpty && !fs::exists(out / kMarker))
        throw FileError(out.string(), "is not empty and holds no earlier MaskForge export (no " + std::string(kMarker) +
                                      "): not replaced, choose an empty folder");
    const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
    makeDirs(parent.string());
    const std::string tag = std::to_string(::getpid());
    const fs::path fresh = parent / ("." + out.filename().string() + ".export-" + tag);
    const fs::path old = parent / ("." + out.filename().string() + ".old-" + tag);
    fs::remove_all(fresh, ec);
    try {
        for (const OutFile& f : plan.files) {
            makeDirs((fresh / f.relative).parent_path().string());
            writeFileAtomic((fresh / f.relative).string(), f.copyFrom.empty() ? f.bytes : readFileBytes(f.copyFrom));
        }
        writeFileAtomic((fresh / kMarker).string(), "MaskForge export\n");
        if (fs::exists(out))
            fs::rename(out, old);
        fs::rename(fresh, out);
    } catch (const std::exception& e) {
        fs::remove_all(fresh, ec);
        if (fs::exists(old, ec) && !fs::exists(out, ec))
            fs::rename(old, out, ec);
        if (const auto* fe = dynamic_cast<const FileError*>(&e))
            throw *fe;
        throw FileError(out.string(), e.what());
    }
    fs::remove_all(old, ec);
}

} // namespace

ExportReport planExport(const Project& project, const ExportRequest& request) { return makePlan(project, request).report; }

ExportReport exportProject(const Project& project, const ExportRequest& r) {
    const Plan plan = makePlan(project, r);
    if (r.strict && !plan.report.losses.empty()) {
        std::string what;
        for (const ExportLoss& l : plan.report.losses)
            what += (what.empty() ? "" : "; ") + std::to_string(l.pixels) + " " + l.what + " in " + std::to_string(l.images) + " image(s)";
        throw FileError(r.outDir, toString(r.format) + " cannot carry all of the masks (" + what + "): nothing written (--strict)");
    }
    writePlan(plan, r);
    return plan.report;
}

} // namespace mf::formats
