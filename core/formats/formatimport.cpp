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

/** A COCO file given as itself or by its folder: a data set's root or its annotations/ folder. The
 *  conventional names first; else the one .json there (instances_<split>.json, as COCO's own); several
 *  are an error naming them, never a guess. */
fs::path cocoInputFile(const std::string& input) {
    if (fs::is_regular_file(input))
        return input;
    for (const fs::path& dir : {fs::path(input), fs::path(input) / "annotations"})
        for (const char* n : {"annotations.json", "instances.json", "_annotations.coco.json"})
            if (fs::is_regular_file(dir / n))
                return dir / n;
    std::vector<fs::path> jsons = filesWith(input, {".json"});
    if (jsons.empty())
        jsons = filesWith(fs::path(input) / "annotations", {".json"});
    std::vector<fs::path> instances;
    for (const fs::path& f : jsons)
        if (f.filename().string().rfind("instances_", 0) == 0)
            instances.push_back(f);
    if (instances.size() == 1 || jsons.size() == 1)
        return instances.size() == 1 ? instances[0] : jsons[0];
    if (jsons.empty())
        throw FileError(input, "no COCO .json file here (nor in its annotations/ folder)");
    std::string names;
    for (const fs::path& f : instances.empty() ? jsons : instances)
        names += (names.empty() ? "" : ", ") + f.filename().string();
    throw FileError(input, "holds several COCO files (" + names + "): give the one to import as --input");
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

std::vector<Item> fromAnnotations(std::vector<ImageAnnotation> all, const std::vector<fs::path>& dirs) {
    std::vector<Item> items;
    for (ImageAnnotation& a : all) {
        Item item;
        item.annotation = std::move(a);
        for (const fs::path& d : dirs)
            item.searchDirs.push_back(d.string());
        items.push_back(std::move(item));
    }
    return items;
}

/** Where a COCO file's images are in the standard layouts: beside it, in images/ (or images/<split>/)
 *  beside it or beside its annotations/ folder, and COCO 2017's <split>2017/ beside annotations/. The
 *  split is the file name's after "instances_" (instances_val2017.json: val2017). */
std::vector<fs::path> cocoImageDirs(const fs::path& json) {
    const fs::path base = json.parent_path(), up = base.parent_path();
    std::string split = json.stem().string();
    for (const char* prefix : {"instances_", "person_keypoints_", "panoptic_", "stuff_"})
        if (split.rfind(prefix, 0) == 0)
            split = split.substr(std::string(prefix).size());
    std::vector<fs::path> dirs = {base, base / "images", base / "JPEGImages"};
    if (!split.empty())
        for (const fs::path& root : {base, up})
            for (const fs::path& d : {root / "images" / split, root / split, root / (split + "2017"), root / "images" / (split + "2017")})
                dirs.push_back(d);
    dirs.push_back(up / "images");
    dirs.push_back(up / "JPEGImages");
    return dirs;
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

/** Ultralytics' layout: labels/<split>/a.txt has its image in images/<split>/: the path with its last
 *  "labels" folder named "images". */
std::string imagesBesideLabels(const fs::path& folder) {
    std::vector<std::string> parts;
    for (const fs::path& p : folder)
        parts.push_back(p.string());
    for (std::size_t i = parts.size(); i-- > 0;)
        if (parts[i] == "labels") {
            parts[i] = "images";
            fs::path out;
            for (const std::string& p : parts)
                out /= p;
            return out.string();
        }
    return {};
}

std::vector<Item> gatherYolo(const ImportRequest& r, std::vector<std::string>& names, int& files) {
    const fs::path root = fs::is_regular_file(r.input) ? fs::path(r.input).parent_path() : fs::path(r.input);
    const fs::path labels = fs::is_regular_file(r.input) ? root : (fs::is_directory(root / "labels") ? root / "labels" : root);
    // The data set's root holds classes.txt beside images/ and labels/ when the labels folder is given.
    fs::path dataRoot = root;
    if (const std::string imagesThere = imagesBesideLabels(labels); !imagesThere.empty()) {
        fs::path images = imagesThere;  // labels/<split>/ -> images/<split>/: the root is above images/
        while (images.has_filename() && images.filename() != "images")
            images = images.parent_path();
        dataRoot = images.parent_path();
    }
    for (const fs::path& n : {root / "classes.txt", labels / "classes.txt", root / "obj.names", dataRoot / "classes.txt", dataRoot / "obj.names"})
        if (fs::is_regular_file(n)) {
            names = parseNames(readFileBytes(n.string()));
            break;
        }
    // Ultralytics: the names in data.yaml at the data set's root (labels/<split>/ two folders down).
    for (const fs::path& y : {root / "data.yaml", root.parent_path() / "data.yaml", root.parent_path().parent_path() / "data.yaml"})
        if (names.empty() && fs::is_regular_file(y))
            names = parseDataYamlNames(readFileBytes(y.string()));
    std::vector<fs::path> txts = fs::is_regular_file(r.input) ? std::vector<fs::path>{r.input} : filesWith(labels, {".txt"});
    if (txts.empty() && fs::is_directory(labels))  // labels/train/, labels/val/, ...: every split
        for (const auto& split : fs::directory_iterator(labels))
            if (split.is_directory())
                for (const fs::path& t : filesWith(split.path(), {".txt"}))
                    txts.push_back(t);
    txts.erase(std::remove_if(txts.begin(), txts.end(), [](const fs::path& p) { return p.filename() == "classes.txt"; }), txts.end());
    if (txts.empty())
        throw FileError(r.input, "no YOLO .txt label files here");
    std::vector<Item> items;
    for (const fs::path& t : txts) {
        Item item;
        item.annotation.source = t.string();
        item.annotation.imagePath = t.stem().string();
        item.yoloFile = t.string();  // parsed once the image size is known
        item.searchDirs = {(root / "images").string(), root.string(), (t.parent_path() / "../images").string(), imagesBesideLabels(t.parent_path())};
        items.push_back(std::move(item));
        ++files;
    }
    return items;
}


/** Where an item's image is: a project entry, or a source to copy in (a file on disk or embedded bytes). */
struct Located {
    ImageEntry* entry = nullptr;  ///< the project's image
    fs::path file;                ///< else the source image file
    bool embedded = false;        ///< else the annotation's imageData
};

std::string describeEntries(const Project& project, const std::vector<std::size_t>& which) {
    std::string s;
    for (std::size_t i : which)
        s += (s.empty() ? "" : ", ") + project.images()[i].image;
    return s;
}

bool sameImage(const std::string& bytesA, const std::string& pathA, const std::string& pathB) {
    const std::string bytesB = readFileBytes(pathB);
    if (bytesA == bytesB)
        return true;
    try {  // the same pixels, encoded otherwise (a PNG saved again)
        const cv::Mat a = decodeImageRgb(bytesA, pathA), b = decodeImageRgb(bytesB, pathB);
        return a.size() == b.size() && cv::norm(a, b, cv::NORM_INF) == 0;
    } catch (const FileError&) {
        return false;
    }
}

/** The image file an annotation names, on disk: the path as given relative to each folder (its own folder
 *  first), then its file name there; a name without extension (YOLO, VOC XML, masks) as <stem>.<image ext>. */
std::optional<fs::path> findImageFile(const Item& item, const std::string& imagesDir) {
    const fs::path named = item.annotation.imagePath;
    if (named.empty())
        return std::nullopt;
    std::vector<fs::path> dirs;
    if (!imagesDir.empty())
        dirs.emplace_back(imagesDir);
    dirs.push_back(fs::path(item.annotation.source).parent_path());
    for (const std::string& d : item.searchDirs)
        if (!d.empty())
            dirs.emplace_back(d);
    const bool stemOnly = !named.has_extension() || !isImageFile(named.string());
    for (const fs::path& d : dirs) {
        if (!stemOnly) {
            for (const fs::path& candidate : {d / named, d / named.filename()})
                if (fs::is_regular_file(candidate))
                    return fs::weakly_canonical(candidate);
            continue;
        }
        for (const char* ext : {".jpg", ".png", ".jpeg", ".bmp", ".tif", ".tiff", ".JPG", ".PNG", ".JPEG"})
            if (fs::is_regular_file(d / (named.string() + ext)))
                return fs::weakly_canonical(d / (named.string() + ext));
    }
    return std::nullopt;
}

/** The project's entries an annotation names when its image file is not at hand: the same
 *  project-relative path, else the same file name (the same stem for a name without extension). */
std::vector<std::size_t> entriesNamed(const Project& project, const fs::path& named) {
    std::vector<std::size_t> hits;
    const std::string path = named.lexically_normal().generic_string();
    for (std::size_t i = 0; i < project.images().size(); ++i)
        if (fs::path(project.images()[i].image).lexically_normal().generic_string() == path)
            return {i};
    const bool stemOnly = !named.has_extension() || !isImageFile(named.string());
    for (std::size_t i = 0; i < project.images().size(); ++i) {
        const fs::path image = project.images()[i].image;
        if (stemOnly ? image.stem() == named.filename() : image.filename() == named.filename())
            hits.push_back(i);
    }
    return hits;
}

/** An image found outside the project: the project's image of the same stem when it has the same
 *  content; a same-stem image of other content is no match (a problem); none: a new image. */
Located matchOutside(Project& project, const fs::path& file, const std::string& bytes, const std::string& source) {
    std::vector<std::size_t> sameStem, same;
    for (std::size_t i = 0; i < project.images().size(); ++i)
        if (fs::path(project.images()[i].image).stem() == file.stem()) {
            sameStem.push_back(i);
            if (sameImage(bytes, file.string(), project.absolute(project.images()[i].image)))
                same.push_back(i);
        }
    if (same.size() == 1)
        return Located{&project.images()[same[0]], file, false};
    if (same.size() > 1)
        throw FileError(source, "image \"" + file.filename().string() + "\" matches several of the project's images (" +
                                    describeEntries(project, same) + "): ambiguous, skipped");
    if (!sameStem.empty())
        throw FileError(source, "image \"" + file.string() + "\" is not the project's " + describeEntries(project, sameStem) +
                                    " (other content or name): not matched by name alone, skipped; pass --images to say where its "
                                    "images are, or import it into another project");
    return Located{nullptr, file, false};
}

/** Finds an item's image (see importInto for the rules); throws FileError with the problem. */
Located locate(Project& project, const Item& item, const std::string& imagesDir) {
    const std::string& source = item.annotation.source;
    const fs::path named = item.annotation.imagePath;
    const fs::path root = fs::weakly_canonical(project.root());
    if (const std::optional<fs::path> file = findImageFile(item, imagesDir)) {
        const fs::path rel = file->lexically_relative(root);
        if (!rel.empty() && *rel.begin() != "..") {  // inside the project: that very file
            for (ImageEntry& e : project.images())
                if (fs::path(e.image).lexically_normal() == rel)
                    return Located{&e, *file, false};
            return Located{nullptr, *file, false};
        }
        return matchOutside(project, *file, readFileBytes(file->string()), source);
    }
    if (!item.annotation.imageData.empty()) {
        Located l = matchOutside(project, named.filename().empty() ? fs::path("embedded") : named.filename(), item.annotation.imageData, source);
        l.file.clear();
        l.embedded = !l.entry;
        return l;
    }
    const std::vector<std::size_t> hits = entriesNamed(project, named);
    if (hits.size() == 1)
        return Located{&project.images()[hits[0]], {}, false};
    if (hits.size() > 1)
        throw FileError(source, "image \"" + named.string() + "\" is ambiguous: the project has " + describeEntries(project, hits) +
                                    "; skipped (pass --images to say where its images are)");
    throw FileError(source, "image \"" + named.string() + "\" not found (in the project, beside the annotation, in --images or the "
                                "format's images folders)");
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

/** A refined or reviewed mask: a person's work, changed only when the request says so. */
bool personsWork(const Project& project, const ImageEntry& e) {
    return !e.mask.empty() && (e.status == ImageStatus::Refined || e.status == ImageStatus::Reviewed) &&
           fs::exists(project.absolute(e.mask));
}

/** A mask name no other image of the project uses: masks/<stem>.png, else masks/<stem>-2.png, ... */
std::string freeName(const Project& project, const std::string& folder, const std::string& stem, const ImageEntry& self) {
    for (int k = 1;; ++k) {
        const std::string name = folder + "/" + stem + (k == 1 ? "" : "-" + std::to_string(k)) + ".png";
        bool taken = false;
        for (const ImageEntry& e : project.images())
            taken = taken || (&e != &self && (e.mask == name || e.coarse == name));
        if (!taken)
            return name;
    }
}

/** Everything one import run shares. */
struct Run {
    Project& project;
    const ImportRequest& request;
    ImportReport& report;
    LabelMap& labels;
    std::vector<std::string> yoloNames;
    MaskEncoding sourceEncoding = MaskEncoding::Index;  ///< of mask files read from the input (png, voc)
    WriteFile write;
    std::set<std::string> done;  ///< images already imported in this run
    bool newProject = false;     ///< no classes yet and no labels file: the file's class table is taken
};

/** Decides what becomes of a person's mask (see OnExisting); returns the mask to write, or an empty one
 *  to leave it as it is. */
cv::Mat resolveConflict(Run& run, const ImageEntry& entry, const std::string& source, const cv::Mat& imported) {
    cv::Mat existing;
    try {
        existing = readMask(run.project.absolute(entry.mask), run.project.maskEncoding());
    } catch (const FileError& e) {
        run.report.problems.push_back({source, entry.image + ": its " + toString(entry.status) + " mask cannot be read (" + e.problem() +
                                                   "), kept as it is"});
        return {};
    }
    if (existing.size() != imported.size()) {
        run.report.problems.push_back({source, entry.image + ": its " + toString(entry.status) + " mask is " + std::to_string(existing.cols) +
                                                   "x" + std::to_string(existing.rows) + ", not the image's size; kept as it is"});
        return {};
    }
    const auto asked = run.request.perImage.find(entry.image);
    ImportConflict c{entry.image, source, entry.status, 0, asked == run.request.perImage.end() ? run.request.onExisting : asked->second};
    cv::Mat result = imported;
    if (c.applied == OnExisting::Merge) {
        result = existing.clone();
        imported.copyTo(result, imported != 0);
    }
    c.changedPixels = cv::countNonZero(result != existing);
    if (c.changedPixels == 0)
        return {};  // nothing of the person's work would change: no conflict
    run.report.conflicts.push_back(c);
    if (c.applied != OnExisting::Keep)
        return result;
    run.report.problems.push_back({source, entry.image + " has a " + toString(entry.status) + " mask: kept (the import would change " +
                                               std::to_string(c.changedPixels) + " pixels; replace or merge applies it)"});
    return {};
}

/** Stores an imported mask and points `entry` at it. With `boxes` (a box-only annotation) it is a coarse
 *  mask: written to coarse/, the boxes to the entry's box file (refinement starts from them: the mask
 *  alone merges overlapping boxes of a class). A person's refined or reviewed mask is changed only as the
 *  request says (resolveConflict). Returns whether anything was written for the image. */
bool storeMask(Run& run, ImageEntry& entry, const std::string& source, const cv::Mat& mask, cv::Size size,
               const std::vector<DetectionBox>* boxes) {
    const std::string stem = fs::path(entry.image).stem().string();
    if (boxes) {
        const std::string boxFile = boxFileOf(entry, stem);
        if (entry.coarse.empty())
            entry.coarse = freeName(run.project, "coarse", stem, entry);
        run.write(entry.coarse, encodeMaskPng(mask));
        run.write(boxFile, writeYoloBoxes(*boxes, size));
        entry.boxes = boxFile;
    }
    cv::Mat toWrite = mask;
    if (personsWork(run.project, entry)) {
        const std::size_t conflicts = run.report.conflicts.size();
        toWrite = resolveConflict(run, entry, source, mask);
        if (toWrite.empty())  // kept (a box import still wrote the coarse mask and boxes), or already the same
            return boxes != nullptr || run.report.conflicts.size() == conflicts;
    }
    if (entry.mask.empty())
        entry.mask = freeName(run.project, "masks", stem, entry);
    run.write(entry.mask, encodeMaskPng(toWrite));
    entry.status = boxes && toWrite.data == mask.data ? ImageStatus::Coarse : ImageStatus::Refined;
    return true;
}

/** The image of a located item: its pixels, from the project, the source file or the embedded bytes. */
cv::Mat readLocated(const Project& project, const Item& item, const Located& where) {
    cv::Mat image;
    if (where.entry)
        image = readImageRgb(project.absolute(where.entry->image));
    else if (where.embedded)
        image = cv::imdecode(std::vector<uchar>(item.annotation.imageData.begin(), item.annotation.imageData.end()), cv::IMREAD_COLOR);
    else
        image = readImageRgb(where.file.string());
    if (image.empty())
        throw FileError(item.annotation.source, "embedded imageData is not an image");
    return image;
}

/** A new project entry for an image found outside the project (copied into images/) or inside it. */
ImageEntry newEntry(Run& run, const Item& item, const Located& where) {
    const std::string& source = item.annotation.source;
    ImageEntry fresh;
    const std::string stem = fs::path(item.annotation.imagePath).stem().string();
    const fs::path root = fs::weakly_canonical(run.project.root());
    const fs::path rel = where.file.empty() ? fs::path() : where.file.lexically_relative(root);
    if (where.embedded) {
        if (embeddedExtension(item.annotation.imageData).empty())
            throw FileError(source, "embedded imageData is neither PNG nor JPEG");
        fresh.image = "images/" + stem + embeddedExtension(item.annotation.imageData);
    } else if (!rel.empty() && *rel.begin() != "..") {
        fresh.image = rel.generic_string();
        return fresh;
    } else {
        fresh.image = "images/" + where.file.filename().string();
    }
    const std::string bytes = where.embedded ? item.annotation.imageData : readFileBytes(where.file.string());
    if (fs::exists(run.project.absolute(fresh.image)) && readFileBytes(run.project.absolute(fresh.image)) != bytes)
        throw FileError(source, "a different " + fresh.image + " is already in the project, skipped");
    for (const ImageEntry& e : run.project.images())
        if (e.image == fresh.image)
            throw FileError(source, fresh.image + " is already in the project, skipped");
    run.write(fresh.image, bytes);
    return fresh;
}

/** Imports one item: finds its image, rasterises its shapes and stores the mask. Throws FileError. */
void importItem(Run& run, Item& item) {
    const std::string source = item.annotation.source;
    if (fs::path(item.annotation.imagePath).stem().empty())
        throw FileError(source, "names no image");
    const Located where = locate(run.project, item, run.request.imagesDir);
    const cv::Size size = readLocated(run.project, item, where).size();
    if (!item.annotation.size.empty() && item.annotation.size != size)
        throw FileError(source, "says the image is " + std::to_string(item.annotation.size.width) + "x" +
                                    std::to_string(item.annotation.size.height) + " but " +
                                    (where.entry ? where.entry->image : item.annotation.imagePath) + " is " + std::to_string(size.width) +
                                    "x" + std::to_string(size.height) + ", skipped");
    if (!item.yoloFile.empty())
        item.annotation = parseYolo(readFileBytes(item.yoloFile), item.yoloFile, size, run.yoloNames, run.report.problems);
    ImageEntry fresh = where.entry ? ImageEntry{} : newEntry(run, item, where);
    ImageEntry* entry = where.entry ? where.entry : &fresh;
    if (!run.done.insert(entry->image).second)
        throw FileError(source, "a second annotation of image \"" + entry->image + "\", skipped");
    const std::size_t before = run.report.problems.size();
    std::vector<DetectionBox> painted;
    const cv::Mat mask = item.maskFile.empty() ? rasterize(item.annotation, size, run.labels, run.report.problems, &painted)
                                               : maskFromFile(item, run.sourceEncoding, size, run.labels, run.report.problems);
    const int usable = static_cast<int>(item.annotation.shapes.size()) - static_cast<int>(run.report.problems.size() - before);
    const bool boxes = item.annotation.boxesOnly && item.maskFile.empty();
    if (!where.entry)
        run.project.images().push_back(fresh);
    entry = where.entry ? where.entry : &run.project.images().back();
    if (!storeMask(run, *entry, source, mask, size, boxes ? &painted : nullptr))
        return;  // a person's mask kept: reported, nothing imported for it
    ++run.report.images;
    if (item.maskFile.empty()) {
        run.report.shapes += std::max(0, usable);
        if (boxes)
            run.report.boxes += std::max(0, usable);
    }
}

/** labelme's labels.txt (labelme2voc's class list, what our labelme export writes) in the input folder
 *  or beside the input file; empty when there is none, or when it does not follow labelme's convention
 *  (an optional __ignore__, then the background, then the classes): a plain list of names would make
 *  its first class the background. */
std::string labelmeLabelsBeside(const std::string& input, std::vector<Problem>& problems) {
    const fs::path dir = fs::is_directory(input) ? fs::path(input) : fs::path(input).parent_path();
    const fs::path file = dir / "labels.txt";
    if (!fs::is_regular_file(file))
        return {};
    std::vector<std::string> names = parseNames(readFileBytes(file.string()));
    if (!names.empty() && names.front() == "__ignore__")
        names.erase(names.begin());
    if (!names.empty() && (names.front() == "_background_" || names.front() == "background"))
        return file.string();
    problems.push_back({file.string(), "not used: labelme's labels.txt lists __ignore__, then _background_, then the classes; "
                                       "pass it as --labels to take its first name as the background"});
    return {};
}

/** The classes to start from: the project's, with a labels file's names (ids as listed into a new
 *  project, added by name into an existing one). */
std::vector<ClassInfo> initialClasses(const Project& project, const ImportRequest& r, ImportReport& report) {
    std::vector<ClassInfo> initial = project.classes();
    if (r.labelsFile.empty())
        return initial.empty() ? defaultClasses(1) : initial;
    const LabelMap fromFile = LabelMap::fromLabelsText(readFileBytes(r.labelsFile), r.labelsFile);
    if (initial.empty())
        return fromFile.classes();
    LabelMap adding(initial, true);
    for (const ClassInfo& c : fromFile.classes())
        adding.classOf(c.name);
    for (const std::string& n : adding.added())
        report.addedClasses.push_back(n);
    return adding.classes();
}

/** A new project (no classes of its own, no labels file) takes the file's class table with its ids; an
 *  existing one maps by name (LabelMap) and reports what it adds. */
void takeClassTable(Run& run, const std::vector<ClassInfo>& fromFile, const std::string& file) {
    if (!run.newProject || fromFile.empty())
        return;
    const std::optional<std::vector<ClassInfo>> table = classTable(fromFile);
    if (!table) {
        run.report.problems.push_back({file, "its class ids do not fit 0..254 once each: classes numbered in order of appearance"});
        return;
    }
    run.labels = LabelMap(*table, run.request.addMissingClasses);
    run.report.classesFromFile = static_cast<int>(table->size());
}

/** Reads the input into items (and, for mask formats, decides the classes and how masks store them). */
std::vector<Item> gatherItems(Run& run, std::vector<ClassInfo>& initial) {
    const ImportRequest& r = run.request;
    ImportReport& report = run.report;
    switch (r.format) {
    case Format::Labelme: return gatherLabelme(r.input, report.problems, report.files);
    case Format::Coco: {
        const fs::path f = cocoInputFile(r.input);
        ++report.files;
        std::vector<ClassInfo> categories;
        std::vector<Item> items = fromAnnotations(parseCoco(readFileBytes(f.string()), f.string(), report.problems, &categories), cocoImageDirs(f));
        takeClassTable(run, categories, f.string());
        return items;
    }
    case Format::Cvat: {
        const fs::path f = inputFile(r.input, {"annotations.xml"}, "CVAT annotations.xml");
        ++report.files;
        std::vector<ClassInfo> labels;
        std::vector<Item> items = fromAnnotations(parseCvat(readFileBytes(f.string()), f.string(), report.problems, &labels),
                                                  {f.parent_path(), f.parent_path() / "images", f.parent_path() / "JPEGImages"});
        takeClassTable(run, labels, f.string());
        return items;
    }
    case Format::Yolo: {
        std::vector<Item> items = gatherYolo(r, run.yoloNames, report.files);
        for (const std::string& n : run.yoloNames)  // classes.txt order gives the ids of new classes
            run.labels.classOf(n);
        return items;
    }
    case Format::Png:
    case Format::Voc: break;
    }
    std::vector<Item> items = gatherMasksAndBoxes(r, report.problems, report.files);
    // How the source stores classes (0/255 binary, index, palette) is decided once for all its masks,
    // never per file.
    std::vector<std::string> maskFiles;
    for (const Item& i : items)
        if (!i.maskFile.empty())
            maskFiles.push_back(i.maskFile);
    run.sourceEncoding = decideMaskEncoding(maskFiles, initial.size() > 1 ? static_cast<int>(initial.size()) : 0);
    inferMaskClasses(items, r, run.sourceEncoding, run.labels, initial);
    return items;
}

} // namespace

std::string toString(OnExisting e) {
    switch (e) {
    case OnExisting::Keep: return "keep";
    case OnExisting::Replace: return "replace";
    case OnExisting::Merge: return "merge";
    }
    return "?";
}

int keptMaskCount(const ImportReport& report) {
    return static_cast<int>(std::count_if(report.conflicts.begin(), report.conflicts.end(),
                                          [](const ImportConflict& c) { return c.applied == OnExisting::Keep; }));
}

ImportReport importInto(Project& project, const ImportRequest& request) {
    if (!fs::exists(request.input))
        throw FileError(request.input, "no such file or folder");
    if (!request.imagesDir.empty() && !fs::is_directory(request.imagesDir))
        throw FileError(request.imagesDir, "no such folder (--images)");
    ImportRequest r = request;
    ImportReport report;
    if (r.format == Format::Labelme && r.labelsFile.empty() && project.classes().empty())
        r.labelsFile = labelmeLabelsBeside(r.input, report.problems);
    std::vector<ClassInfo> initial = initialClasses(project, r, report);
    if (project.classes().empty() && !r.labelsFile.empty())
        report.classesFromFile = static_cast<int>(initial.size());
    LabelMap labels(initial, r.addMissingClasses);
    Run run{project, r, report, labels, {}, MaskEncoding::Index, {}, {}, project.classes().empty() && r.labelsFile.empty()};
    run.write = [&](const std::string& relative, const std::string& bytes) {
        report.written.push_back(relative);
        if (r.dryRun)
            return;
        makeDirs(fs::path(project.absolute(relative)).parent_path().string());
        writeFileAtomic(project.absolute(relative), bytes);
    };
    // Entries are appended while pointers into images() are held: room for every item first.
    std::vector<Item> items = gatherItems(run, initial);
    project.images().reserve(project.images().size() + items.size());
    const int total = static_cast<int>(items.size());
    for (int i = 0; i < total; ++i) {
        if (r.cancel && r.cancel->load()) {
            report.cancelled = true;
            break;
        }
        try {
            importItem(run, items[static_cast<std::size_t>(i)]);
        } catch (const FileError& e) {
            report.problems.push_back({e.file(), e.problem()});
        }
        if (r.progress)
            r.progress(i + 1, total);
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
    ImportReport report = importInto(project, request);
    if (!request.dryRun && report.images > 0) {
        project.save();
        report.written.push_back(Project::kFileName);
    }
    return report;
}

} // namespace mf::formats
