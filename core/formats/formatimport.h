#pragma once
#include "formats/annotation.h"

#include <optional>
#include <string>
#include <vector>

namespace mf::formats {

/** The annotation formats MaskForge imports and exports. */
enum class Format { Png, Voc, Labelme, Coco, Yolo, Cvat };
std::optional<Format> parseFormat(const std::string& name);
std::string toString(Format f);
/** The format of a box file or folder as the old box import took it: a .json is COCO, a folder or file
 *  of .xml is VOC, else YOLO. */
Format guessBoxFormat(const std::string& path);

/** What to import from where. */
struct ImportRequest {
    Format format = Format::Png;
    std::string input;       ///< file or folder, as the format expects (see README's formats table)
    std::string labelsFile;  ///< labelme labels.txt convention; empty: classes from the project or added by name
    bool dryRun = false;     ///< read and rasterise everything, write nothing
    bool addMissingClasses = true;  ///< unknown class names become new classes (reported); else shapes skipped
};

/** What an import did (or, in a dry run, would do). */
struct ImportReport {
    int files = 0;    ///< annotation files read
    int images = 0;   ///< images that received a mask
    int shapes = 0;   ///< shapes (polygons, boxes, masks) painted
    int boxes = 0;    ///< of which detection boxes
    std::vector<std::string> addedClasses;
    std::vector<std::string> written;  ///< project-relative files written (or that would be)
    std::vector<Problem> problems;     ///< per file: what could not be used, and why
};

/** Imports into `project` (in memory; its root is where files go): each annotated image is found among
 *  the project's images by file stem, else copied into `images/`; its class-index mask is written to
 *  `masks/<stem>.png` (box-only annotations also to `coarse/<stem>.png`, status coarse, and their boxes
 *  to the entry's box file, `boxes/<stem>.txt` when it has none; an image that already has a refined or
 *  reviewed mask keeps it and only gets the coarse mask and boxes). Missing folders are
 *  made. Never writes a value that is not a class: unknown names are added to project.classes() (when
 *  allowed; reported in addedClasses) or their shapes skipped. Does not save maskforge.json (the caller
 *  does, after this returns). Throws FileError only when the input as a whole is unusable. */
ImportReport importInto(Project& project, const ImportRequest& request);

/** importInto a project folder `projectDir` (made when missing; loaded when it has maskforge.json),
 *  then saves maskforge.json, after every mask is written. A dry run writes nothing. */
ImportReport importAnnotations(const std::string& projectDir, const ImportRequest& request);

/** What to export. */
struct ExportRequest {
    Format format = Format::Png;
    std::string outDir;
    bool cocoRle = false;  ///< COCO: RLE masks (lossless) instead of polygons
    bool embedImages = false;  ///< labelme: the image inside each JSON (imageData) instead of beside it
};

struct ExportReport {
    int images = 0;
    int shapes = 0;
    std::vector<std::string> written;  ///< files written under outDir
    std::vector<Problem> problems;     ///< images skipped (no mask, unreadable)
};

/** Writes the project's masks (images with a mask) in `format` under `outDir`, with copies of the
 *  images; see the README's formats table for the layout and what each format keeps. */
ExportReport exportProject(const Project& project, const ExportRequest& request);

} // namespace mf::formats
