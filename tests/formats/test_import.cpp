#include "formats/formatimport.h"

#include "edit/boximport.h"
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "sample/samplegenerator.h"
#include "../testutil.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;
using namespace mf;
using namespace mf::formats;

namespace {

const fs::path kLabelme = fs::path(MF_SHARED_DIR) / "datasets/labelme-examples";
const fs::path kNeu = fs::path(MF_SHARED_DIR) / "datasets/neu-det-subset";

ImportRequest req(Format format, const std::string& input, const std::string& labels = {}) {
    ImportRequest r;
    r.format = format;
    r.input = input;
    r.labelsFile = labels;
    return r;
}

double agreement(const cv::Mat& a, const cv::Mat& b) {
    return 1.0 - static_cast<double>(cv::countNonZero(a != b)) / static_cast<double>(a.total());
}

cv::Mat projectMask(const Project& p, const std::string& stem) {
    for (const ImageEntry& e : p.images())
        if (fs::path(e.image).stem() == stem)
            return readMask(p.absolute(e.mask), MaskEncoding::Index);
    ADD_FAILURE() << "no image " << stem;
    return {};
}

std::string describe(const ImportReport& r) {
    std::string s;
    for (const Problem& p : r.problems)
        s += p.file + ": " + p.message + "\n";
    return s;
}

} // namespace

// The issue's bar: masks from labelme's JSON agree with labelme's own masks on >= 99.5 % of pixels.
TEST(LabelmeImport, RealExamplesMatchLabelmesOwnMasks) {
    if (!fs::exists(kLabelme))
        GTEST_SKIP() << "labelme examples not present under " << kLabelme;
    test::TempDir dir;
    ImportRequest r = req(Format::Labelme, (kLabelme / "images").string(), (kLabelme / "labels.txt").string());
    const ImportReport report = importAnnotations(dir / "p", r);
    EXPECT_EQ(report.images, 3) << describe(report);
    EXPECT_TRUE(report.problems.empty()) << describe(report);
    const Project p = Project::load(dir / "p");
    EXPECT_EQ(p.classCount(), 21);
    for (const char* stem : {"2011_000003", "2011_000006", "2011_000025"}) {
        const cv::Mat ref = readMask((kLabelme / "masks" / (std::string(stem) + ".png")).string(), MaskEncoding::Index);
        const double a = agreement(projectMask(p, stem), ref);
        EXPECT_GE(a, 0.995) << stem;
        RecordProperty(stem, std::to_string(a));
        std::cout << stem << ": " << a * 100 << " % of pixels agree with labelme's mask\n";
    }
}

TEST(LabelmeImport, EmbeddedImageDataTutorial) {
    if (!fs::exists(kLabelme / "tutorial"))
        GTEST_SKIP() << "labelme tutorial example not present";
    test::TempDir dir;
    // Only the JSON, in a folder of its own: the image must come from imageData.
    fs::create_directories(dir.path() / "in");
    fs::copy_file(kLabelme / "tutorial/apc2016_obj3.json", dir.path() / "in/apc2016_obj3.json");
    ImportRequest r = req(Format::Labelme, dir / "in", (kLabelme / "tutorial/apc2016_obj3_label_names.txt").string());
    const ImportReport report = importAnnotations(dir / "p", r);
    ASSERT_EQ(report.images, 1) << describe(report);
    const Project p = Project::load(dir / "p");
    ASSERT_EQ(p.images().size(), 1u);
    EXPECT_TRUE(fs::exists(p.absolute(p.images()[0].image)));
    const cv::Mat ref = readMask((kLabelme / "tutorial/apc2016_obj3_label.png").string(), MaskEncoding::Index);
    const double a = agreement(projectMask(p, "apc2016_obj3"), ref);
    std::cout << "apc2016_obj3: " << a * 100 << " % of pixels agree with labelme's label.png\n";
    EXPECT_GE(a, 0.995);
}

TEST(CocoImport, LabelmesCocoExportAgreesWithItsSemanticMasks) {
    if (!fs::exists(kLabelme / "coco"))
        GTEST_SKIP() << "labelme COCO example not present";
    test::TempDir dir;
    ImportRequest r = req(Format::Coco, (kLabelme / "coco/annotations.json").string(), (kLabelme / "labels.txt").string());
    const ImportReport report = importAnnotations(dir / "p", r);
    EXPECT_EQ(report.images, 3) << describe(report);
    EXPECT_EQ(report.shapes, 16);  // 12 annotations, some of several polygons
    const Project p = Project::load(dir / "p");
    for (const char* stem : {"2011_000003", "2011_000006", "2011_000025"}) {
        // The instance example has no __ignore__ polygons: compare where labelme's semantic mask is not 255.
        const cv::Mat ref = readMask((kLabelme / "masks" / (std::string(stem) + ".png")).string(), MaskEncoding::Index);
        const cv::Mat mine = projectMask(p, stem);
        const cv::Mat cared = ref != 255;
        const double a = 1.0 - static_cast<double>(cv::countNonZero((mine != ref) & cared)) / cv::countNonZero(cared);
        std::cout << stem << ": COCO import agrees with the semantic mask on " << a * 100 << " % of non-ignored pixels\n";
        EXPECT_GE(a, 0.98) << stem;
    }
}

TEST(VocImport, NeuDetBoxesBecomeCoarseMasksWithClassesByName) {
    if (!fs::exists(kNeu))
        GTEST_SKIP() << "NEU-DET subset not present under " << kNeu;
    test::TempDir dir;
    ImportRequest r = req(Format::Voc, kNeu.string());
    const ImportReport report = importAnnotations(dir / "p", r);
    EXPECT_EQ(report.files, 120);
    EXPECT_EQ(report.images, 120) << describe(report);
    EXPECT_EQ(report.boxes, 262);
    EXPECT_EQ(report.addedClasses.size(), 6u);
    const Project p = Project::load(dir / "p");
    EXPECT_EQ(p.classCount(), 7);
    // Refinement works on the boxes of the XMLs, kept in box files: the coarse masks alone merge
    // NEU-DET's many overlapping boxes of a class.
    std::size_t kept = 0, fromMasks = 0;
    for (const ImageEntry& e : p.images()) {
        EXPECT_EQ(e.status, ImageStatus::Coarse);
        EXPECT_TRUE(fs::exists(p.absolute(e.coarse)));
        EXPECT_TRUE(fs::exists(p.absolute(e.boxes))) << e.image;
        const cv::Mat coarse = readMask(p.absolute(e.coarse), MaskEncoding::Index);
        kept += imageBoxes(p, e, coarse).size();
        fromMasks += boxesFromMask(coarse).size();
    }
    std::cout << "NEU-DET: " << kept << " boxes kept for refinement; the coarse masks alone give " << fromMasks << "\n";
    EXPECT_EQ(kept, 262u);
}

TEST(Import, ReportsEachProblemPerFileAndGoesOn) {
    test::TempDir dir;
    fs::create_directories(dir.path() / "in");
    cv::Mat img(20, 30, CV_8UC3, cv::Scalar(10, 20, 30));
    writeImageAtomic(dir / "in/a.png", img);
    writeImageAtomic(dir / "in/b.png", img);
    writeFileAtomic(dir / "in/a.json", R"({"shapes":[{"label":"cat","points":[[1,1],[9,1],[9,9]],"shape_type":"polygon"},
        {"label":"zebra","points":[[1,1],[9,1],[9,9]]},{"label":"cat","points":[[100,100],[120,100],[110,130]]}],"imagePath":"a.png"})");
    writeFileAtomic(dir / "in/b.json", R"({"shapes":[],"imagePath":"b.png","imageHeight":99,"imageWidth":30})");
    writeFileAtomic(dir / "in/c.json", R"({"shapes":[],"imagePath":"missing.png"})");
    writeFileAtomic(dir / "in/d.json", R"({"shapes":)");
    writeFileAtomic(dir / "labels.txt", "__ignore__\n_background_\ncat\n");
    ImportRequest r = req(Format::Labelme, dir / "in", dir / "labels.txt");
    r.addMissingClasses = false;
    const ImportReport report = importAnnotations(dir / "p", r);
    EXPECT_EQ(report.files, 4);
    EXPECT_EQ(report.images, 1);
    ASSERT_EQ(report.problems.size(), 5u) << describe(report);
    const auto mentions = [&](const std::string& file, const std::string& word) {
        for (const Problem& p : report.problems)
            if (p.file.find(file) != std::string::npos && p.message.find(word) != std::string::npos)
                return true;
        return false;
    };
    EXPECT_TRUE(mentions("a.json", "zebra"));
    EXPECT_TRUE(mentions("a.json", "outside"));
    EXPECT_TRUE(mentions("b.json", "30x99"));
    EXPECT_TRUE(mentions("c.json", "not found"));
    EXPECT_TRUE(mentions("d.json", "JSON"));
    const Project p = Project::load(dir / "p");
    EXPECT_EQ(p.classCount(), 2);
    EXPECT_EQ(cv::countNonZero(projectMask(p, "a") == 1), 45);
}

TEST(Import, DryRunWritesNothingAndListsWhatItWould) {
    test::TempDir dir;
    makeSampleProject({dir / "s", 3, 3, 48});
    ImportRequest r = req(Format::Png, dir / "s");
    r.dryRun = true;
    const ImportReport report = importAnnotations(dir / "p", r);
    EXPECT_EQ(report.images, 3);
    EXPECT_EQ(report.written.size(), 6u);  // 3 images, 3 masks
    EXPECT_FALSE(fs::exists(dir / "p"));
    // Into an existing project: it stays byte for byte as it was.
    const std::string before = readFileBytes(dir / "s/maskforge.json");
    ImportRequest again = req(Format::Png, dir / "s");
    again.dryRun = true;
    importAnnotations(dir / "s", again);
    EXPECT_EQ(readFileBytes(dir / "s/maskforge.json"), before);
}

namespace {

struct RoundTrip {
    Format format;
    bool variant;  ///< COCO: RLE instead of polygons; labelme: images embedded as imageData
    double minAgreement;  ///< 1.0: lossless
};

void PrintTo(const RoundTrip& t, std::ostream* os) { *os << toString(t.format) << (t.variant ? "+variant" : ""); }

class FormatRoundTrip : public testing::TestWithParam<RoundTrip> {};

} // namespace

// Export then import gives the same masks: pixel for pixel for the lossless formats; for the polygon
// formats (outer boundaries only, holes lost) at least `minAgreement` of the pixels of each image.
TEST_P(FormatRoundTrip, ExportThenImportGivesTheSameMasks) {
    const RoundTrip t = GetParam();
    test::TempDir dir;
    makeSampleProject({dir / "s", 7, 6, 96});
    const Project source = Project::load(dir / "s");
    ExportRequest e;
    e.format = t.format;
    e.outDir = dir / "out";
    e.cocoRle = t.variant && t.format == Format::Coco;
    e.embedImages = t.variant && t.format == Format::Labelme;
    const ExportReport exported = exportProject(source, e);
    ASSERT_EQ(exported.images, 6);
    ASSERT_TRUE(exported.problems.empty());
    ImportRequest r = req(t.format, t.format == Format::Coco ? dir / "out/annotations.json" : dir / "out");
    if (t.format != Format::Yolo)
        r.labelsFile = dir / "out/labels.txt";
    else
        r.labelsFile.clear();
    const ImportReport imported = importAnnotations(dir / "p", r);
    ASSERT_EQ(imported.images, 6) << describe(imported);
    EXPECT_TRUE(imported.problems.empty()) << describe(imported);
    const Project back = Project::load(dir / "p");
    double worst = 1.0;
    for (const ImageEntry& entry : source.images()) {
        cv::Mat original = readMask(source.absolute(entry.mask), MaskEncoding::Index);
        cv::Mat mine = projectMask(back, fs::path(entry.image).stem().string());
        if (t.format == Format::Yolo) {  // classes came back by name from classes.txt: map ids by name
            cv::Mat byName = cv::Mat::zeros(mine.size(), CV_8UC1);
            for (const ClassInfo& c : back.classes())
                for (const ClassInfo& o : source.classes())
                    if (o.name == c.name)
                        byName.setTo(o.id, mine == c.id);
            mine = byName;
        }
        const double a = agreement(original, mine);
        worst = std::min(worst, a);
        if (t.minAgreement >= 1.0)
            EXPECT_EQ(cv::countNonZero(original != mine), 0) << entry.image;
        else
            EXPECT_GE(a, t.minAgreement) << entry.image;
    }
    std::cout << toString(t.format) << (t.variant ? " (variant)" : "") << ": worst image agrees on " << worst * 100 << " % of pixels\n";
}

INSTANTIATE_TEST_SUITE_P(Formats, FormatRoundTrip,
                         testing::Values(RoundTrip{Format::Png, false, 1.0}, RoundTrip{Format::Voc, false, 1.0},
                                         RoundTrip{Format::Cvat, false, 1.0}, RoundTrip{Format::Coco, true, 1.0},
                                         RoundTrip{Format::Coco, false, 0.995}, RoundTrip{Format::Labelme, false, 0.995}, RoundTrip{Format::Labelme, true, 0.995},
                                         RoundTrip{Format::Yolo, false, 0.995}),
                         [](const testing::TestParamInfo<RoundTrip>& i) {
                             return toString(i.param.format) + (!i.param.variant ? "" : i.param.format == Format::Coco ? "Rle" : "Embedded");
                         });

#ifdef MF_CLI_PATH
namespace {
int cli(const std::string& args, const std::string& log) {
    return std::system((std::string(MF_CLI_PATH) + " " + args + " > " + log + " 2>&1").c_str());
}
} // namespace

TEST(FormatsCli, ExportImportDryRunClasses) {
    test::TempDir dir;
    const std::string log = dir / "log.txt";
    makeSampleProject({dir / "s", 1, 5, 64});
    ASSERT_EQ(cli("export --format yolo --project " + (dir / "s") + " --out " + (dir / "y"), log), 0) << readFileBytes(log);
    EXPECT_TRUE(fs::exists(dir / "y/classes.txt"));
    ASSERT_EQ(cli("import --format yolo --input " + (dir / "y") + " --out " + (dir / "p") + " --dry-run", log), 0) << readFileBytes(log);
    EXPECT_NE(readFileBytes(log).find("would write"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir / "p"));
    ASSERT_EQ(cli("import --format yolo --input " + (dir / "y") + " --out " + (dir / "p"), log), 0) << readFileBytes(log);
    EXPECT_EQ(Project::load(dir / "p").images().size(), 5u);
    EXPECT_EQ(cli("classes --project " + (dir / "p") + " --merge hole=crack", log), 0) << readFileBytes(log);
    EXPECT_EQ(Project::load(dir / "p").classCount(), 4);
    EXPECT_NE(cli("import --format yolo --input " + (dir / "nothing") + " --out " + (dir / "q"), log), 0);
    EXPECT_NE(readFileBytes(log).find("nothing"), std::string::npos);
    // Issue 20: exporting into the earlier export's folder is refused unless --overwrite; --strict refuses a
    // lossy export; re-importing over the project's own reviewed masks keeps them unless --replace.
    EXPECT_NE(cli("export --format yolo --project " + (dir / "s") + " --out " + (dir / "y"), log), 0);
    EXPECT_NE(readFileBytes(log).find("not empty"), std::string::npos) << readFileBytes(log);
    EXPECT_EQ(cli("export --format yolo --project " + (dir / "s") + " --out " + (dir / "y") + " --overwrite", log), 0) << readFileBytes(log);
    cv::Mat ignore = readMask(dir / "s/masks/" + fs::path(Project::load(dir / "s").images()[0].mask).filename().string(), MaskEncoding::Index);
    ignore.row(0).setTo(255);
    writeMaskAtomic(dir / "s/masks/" + fs::path(Project::load(dir / "s").images()[0].mask).filename().string(), ignore);
    EXPECT_NE(cli("export --format coco --strict --project " + (dir / "s") + " --out " + (dir / "c"), log), 0);
    EXPECT_NE(readFileBytes(log).find("ignore"), std::string::npos) << readFileBytes(log);
    EXPECT_FALSE(fs::exists(dir / "c"));
    ASSERT_EQ(cli("export --format labelme --project " + (dir / "p") + " --out " + (dir / "lm"), log), 0) << readFileBytes(log);
    for (const auto& f : fs::directory_iterator(dir / "lm"))  // every shape gone: an import that would empty the masks
        if (isImageFile(f.path().string()))
            writeFileAtomic((dir.path() / "lm" / f.path().stem()).string() + ".json",
                            R"({"shapes": [], "imagePath": ")" + f.path().filename().string() + "\"}");
    Project reviewed = Project::load(dir / "p");
    for (ImageEntry& e : reviewed.images())
        e.status = ImageStatus::Reviewed;
    reviewed.save();
    const cv::Mat before = readMask(reviewed.absolute(reviewed.images()[0].mask), MaskEncoding::Index);
    ASSERT_GT(cv::countNonZero(before), 0);
    EXPECT_NE(cli("import --format labelme --input " + (dir / "lm") + " --out " + (dir / "p"), log), 0);  // nothing applied
    EXPECT_NE(readFileBytes(log).find("kept"), std::string::npos) << readFileBytes(log);
    EXPECT_EQ(cv::countNonZero(readMask(reviewed.absolute(reviewed.images()[0].mask), MaskEncoding::Index) != before), 0);
    EXPECT_EQ(cli("import --format labelme --input " + (dir / "lm") + " --out " + (dir / "p") + " --replace", log), 0) << readFileBytes(log);
    EXPECT_EQ(cv::countNonZero(readMask(reviewed.absolute(reviewed.images()[0].mask), MaskEncoding::Index)), 0);
    // Without --format the old images/ + masks/ import still works.
    EXPECT_EQ(cli("import --allow-problems " + (dir / "y"), log), 0) << readFileBytes(log);  // labels only: no masks yet
    EXPECT_TRUE(fs::exists(dir / "y/maskforge.json"));
}
#endif
