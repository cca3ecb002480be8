#pragma once
#include "formats/annotation.h"

#include <atomic>
#include <functional>
#include <map>
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

/** What an import does to an image whose mask is a person's work (status refined or reviewed). */
enum class OnExisting {
    Keep,     ///< the mask stays; the import of that image is reported, not applied (the default)
    Replace,  ///< the imported mask replaces it
    Merge,    ///< the imported labels are painted over it; its pixels stay where the import has background
};
std::string toString(OnExisting e);

/** What to import from where. */
struct ImportRequest {
    Format format = Format::Png;
    std::string input;       ///< file or folder, as the format expects (see README's formats table)
    std::string labelsFile;  ///< labelme labels.txt convention; empty: classes from the project or added by name
    std::string imagesDir;   ///< where the images are, searched first (--images); empty: beside the annotations and
                             ///< the format's standard layouts (COCO images/<split>/, <split>2017/; CVAT and YOLO images/)
    bool dryRun = false;     ///< read and rasterise everything, write nothing
    bool addMissingClasses = true;  ///< unknown class names become new classes (reported); else shapes skipped
    /** For refined or reviewed masks the import would change; `perImage` (project-relative image path, as
     *  the import dialog's preview lists them in ImportReport::conflicts) overrides it for one image. */
    OnExisting onExisting = OnExisting::Keep;
    std::map<std::string, OnExisting> perImage;
    /** Read before each image: once true the import stops there (ImportReport::cancelled). Every image
     *  imported before is whole, so saving the project then leaves masks and maskforge.json agreeing. */
    const std::atomic<bool>* cancel = nullptr;
    /** Called after each image with (images handled, images in the input), on the importing thread. */
    std::function<void(int, int)> progress;
};

/** An image whose refined or reviewed mask the import would change, and what was done with it. */
struct ImportConflict {
    std::string image;   ///< project-relative image path
    std::string source;  ///< the annotation file
    ImageStatus status = ImageStatus::Refined;
    int changedPixels = 0;  ///< pixels the imported mask would change (replace)
    OnExisting applied = OnExisting::Keep;
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
    std::vector<ImportConflict> conflicts;  ///< person's masks the import met (kept ones are also problems)
    int classesFromFile = 0;  ///< classes taken with their ids from the file (COCO categories) into a new project
    bool cancelled = false;   ///< stopped by ImportRequest::cancel before every image was handled
};

/** The person's masks the import kept as they were (conflicts applied as Keep; each is also in problems,
 *  naming its image): summaries count them apart from the problems. */
int keptMaskCount(const ImportReport& report);

/** Imports into `project` (in memory; its root is where files go). Each annotated image is matched by the
 *  annotation's own path: the image file it names (beside the annotation, in imagesDir or the format's
 *  standard layout) is the project's image when it lies in the project or has the same content as the
 *  project's image of that name; an image of the project's with the same stem but other content is a
 *  problem, never a match. When no file is found, the project's one image of that file name (that stem
 *  for the stem-only formats YOLO, VOC XML, PNG masks) is it; two are an ambiguous problem. A size the
 *  file states that differs from the image's is a problem. New images are copied into `images/`. The
 *  class-index mask is written to the entry's mask (`masks/<stem>.png` when it has none); box-only
 *  annotations also to `coarse/<stem>.png`, status coarse, and their boxes to the entry's box file
 *  (`boxes/<stem>.txt` when it has none). A refined or reviewed mask is changed only as `onExisting` /
 *  `perImage` say: by default it is kept and the image is reported (conflicts and problems); an import
 *  that changes no pixel of it is no conflict. Missing folders are made. Never writes a value that is not a class: unknown names are added to project.classes() (when
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
    bool cocoRle = false;  ///< COCO: RLE masks instead of polygons
    bool embedImages = false;  ///< labelme: the image inside each JSON (imageData) instead of beside it
    bool strict = false;       ///< refuse (write nothing) when the format cannot carry all of the masks
    bool includeCoarse = false;  ///< also export coarse box fills (status coarse) as if they were segmentations
    bool overwrite = false;    ///< replace an earlier export in a non-empty outDir (else refused)
};

/** What a format cannot carry of the masks, counted before anything is written. */
struct ExportLoss {
    std::string what;     ///< e.g. "ignore (255) pixels", "background holes inside regions"
    long long pixels = 0;
    int images = 0;
};

struct ExportReport {
    int images = 0;
    int shapes = 0;
    int coarseSkipped = 0;  ///< images left out because their mask is a coarse box fill (includeCoarse off)
    std::vector<std::string> written;  ///< files written under outDir
    std::vector<Problem> problems;     ///< images skipped (no mask, unreadable)
    std::vector<ExportLoss> losses;    ///< measured by reading the written annotations back with the importer's readers
};

/** Writes the project's masks in `format` under `outDir`, with copies of the images; see docs/formats.md
 *  for the layout and what each format keeps. Images without a mask, and coarse box fills unless
 *  includeCoarse, are left out. Everything is made in memory first and read back with the importer's
 *  own readers: what the format cannot carry is counted in `losses` (announced pixel for pixel: a
 *  re-import loses exactly that). With `strict` and any loss, throws FileError and writes nothing. The
 *  files go to a fresh folder that replaces outDir only when everything is written; a non-empty outDir
 *  is refused unless `overwrite` (and then only an earlier MaskForge export, marked by .maskforge-export,
 *  or an empty folder is replaced). */
ExportReport exportProject(const Project& project, const ExportRequest& request);
/** exportProject without writing: the report of what it would write and lose. */
ExportReport planExport(const Project& project, const ExportRequest& request);

} // namespace mf::formats
