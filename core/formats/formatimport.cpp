#include "formats/formatimport.h"

#include "formats/readers.h"
#include "io/atomicfile.h"
#include "io/imageio.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace mf::formats {

std::optional<Format> parseFormat(const std::string& name) {
    static const std::map<std::string, Format> names = {{"png", Format::Png},     {"voc", Format::Voc},   {"labelme", Format::Labelme},
                                                        {"coco", Format::Coco},   {"yolo", Format::Yolo}, {"cvat", Format::Cvat}};
    const auto it = names.find(name);
    return it == names.end() ? std::nullopt : std::optional<Format>(it->second);
}

std::string toString(Format f) {
    switch (f) {
    case Format::Png: return "png";
    case Format::Voc: return "voc";
    case Format::Labelme: return "labelme";
    case Format::Coco: return "coco";
    case Format::Yolo: return "yolo";
    case Format::Cvat: return "cvat";
    }
    return "?";
}

Format guessBoxFormat(const std::string& path) {
    if (lowerExtension(path) == ".json")
        return Format::Coco;
    if (lowerExtension(path) == ".xml")
        return Format::Voc;
    if (fs::is_directory(path))
        for (const auto& e : fs::directory_iterator(path))
            if (lowerExtension(e.path().string()) == ".xml")
                return Format::Voc;
    return Format::Yolo;
}

namespace {

/** One image to import: its annotations, or a ready index mask (PNG/VOC masks). */
struct Item {
    ImageAnnotation annotation;
    std::vector<std::string> searchDirs;  ///< where the image may be, besides the annotation's own folder
    std::string maskFile;  ///< PNG/VOC: an index or palette mask
    std::string yoloFile;  ///< YOLO: the label file, parsed once the image size is known
};

std::vector<fs::path> filesWith(const fs::path& dir, const std::set<std::string>& extensions) {
    std::vector<fs::path> files;
    if (!fs::is_directory(dir))
        return files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && extensions.count(lowerExtension(e.path().string())))
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

fs::path firstDir(const fs::path& root, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (fs::is_directory(root / n))
            return root / n;
    return {};
}

/** The input file itself, or the named file in the input folder. */
fs::path inputFile(const std::string& input, std::initializer_list<const char*> names, const char* what) {
    if (fs::is_regular_file(input))
        return input;
    for (const char* n : names)
        if (fs::is_regular_file(fs::path(input) / n))
            return fs::path(input) / n;
    throw FileError(input, std::string("no ") + what + " here");
}

std::vector<Item> gatherLabelme(const std::string& input, std::vector<Problem>& problems, int& files) {
    std::vector<Item> items;
    const std::vector<fs::path> jsons = fs::is_regular_file(input) ? std::vector<fs::path>{input} : filesWith(input, {".json"});
    if (jsons.empty())
        throw FileError(input, "no labelme .json files here");
    for (const fs::path& f : jsons) {
        ++files;
        try {
            Item item;
            item.annotation = parseLabelme(readFileBytes(f.string()), f.string(), problems);
            item.searchDirs = {(f.parent_path() / "../images").string()};
            items.push_back(std::move(item));
        } catch (const FileError& e) {
            problems.push_back({e.file(), e.problem()});
        }
    }
    return items;
}

std::vector<Item> fromAnnotations(std::vector<ImageAnnotation> all, const fs::path& base) {
    std::vector<Item> items;
    for (ImageAnnotation& a : all) {
        Item item;
        item.annotation = std::move(a);
        item.searchDirs = {base.string(), (base / "images").string(), (base / "JPEGImages").string()};
        items.push_back(std::move(item));
    }
    return items;
}

std::vector<Item> gatherMasksAndBoxes(const ImportRequest& r, std::vector<Problem>& problems, int& files) {
    const fs::path root = r.input;
    if (!fs::is_directory(root))
        throw FileError(r.input, "not a folder (expected images/ + masks/, or a VOC folder)");
    const fs::path images = firstDir(root, {"JPEGImages", "images"});
    std::vector<Item> items;
    std::set<std::string> withMask;
    const fs::path masks = firstDir(root, {"SegmentationClass", "masks", "annotations"});
    for (const fs::path& m : filesWith(masks, {".png"})) {
        ++files;
        Item item;
        item.maskFile = m.string();
        item.annotation.source = m.string();
        item.annotation.imagePath = m.stem().string();
        item.searchDirs = {images.string(), root.string()};
        withMask.insert(m.stem().string());
        items.push_back(std::move(item));
    }
    if (r.format == Format::Voc) {
        fs::path xmlDir = firstDir(root, {"Annotations", "annotations"});
        std::vector<fs::path> xmls = filesWith(xmlDir, {".xml"});
        if (xmls.empty())
            xmls = filesWith(root, {".xml"});
        for (const fs::path& x : xmls) {
            if (withMask.count(x.stem().string()))
                continue;  // a segmentation mask says more than boxes
            ++files;
            try {
                Item item;
                item.annotation = parseVocXml(readFileBytes(x.string()), x.string(), problems);
                // NEU-DET's <filename> lacks the extension: pair by the XML's stem, as VOC tools do.
                item.annotation.imagePath = x.stem().string();
                item.searchDirs = {images.string(), (x.parent_path() / "../JPEGImages").string(), (x.parent_path() / "../images").string(),
                                   x.parent_path().string()};
                items.push_back(std::move(item));
            } catch (const FileError& e) {
                problems.push_back({e.file(), e.problem()});
            }
        }
    }
    if (items.empty())
        throw FileError(r.input, r.format == Format::Voc ? "no SegmentationClass/ masks and no VOC .xml files here"
                                                         : "no masks here (expected masks/*.png or SegmentationClass/*.png)");
    return items;
}

std::vector<Item> gatherYolo(const ImportRequest& r, std::vector<std::string>& names, int& files) {
    const fs::path root = fs::is_regular_file(r.input) ? fs::path(r.input).parent_path() : fs::path(r.input);
    const fs::path labels = fs::is_regular_file(r.input) ? root : (fs::is_directory(root / "labels") ? root / "labels" : root);
    for (const fs::path& n : {root / "classes.txt", labels / "classes.txt", root / "obj.names"})
        if (fs::is_regular_file(n)) {
            names = parseNames(readFileBytes(n.string()));
            break;
        }
    std::vector<fs::path> txts = fs::is_regular_file(r.input) ? std::vector<fs::path>{r.input} : filesWith(labels, {".txt"});
    txts.erase(std::remove_if(txts.begin(), txts.end(), [](const fs::path& p) { return p.filename() == "classes.txt"; }), txts.end());
    if (txts.empty())
        throw FileError(r.input, "no YOLO .txt label files here");
    std::vector<Item> items;
    for (const fs::path& t : txts) {
        Item item;
        item.annotation.source = t.string();
        item.annotation.imagePath = t.stem().string();
        item.yoloFile = t.string();  // parsed once the image size is known
        item.searchDirs = {(root / "images").string(), root.string(), (t.parent_path() / "../images").string()};
        items.push_back(std::move(item));
        ++files;
    }
    return items;
}


/** Finds an item's image: among the project's images by stem, else on disk near its annotation file. */
struct Located {
    ImageEntry* entry = nullptr;  ///< the project's image of that stem
    fs::path file;                ///< else the source image file
    bool embedded = false;        ///< else the annotation's imageData
};

std::optional<Located> locate(Project& project, std::map<std::string, std::size_t>& byStem, const Item& item) {
    const fs::path named = item.annotation.imagePath;
    const std::string stem = named.stem().string();
    if (const auto it = byStem.find(stem); it != byStem.end())
        return Located{&project.images()[it->second], {}, false};
    std::vector<fs::path> dirs = {fs::path(item.annotation.source).parent_path()};
    for (const std::string& d : item.searchDirs)
        dirs.emplace_back(d);
    for (const fs::path& d : dirs) {
        if (d.empty() && !dirs.empty())
            continue;
        for (const fs::path& candidate : {d / named, d / named.filename()})
            if (!named.empty() && fs::is_regular_file(candidate) && isImageFile(candidate.string()))
                return Located{nullptr, fs::weakly_canonical(candidate), false};
        for (const char* ext : {".jpg", ".png", ".jpeg", ".bmp", ".tif", ".tiff", ".JPG", ".PNG"})
            if (fs::is_regular_file(d / (stem + ext)))
                return Located{nullptr, fs::weakly_canonical(d / (stem + ext)), false};
    }
    if (!item.annotation.imageData.empty())
        return Located{nullptr, {}, true};
    return std::nullopt;
}

std::string embeddedExtension(const std::string& bytes) {
    if (bytes.size() > 8 && bytes.compare(1, 3, "PNG") == 0)
        return ".png";
    if (bytes.size() > 3 && static_cast<unsigned char>(bytes[0]) == 0xFF && static_cast<unsigned char>(bytes[1]) == 0xD8)
        return ".jpg";
    return {};
}

/** Makes masks from index/palette PNGs agree with the classes: with no classes known yet they are
 *  inferred (max index + 1, names from a class_names.txt/labels.txt beside the masks); values that are
 *  still no class become the ignore index, reported. */
void inferMaskClasses(const std::vector<Item>& items, const ImportRequest& r, MaskEncoding encoding, LabelMap& labels,
                      std::vector<ClassInfo>& initial) {
    if (initial.size() > 1 || !r.labelsFile.empty())
        return;
    int maxValue = 0;
    for (const Item& i : items)
        if (!i.maskFile.empty()) {
            try {
                cv::Mat m = readMask(i.maskFile, encoding);
                m.setTo(0, m == 255);
                double v = 0;
                cv::minMaxLoc(m, nullptr, &v);
                maxValue = std::max(maxValue, static_cast<int>(v));
            } catch (const FileError&) {
            }
        }
    std::vector<ClassInfo> classes = defaultClasses(maxValue + 1);
    for (const char* n : {"class_names.txt", "labels.txt", "classes.txt"}) {
        const fs::path f = fs::path(r.input) / n;
        if (!fs::is_regular_file(f))
            continue;
        const LabelMap named = LabelMap::fromLabelsText(readFileBytes(f.string()), f.string());
        if (named.classes().size() >= classes.size())
            classes = named.classes();
        break;
    }
    initial = classes;
    labels = LabelMap(classes, r.addMissingClasses);
}

cv::Mat maskFromFile(const Item& item, MaskEncoding encoding, cv::Size size, const LabelMap& labels, std::vector<Problem>& problems) {
    cv::Mat m = readMask(item.maskFile, encoding);
    if (m.size() != size)
        throw FileError(item.maskFile, "mask is " + std::to_string(m.cols) + "x" + std::to_string(m.rows) + ", its image " +
                                           std::to_string(size.width) + "x" + std::to_string(size.height));
    std::set<int> known = {255};
    for (const ClassInfo& c : labels.classes())
        known.insert(c.id);
    for (int v = 0; v < 255; ++v) {
        if (known.count(v))
            continue;
        const cv::Mat hit = m == v;
        if (const int n = cv::countNonZero(hit)) {
            problems.push_back({item.maskFile, std::to_string(n) + " pixels of value " + std::to_string(v) +
                                                   " are no class of the project; written as ignore (255)"});
            m.setTo(255, hit);
        }
    }
    return m;
}

/** Writes one project file (project-relative), or in a dry run only lists it. */
using WriteFile = std::function<void(const std::string& relative, const std::string& bytes)>;

/** Where an image's boxes go: its own box file when it names a .txt inside the project (rewritten in
 *  place, so a re-import leaves no stale copy), else boxes/<stem>.txt. */
std::string boxFileOf(const ImageEntry& entry, const std::string& stem) {
    const fs::path own = fs::path(entry.boxes).lexically_normal();
    if (!own.empty() && own.is_relative() && own.extension() == ".txt" && *own.begin() != "..")
        return own.generic_string();
    return "boxes/" + stem + ".txt";
}

/** Stores an imported mask and points `entry` at it. With `boxes` (a box-only annotation) it is a coarse
 *  mask: written to coarse/, the boxes to the entry's box file (refinement starts from them: the mask
 *  alone merges overlapping boxes of a class), and to masks/ only over no mask, an unlabelled or a coarse
 *  one, never over a person's refined or reviewed mask. */
void storeMask(ImageEntry& entry, const std::string& stem, const cv::Mat& mask, cv::Size size, const std::vector<DetectionBox>* boxes,
               const WriteFile& write) {
    const std::string maskBytes = encodeMaskPng(mask);
    if (boxes) {
        const std::string boxFile = boxFileOf(entry, stem);
        entry.coarse = "coarse/" + stem + ".png";
        write(entry.coarse, maskBytes);
        write(boxFile, writeYoloBoxes(*boxes, size));
        entry.boxes = boxFile;
    }
    if (!boxes || entry.mask.empty() || entry.status == ImageStatus::Unlabelled || entry.status == ImageStatus::Coarse) {
        if (entry.mask.empty())
            entry.mask = "masks/" + stem + ".png";
        write(entry.mask, maskBytes);
        entry.status = boxes ? ImageStatus::Coarse : ImageStatus::Refined;
    }
}

} // namespace

ImportReport importInto(Project& project, const ImportRequest& r) {
    if (!fs::exists(r.input))
        throw FileError(r.input, "no such file or folder");
    ImportReport report;
    std::vector<ClassInfo> initial = project.classes();
    if (initial.empty() && r.labelsFile.empty())
        initial = defaultClasses(1);
    LabelMap labels(initial, r.addMissingClasses);
    if (!r.labelsFile.empty()) {
        const LabelMap fromFile = LabelMap::fromLabelsText(readFileBytes(r.labelsFile), r.labelsFile);
        if (initial.empty()) {
            initial = fromFile.classes();
            labels = LabelMap(initial, r.addMissingClasses);
        } else {
            LabelMap adding(initial, true);
            for (const ClassInfo& c : fromFile.classes())
                adding.classOf(c.name);
            labels = LabelMap(adding.classes(), r.addMissingClasses);
            for (const std::string& n : adding.added())
                report.addedClasses.push_back(n);
        }
    }
    std::vector<Item> items;
    std::vector<std::string> yoloNames;
    MaskEncoding sourceEncoding = MaskEncoding::Index;  // of mask files read from the input (png, voc)
    switch (r.format) {
    case Format::Labelme: items = gatherLabelme(r.input, report.problems, report.files); break;
    case Format::Coco: {
        const fs::path f = inputFile(r.input, {"annotations.json", "instances.json", "_annotations.coco.json"}, "COCO .json file");
        ++report.files;
        items = fromAnnotations(parseCoco(readFileBytes(f.string()), f.string(), report.problems), f.parent_path());
        break;
    }
    case Format::Cvat: {
        const fs::path f = inputFile(r.input, {"annotations.xml"}, "CVAT annotations.xml");
        ++report.files;
        items = fromAnnotations(parseCvat(readFileBytes(f.string()), f.string(), report.problems), f.parent_path());
        break;
    }
    case Format::Yolo:
        items = gatherYolo(r, yoloNames, report.files);
        for (const std::string& n : yoloNames)  // classes.txt order gives the ids of new classes
            labels.classOf(n);
        break;
    case Format::Png:
    case Format::Voc:
        items = gatherMasksAndBoxes(r, report.problems, report.files);
        {
            // How the source stores classes (0/255 binary, index, palette) is decided once for all its
            // masks, never per file.
            std::vector<std::string> maskFiles;
            for (const Item& i : items)
                if (!i.maskFile.empty())
                    maskFiles.push_back(i.maskFile);
            sourceEncoding = decideMaskEncoding(maskFiles, initial.size() > 1 ? static_cast<int>(initial.size()) : 0);
        }
        inferMaskClasses(items, r, sourceEncoding, labels, initial);
        break;
    }

    std::map<std::string, std::size_t> byStem;
    for (std::size_t i = 0; i < project.images().size(); ++i)
        byStem[fs::path(project.images()[i].image).stem().string()] = i;
    const WriteFile write = [&](const std::string& relative, const std::string& bytes) {
        report.written.push_back(relative);
        if (r.dryRun)
            return;
        makeDirs(fs::path(project.absolute(relative)).parent_path().string());
        writeFileAtomic(project.absolute(relative), bytes);
    };
    std::set<std::string> done;
    for (Item& item : items) {
        const std::string stem = fs::path(item.annotation.imagePath).stem().string();
        const std::string source = item.annotation.source;
        try {
            if (stem.empty())
                throw FileError(source, "names no image");
            if (!done.insert(stem).second)
                throw FileError(source, "a second annotation of image \"" + stem + "\", skipped");
            const std::optional<Located> where = locate(project, byStem, item);
            if (!where)
                throw FileError(source, "image \"" + item.annotation.imagePath + "\" not found (in the project, beside the annotation, or in images/)");
            cv::Mat image;
            if (where->entry)
                image = readImageRgb(project.absolute(where->entry->image));
            else if (where->embedded)
                image = cv::imdecode(std::vector<uchar>(item.annotation.imageData.begin(), item.annotation.imageData.end()), cv::IMREAD_COLOR);
            else
                image = readImageRgb(where->file.string());
            if (image.empty())
                throw FileError(source, "embedded imageData is not an image");
            const cv::Size size = image.size();
            if (!item.annotation.size.empty() && item.annotation.size != size)
                throw FileError(source, "says the image is " + std::to_string(item.annotation.size.width) + "x" +
                                            std::to_string(item.annotation.size.height) + " but it is " + std::to_string(size.width) + "x" +
                                            std::to_string(size.height) + ", skipped");
            if (!item.yoloFile.empty())
                item.annotation = parseYolo(readFileBytes(item.yoloFile), item.yoloFile, size, yoloNames, report.problems);
            const std::size_t before = report.problems.size();
            std::vector<DetectionBox> painted;
            const cv::Mat mask = item.maskFile.empty() ? rasterize(item.annotation, size, labels, report.problems, &painted)
                                                       : maskFromFile(item, sourceEncoding, size, labels, report.problems);
            const int usable = static_cast<int>(item.annotation.shapes.size()) - static_cast<int>(report.problems.size() - before);

            ImageEntry fresh;
            ImageEntry* entry = where->entry;
            if (!entry) {
                fresh.image = where->file.empty() ? "images/" + stem + embeddedExtension(item.annotation.imageData)
                                                  : (where->file.string().rfind(fs::weakly_canonical(project.root()).string() + "/", 0) == 0
                                                         ? project.relative(where->file.string())
                                                         : "images/" + where->file.filename().string());
                if (where->embedded && embeddedExtension(item.annotation.imageData).empty())
                    throw FileError(source, "embedded imageData is neither PNG nor JPEG");
                if (fresh.image.rfind("images/", 0) == 0) {
                    const std::string bytes = where->embedded ? item.annotation.imageData : readFileBytes(where->file.string());
                    if (fs::exists(project.absolute(fresh.image)) && readFileBytes(project.absolute(fresh.image)) != bytes)
                        throw FileError(source, "a different " + fresh.image + " is already in the project, skipped");
                    write(fresh.image, bytes);
                }
                entry = &fresh;
            }
            const bool boxes = item.annotation.boxesOnly && item.maskFile.empty();
            storeMask(*entry, stem, mask, size, boxes ? &painted : nullptr, write);
            if (!where->entry) {
                byStem[stem] = project.images().size();
                project.images().push_back(fresh);
            }
            ++report.images;
            if (item.maskFile.empty()) {
                report.shapes += std::max(0, usable);
                if (boxes)
                    report.boxes += std::max(0, usable);
            }
        } catch (const FileError& e) {
            report.problems.push_back({e.file(), e.problem()});
        }
    }
    for (const std::string& n : labels.added())
        report.addedClasses.push_back(n);
    project.classes() = labels.classes();
    return report;
}

ImportReport importAnnotations(const std::string& projectDir, const ImportRequest& request) {
    Project project = fs::exists(fs::path(projectDir) / Project::kFileName) ? Project::load(projectDir) : Project(fs::absolute(projectDir).string());
    if (project.name().empty())
        project.setName(fs::path(projectDir).filename().string());
    if (!request.dryRun && !fs::exists(projectDir))
        makeDirs(projectDir);
    ImportReport report = importInto(project, request);
    if (!request.dryRun && report.images > 0) {
        project.save();
        report.written.push_back(Project::kFileName);
    }
    return report;
}

} // namespace mf::formats
