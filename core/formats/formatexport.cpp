#include "formats/formatimport.h"

#include "formats/readers.h"
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "io/palettepng.h"

#include <filesystem>

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

} // namespace

ExportReport exportProject(const Project& project, const ExportRequest& r) {
    ExportReport report;
    const fs::path out = r.outDir;
    const auto write = [&](const fs::path& relative, const std::string& bytes) {
        makeDirs((out / relative).parent_path().string());
        writeFileAtomic((out / relative).string(), bytes);
        report.written.push_back(relative.string());
    };
    const char* imageDir = r.format == Format::Voc || r.format == Format::Coco ? "JPEGImages" : r.format == Format::Labelme ? "" : "images";
    CocoWriter coco(project.classes(), r.cocoRle);
    CvatWriter cvat(project.classes());
    std::string yoloNames;
    for (const ClassInfo& c : project.classes())
        if (c.id != 0 && c.id != 255)
            yoloNames += c.name + "\n";
    for (const ImageEntry& e : project.images()) {
        if (e.mask.empty())
            continue;
        cv::Mat mask;
        std::string imageBytes;
        try {
            mask = readMask(project.absolute(e.mask), project.maskEncoding());
            imageBytes = readFileBytes(project.absolute(e.image));
        } catch (const FileError& err) {
            report.problems.push_back({err.file(), err.problem() + "; image not exported"});
            continue;
        }
        const std::string file = fs::path(e.image).filename().string();
        const std::string stem = fs::path(e.image).stem().string();
        const fs::path imageOut = fs::path(imageDir) / file;
        if (!(r.format == Format::Labelme && r.embedImages))
            write(imageOut, imageBytes);
        switch (r.format) {
        case Format::Png: write(fs::path("masks") / (stem + ".png"), encodeMaskPng(mask)); break;
        case Format::Voc: write(fs::path("SegmentationClass") / (stem + ".png"), encodePalettePng(mask, vocColormap())); break;
        case Format::Labelme: {
            const std::string json = writeLabelme(mask, project.classes(), file, r.embedImages ? imageBytes : std::string());
            write(stem + ".json", json);
            break;
        }
        case Format::Coco: coco.addImage(imageOut.string(), mask); break;
        case Format::Yolo: write(fs::path("labels") / (stem + ".txt"), writeYoloSeg(mask)); break;
        case Format::Cvat: cvat.addImage(file, mask); break;
        }
        ++report.images;
    }
    if (r.format == Format::Coco) {
        write("annotations.json", coco.json());
        report.shapes = coco.annotations();
    } else if (r.format == Format::Cvat) {
        write("annotations.xml", cvat.xml());
        report.shapes = cvat.shapes();
    }
    if (r.format == Format::Yolo)
        write("classes.txt", yoloNames);
    else
        write("labels.txt", labelsText(project.classes()));
    if (r.format == Format::Voc) {
        std::string names;
        for (const ClassInfo& c : project.classes())
            if (c.id != 255)
                names += c.name + "\n";
        write("class_names.txt", names);
    }
    return report;
}

} // namespace mf::formats
