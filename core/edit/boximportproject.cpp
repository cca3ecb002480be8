#include "edit/boximport.h"

#include "formats/formatimport.h"

namespace mf {

BoxImportReport importBoxes(Project& project, const std::string& path, bool addMissingClasses) {
    formats::ImportRequest request;
    request.format = formats::guessBoxFormat(path);
    request.input = path;
    request.addMissingClasses = addMissingClasses;
    const formats::ImportReport r = formats::importInto(project, request);
    BoxImportReport report;
    report.images = r.images;
    report.boxes = r.shapes;
    report.addedClasses = r.addedClasses;
    report.problems = r.problems;
    return report;
}

} // namespace mf
