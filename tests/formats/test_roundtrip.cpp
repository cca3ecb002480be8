// Issue 20: the round-trip property over all six formats. Random masks with holes, nested regions of
// other classes, touching objects, 1-px lines, single pixels and ignore bands, on images with non-ASCII
// names: export then import gives the same pixels except what the export announced, and the announced
// loss equals the measured one, pixel for pixel. Small masks, a fixed seed, a bounded number of cases.
#include "formats/formatimport.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "../testutil.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace mf;
using namespace mf::formats;

namespace {

cv::Mat randomMask(cv::RNG& rng, cv::Size size) {
    cv::Mat m = cv::Mat::zeros(size, CV_8UC1);
    const auto colour = [&] { return rng.uniform(1, 4); };
    const auto point = [&] { return cv::Point(rng.uniform(0, size.width), rng.uniform(0, size.height)); };
    for (int i = rng.uniform(1, 4); i-- > 0;) {  // blobs, some with a hole holding another class
        const cv::Point c = point();
        const int r = rng.uniform(4, 12);
        cv::circle(m, c, r, colour(), cv::FILLED);
        if (rng.uniform(0, 2)) {
            cv::circle(m, c, r / 2, 0, cv::FILLED);
            if (rng.uniform(0, 2))
                cv::rectangle(m, cv::Rect(c.x - 1, c.y - 1, 2, 2), colour(), cv::FILLED);
        }
    }
    const cv::Point a = point();
    cv::rectangle(m, cv::Rect(a.x, a.y, 6, 5), 1, cv::FILLED);  // two touching objects of other classes
    cv::rectangle(m, cv::Rect(a.x + 6, a.y, 5, 5), 2, cv::FILLED);
    cv::line(m, point(), point(), colour(), 1, 4);  // a 1-px line
    for (int i = 0; i < 3; ++i)
        m.at<uchar>(point()) = static_cast<uchar>(colour());  // single pixels
    if (rng.uniform(0, 2))
        cv::line(m, point(), point(), 255, 2);  // an ignore band
    return m;
}

struct Case {
    Format format;
    bool variant;  ///< COCO: RLE; labelme: embedded images
};

void PrintTo(const Case& c, std::ostream* os) { *os << toString(c.format) << (c.variant ? "+variant" : ""); }

class RoundTripProperty : public testing::TestWithParam<Case> {};

} // namespace

TEST_P(RoundTripProperty, ExportImportLosesExactlyWhatItAnnounced) {
    const Case c = GetParam();
    test::TempDir dir;
    Project source((dir.path() / "p").string());
    source.classes() = {{0, "background", {}}, {1, "ひび", {}}, {2, "deposit", {}}, {3, "hole", {}}};
    fs::create_directories(dir.path() / "p/images");
    fs::create_directories(dir.path() / "p/masks");
    cv::RNG rng(20);
    std::vector<cv::Mat> masks;
    for (int i = 0; i < 6; ++i) {
        const std::string stem = "画像_" + std::to_string(i);
        masks.push_back(randomMask(rng, {40 + 3 * i, 32}));
        cv::Mat image(masks.back().size(), CV_8UC3);
        rng.fill(image, cv::RNG::UNIFORM, 0, 255);
        writeImageAtomic(dir / ("p/images/" + stem + ".png"), image);
        writeMaskAtomic(dir / ("p/masks/" + stem + ".png"), masks.back());
        ImageEntry e;
        e.image = "images/" + stem + ".png";
        e.mask = "masks/" + stem + ".png";
        e.status = ImageStatus::Reviewed;
        source.images().push_back(e);
    }
    source.save();

    ExportRequest e;
    e.format = c.format;
    e.outDir = dir / "out";
    e.cocoRle = c.variant && c.format == Format::Coco;
    e.embedImages = c.variant && c.format == Format::Labelme;
    const ExportReport exported = exportProject(source, e);
    ASSERT_EQ(exported.images, 6);
    long long announced = 0;
    for (const ExportLoss& l : exported.losses) {
        announced += l.pixels;
        std::cout << toString(c.format) << ": announced " << l.pixels << " " << l.what << " in " << l.images << " image(s)\n";
    }

    ImportRequest r;
    r.format = c.format;
    r.input = c.format == Format::Coco ? dir / "out/annotations.json" : dir / "out";
    if (c.format == Format::Labelme || c.format == Format::Png || c.format == Format::Voc)
        r.labelsFile = dir / "out/labels.txt";
    const ImportReport imported = importAnnotations(dir / "back", r);
    ASSERT_EQ(imported.images, 6);
    const Project back = Project::load(dir / "back");
    for (const ClassInfo& k : source.classes())
        ASSERT_EQ(back.findClass(k.id) ? back.findClass(k.id)->name : "", k.name) << "class ids survive";
    long long measured = 0, ignoreLost = 0;
    for (std::size_t i = 0; i < masks.size(); ++i) {
        const ImageEntry* entry = nullptr;
        for (const ImageEntry& b : back.images())
            if (fs::path(b.image).stem() == fs::path(source.images()[i].image).stem())
                entry = &b;
        ASSERT_TRUE(entry) << source.images()[i].image;
        const cv::Mat got = readMask(back.absolute(entry->mask), MaskEncoding::Index);
        measured += cv::countNonZero(got != masks[i]);
        ignoreLost += cv::countNonZero((got != masks[i]) & (masks[i] == 255));
    }
    std::cout << toString(c.format) << (c.variant ? " (variant)" : "") << ": measured loss " << measured << " px, announced " << announced
              << "\n";
    EXPECT_EQ(measured, announced);
    // What each format loses at most: PNG and VOC nothing; COCO and CVAT only ignore; labelme nothing of
    // holes or nesting; YOLO holes and ignore.
    if (c.format == Format::Png || c.format == Format::Voc || c.format == Format::Labelme) {
        EXPECT_EQ(ignoreLost, 0);
    }
    if (c.format == Format::Png || c.format == Format::Voc || c.format == Format::Coco || c.format == Format::Cvat) {
        EXPECT_EQ(measured, ignoreLost);
    }
    for (const ExportLoss& l : exported.losses) {
        if (c.format == Format::Labelme) {
            EXPECT_EQ(l.what.find("holes"), std::string::npos) << l.what;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(AllFormats, RoundTripProperty,
                         testing::Values(Case{Format::Png, false}, Case{Format::Voc, false}, Case{Format::Labelme, false},
                                         Case{Format::Labelme, true}, Case{Format::Coco, false}, Case{Format::Coco, true},
                                         Case{Format::Yolo, false}, Case{Format::Cvat, false}),
                         [](const testing::TestParamInfo<Case>& i) {
                             return toString(i.param.format) + (!i.param.variant ? "" : i.param.format == Format::Coco ? "Rle" : "Embedded");
                         });
