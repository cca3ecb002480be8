#include "formats/readers.h"

#include <gtest/gtest.h>

#include <clocale>
#include <opencv2/imgproc.hpp>

using namespace mf;
using namespace mf::formats;

namespace {
int count(const cv::Mat& m, int v) { return cv::countNonZero(m == v); }
} // namespace

// Reference rasterisations made with PIL 9.4 (ImageDraw.polygon(xy, outline=1, fill=1)), Debian 12's Pillow.
TEST(Rasterize, PolygonMatchesPilOnHandCases) {
    cv::Mat m = cv::Mat::zeros(10, 10, CV_8UC1);
    fillPolygonPil(m, {{0.9, 0.9}, {5.9, 0.9}, {5.9, 5.9}}, 1);  // vertices truncate to (0,0) (5,0) (5,5)
    for (int y = 0; y < 10; ++y)
        for (int x = 0; x < 10; ++x)
            EXPECT_EQ(m.at<uchar>(y, x), (y <= 5 && x >= y && x <= 5) ? 1 : 0) << x << "," << y;
    m.setTo(0);
    fillPolygonPil(m, {{0, 0}, {3, 0}, {6, 6}}, 1);  // PIL rows: 0..3, 1..3, 2..4, 3..4, 4..5, 5, 6
    const int spans[7][2] = {{0, 3}, {1, 3}, {2, 4}, {3, 4}, {4, 5}, {5, 5}, {6, 6}};
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 10; ++x)
            EXPECT_EQ(m.at<uchar>(y, x), (x >= spans[y][0] && x <= spans[y][1]) ? 1 : 0) << x << "," << y;
    EXPECT_EQ(cv::countNonZero(m.row(7)), 0);
}

// A shape is "outside" only when all of it is: here only the last vertex lies outside the image.
TEST(Rasterize, PolygonWithSomeVerticesOutsideIsClippedNotSkipped) {
    ImageAnnotation a;
    Shape s;
    s.label = "x";
    s.points = {{2, 2}, {8, 2}, {30, 30}};
    a.shapes = {s};
    LabelMap labels({{0, "background", {}}, {1, "x", {}}}, false);
    std::vector<Problem> problems;
    const cv::Mat m = rasterize(a, {10, 10}, labels, problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_GT(cv::countNonZero(m), 10);
}

TEST(Rasterize, RectangleIsInclusiveAndTruncatedLikePil) {
    cv::Mat m = cv::Mat::zeros(10, 10, CV_8UC1);
    fillRectanglePil(m, {6.2, 4.6}, {1.7, 1.7}, 3);  // PIL: rows 1..4, columns 1..6
    EXPECT_EQ(count(m, 3), 4 * 6);
    EXPECT_EQ(m.at<uchar>(1, 1), 3);
    EXPECT_EQ(m.at<uchar>(4, 6), 3);
    EXPECT_EQ(m.at<uchar>(5, 6), 0);
}

TEST(Rasterize, CircleAndShapesOutsideAndUnknownClassesAreReported) {
    ImageAnnotation a;
    a.source = "a.json";
    a.imagePath = "a.jpg";
    const auto shape = [](Shape::Kind kind, const char* label, std::vector<cv::Point2d> points) {
        Shape s;
        s.kind = kind;
        s.label = label;
        s.points = std::move(points);
        return s;
    };
    a.shapes = {shape(Shape::Kind::Circle, "disc", {{10, 10}, {14, 10}}),
                shape(Shape::Kind::Polygon, "disc", {{100, 100}, {120, 100}, {110, 120}}),
                shape(Shape::Kind::Rectangle, "zebra", {{0, 0}, {3, 3}})};
    LabelMap labels({{0, "background", {}}, {1, "disc", {}}}, false);
    std::vector<Problem> problems;
    const cv::Mat m = rasterize(a, {20, 20}, labels, problems);
    EXPECT_NEAR(count(m, 1), 3.14159 * 16, 8);  // r = 4
    EXPECT_EQ(m.at<uchar>(10, 10), 1);
    EXPECT_EQ(m.at<uchar>(0, 0), 0);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_NE(problems[0].message.find("outside"), std::string::npos);
    EXPECT_NE(problems[1].message.find("zebra"), std::string::npos);
}

TEST(Labelme, ParsesShapesEmbeddedDataAndReportsWhatItSkips) {
    const std::string json = R"({"version":"5.0.1","shapes":[
      {"label":"cat","points":[[1,1],[8,1],[8,8]],"shape_type":"polygon"},
      {"label":"dog","points":[[2,2],[5,5]],"shape_type":"rectangle"},
      {"label":"eye","points":[[3,3],[4,4]],"shape_type":"line"}],
      "imagePath":"x.jpg","imageData":"aGVsbG8=","imageHeight":10,"imageWidth":12})";
    std::vector<Problem> problems;
    const ImageAnnotation a = parseLabelme(json, "x.json", problems);
    EXPECT_EQ(a.imagePath, "x.jpg");
    EXPECT_EQ(a.size, cv::Size(12, 10));
    EXPECT_EQ(a.imageData, "hello");
    ASSERT_EQ(a.shapes.size(), 2u);
    EXPECT_EQ(a.shapes[1].kind, Shape::Kind::Rectangle);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].message.find("line"), std::string::npos);
    EXPECT_EQ(parseLabelme(R"({"shapes":[],"imagePath":"..\\images\\b.jpg"})", "b.json", problems).imagePath, "../images/b.jpg");
    EXPECT_THROW(parseLabelme("{\"shapes\": 3}", "y.json", problems), FileError);
    EXPECT_THROW(parseLabelme("not json", "y.json", problems), FileError);
}

TEST(Labelme, Base64RoundTripsThroughImageData) {
    for (const std::string& bytes : {std::string(), std::string("a"), std::string("ab"), std::string("abc"), std::string("\x89PNG\r\n\x1a\n\xff", 9)}) {
        std::vector<Problem> problems;
        const std::string json = writeLabelme(cv::Mat::zeros(2, 2, CV_8UC1), {}, "x.png", bytes);
        EXPECT_EQ(parseLabelme(json, "x.json", problems).imageData, bytes);
    }
    EXPECT_EQ(encodeBase64("hello"), "aGVsbG8=");
}

TEST(CocoRle, CompressedStringMatchesPycocotoolsAndRoundTrips) {
    // By hand after pycocotools' rleToString: 0 -> '0', 5 -> '5', 130 = 2 + 4*32 -> (2|0x20)+48 'R', 4+48 '4';
    // from the fourth count on, the difference to the count two before is written (7 - 5 = 2 -> '2').
    EXPECT_EQ(encodeRleString({0, 5, 130, 7}), "05R42");
    const std::vector<std::uint32_t> counts = {0, 5, 130, 7, 3000, 1, 1};
    EXPECT_EQ(decodeRleString(encodeRleString(counts)), counts);
    EXPECT_THROW(decodeRleString("\x7f"), std::invalid_argument);
    cv::Mat m = cv::Mat::zeros(5, 7, CV_8UC1);
    m(cv::Rect(1, 2, 3, 2)).setTo(1);
    m.at<uchar>(0, 6) = 1;
    const std::vector<std::uint32_t> rle = encodeRle(m);
    EXPECT_EQ(rle[0], 1u * 5 + 2);  // column 0 empty, then rows 0..1 of column 1
    EXPECT_EQ(cv::countNonZero(decodeRle(rle, 5, 7) != m), 0);
    EXPECT_THROW(decodeRle({3, 4}, 5, 7), std::invalid_argument);
}

TEST(Coco, PolygonsRleStringsAndBboxesMergeLargerFirst) {
    cv::Mat small = cv::Mat::zeros(20, 30, CV_8UC1);
    small(cv::Rect(5, 5, 4, 4)).setTo(1);
    const std::string rle = encodeRleString(encodeRle(small));
    const std::string json = R"({"images":[{"id":1,"file_name":"d/a.jpg","width":30,"height":20}],
      "categories":[{"id":7,"name":"big"},{"id":9,"name":"small"}],
      "annotations":[
        {"id":1,"image_id":1,"category_id":9,"segmentation":{"size":[20,30],"counts":")" + rle + R"("},"area":16},
        {"id":2,"image_id":1,"category_id":7,"segmentation":[[0,0,20,0,20,15,0,15]],"area":300},
        {"id":3,"image_id":1,"category_id":7,"bbox":[22,2,4,3]},
        {"id":4,"image_id":5,"category_id":7,"bbox":[0,0,1,1]},
        {"id":5,"image_id":1,"category_id":7,"segmentation":{"size":[20,30],"counts":[1,2]}}]})";
    std::vector<Problem> problems;
    const auto images = parseCoco(json, "c.json", problems);
    ASSERT_EQ(images.size(), 1u);
    EXPECT_EQ(problems.size(), 2u);  // unknown image, RLE not covering the image
    LabelMap labels({{0, "background", {}}, {1, "big", {}}, {2, "small", {}}}, false);
    const cv::Mat m = rasterize(images[0], {30, 20}, labels, problems);
    EXPECT_EQ(m.at<uchar>(6, 6), 2);   // the small instance lies on the big one and stays visible
    EXPECT_EQ(m.at<uchar>(1, 1), 1);
    // Pixel corners as pycocotools fills them: the 20x15 polygon is 300 px (issue 20, item 3: it was 21x16).
    EXPECT_EQ(count(m, 1), 20 * 15 - 16 + 4 * 3);
}

TEST(Voc, RealXmlParserReadsAttributesEntitiesAndComments) {
    const std::string xml = R"(<?xml version="1.0"?>
<!-- made by hand -->
<annotation verified="yes"><filename>a &amp; b.jpg</filename><size><width>50</width><height>40</height></size>
  <object><name>cat</name><!-- a comment inside --><bndbox><xmin>2.6</xmin><ymin>3</ymin><xmax>10</xmax><ymax>12</ymax></bndbox></object>
  <object><name>dog</name><bndbox><xmin>x</xmin></bndbox></object>
</annotation>)";
    std::vector<Problem> problems;
    const ImageAnnotation a = parseVocXml(xml, "a.xml", problems);
    EXPECT_EQ(a.imagePath, "a & b.jpg");
    EXPECT_EQ(a.size, cv::Size(50, 40));
    ASSERT_EQ(a.shapes.size(), 1u);
    EXPECT_EQ(a.shapes[0].points[0], cv::Point2d(2, 2));  // 1-based: pixel 3 is index 2
    EXPECT_EQ(problems.size(), 1u);
    EXPECT_THROW(parseVocXml("<annotation><object>", "b.xml", problems), FileError);
}

TEST(Cvat, BoxesPolygonsAndMasksRelativeToTheirBox) {
    cv::Mat patch = cv::Mat::zeros(3, 4, CV_8UC1);
    patch.at<uchar>(0, 1) = patch.at<uchar>(1, 1) = patch.at<uchar>(2, 3) = 1;
    std::string rle;
    for (auto c : encodeCvatRle(patch))
        rle += (rle.empty() ? "" : ", ") + std::to_string(c);
    EXPECT_EQ(rle, "1, 1, 3, 1, 5, 1");
    const std::string xml = R"(<annotations><version>1.1</version>
      <image id="0" name="sub/a.png" width="20" height="10">
        <box label="car" xtl="1" ytl="1" xbr="5" ybr="4" z_order="0"/>
        <polygon label="road" points="10,0;19,0;19,9" z_order="0"/>
        <mask label="car" rle=")" + rle + R"(" left="12" top="5" width="4" height="3" z_order="1"/>
        <polyline label="road" points="0,0;1,1"/>
      </image></annotations>)";
    std::vector<Problem> problems;
    const auto images = parseCvat(xml, "a.xml", problems);
    ASSERT_EQ(images.size(), 1u);
    EXPECT_EQ(problems.size(), 1u);  // the polyline
    LabelMap labels({{0, "background", {}}, {1, "car", {}}, {2, "road", {}}}, false);
    const cv::Mat m = rasterize(images[0], {20, 10}, labels, problems);
    EXPECT_EQ(count(m(cv::Rect(1, 1, 4, 3)), 1), 12);
    EXPECT_EQ(m.at<uchar>(4, 5), 0);
    EXPECT_EQ(m.at<uchar>(5, 13), 1);  // mask drawn over the road polygon (higher z_order)
    EXPECT_EQ(m.at<uchar>(7, 15), 1);
    EXPECT_EQ(m.at<uchar>(5, 16), 2);
    EXPECT_EQ(m.at<uchar>(5, 14), 0);  // left of the polygon's diagonal
}

TEST(Yolo, BoxesSegPolygonsNamesAndBadLines) {
    std::vector<Problem> problems;
    const ImageAnnotation a = parseYolo("0 0.5 0.5 0.5 0.25\n1 0.1 0.1 0.4 0.1 0.4 0.4\n5 0.5 0.5 0.1 0.1\n0 0.5 zebra 1 1\n",
                                        "a.txt", {100, 200}, {"crack", "hole"}, problems);
    ASSERT_EQ(a.shapes.size(), 2u);
    EXPECT_FALSE(a.boxesOnly);
    EXPECT_EQ(a.shapes[0].label, "crack");
    EXPECT_EQ(a.shapes[0].points[0], cv::Point2d(25, 75));
    EXPECT_EQ(a.shapes[0].points[1], cv::Point2d(74, 124));
    EXPECT_EQ(a.shapes[1].kind, Shape::Kind::Polygon);
    EXPECT_EQ(problems.size(), 2u);
}

TEST(Yolo, SegExportReadsBackExactlyForConvexRegions) {
    cv::Mat m = cv::Mat::zeros(37, 53, CV_8UC1);
    m(cv::Rect(3, 4, 20, 9)).setTo(1);
    cv::circle(m, {38, 22}, 9, 2, cv::FILLED);
    std::vector<Problem> problems;
    const ImageAnnotation a = parseYolo(writeYoloSeg(m), "a.txt", m.size(), {}, problems);
    LabelMap labels({{0, "background", {}}, {1, "a", {}}, {2, "b", {}}}, false);
    const cv::Mat back = rasterize(a, m.size(), labels, problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(cv::countNonZero(back != m), 0);
}

// The GUI runs with the user's locale (Qt calls setlocale(LC_ALL, "")): YOLO text must keep a decimal
// point under a locale whose decimal separator is a comma. Skips where no such locale is installed.
TEST(Yolo, ExportsWriteDecimalPointsUnderACommaLocale) {
    const std::string was = std::setlocale(LC_NUMERIC, nullptr);
    const char* comma = nullptr;
    for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8"})
        if (std::setlocale(LC_NUMERIC, name)) {
            comma = name;
            break;
        }
    if (!comma)
        GTEST_SKIP() << "no locale with a decimal comma is installed (locale -a)";
    cv::Mat m = cv::Mat::zeros(37, 53, CV_8UC1);
    m(cv::Rect(3, 4, 20, 9)).setTo(1);
    const std::string seg = writeYoloSeg(m);
    const std::string boxes = writeYoloBoxes({DetectionBox{1, cv::Rect(3, 4, 20, 9)}}, m.size());
    std::setlocale(LC_NUMERIC, was.c_str());
    EXPECT_EQ(seg.find(','), std::string::npos) << comma << ": " << seg;
    EXPECT_EQ(boxes.find(','), std::string::npos) << comma << ": " << boxes;
    EXPECT_NE(seg.find('.'), std::string::npos);
}

// The stated loss of the polygon formats: a hole in a region comes back filled.
// Issue 20, item 1: this test claimed that labelme export loses holes and nothing else; it lost nested
// regions too. Holes are _background_ shapes after their region, nested regions (also of the ring's own
// class) after those.
TEST(Labelme, PolygonExportKeepsHolesAndNestedRegions) {
    cv::Mat m = cv::Mat::zeros(40, 40, CV_8UC1);
    cv::circle(m, {20, 20}, 15, 1, cv::FILLED);
    cv::circle(m, {20, 20}, 10, 0, cv::FILLED);  // a hole
    cv::circle(m, {20, 20}, 7, 2, cv::FILLED);   // another class in it
    cv::circle(m, {20, 20}, 3, 1, cv::FILLED);   // the ring's class again, inside that
    const std::vector<ClassInfo> classes = {{0, "background", {}}, {1, "ring", {}}, {2, "disk", {}}};
    std::vector<Problem> problems;
    const ImageAnnotation a = parseLabelme(writeLabelme(m, classes, "r.png"), "r.json", problems);
    LabelMap labels(classes, false);
    const cv::Mat back = rasterize(a, m.size(), labels, problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(back.at<uchar>(20, 20), 1);
    EXPECT_EQ(back.at<uchar>(20, 26), 2);
    EXPECT_EQ(back.at<uchar>(20, 29), 0);
    EXPECT_EQ(cv::countNonZero(back != m), 0);
}

// Found by fuzz_cvat under UBSan: a mask placed at 1.7e17 was converted to int without a check.
TEST(Cvat, HostileNumbersAreClampedAndReportedNeverUndefined) {
    const std::string xml = R"(<annotations><image id="0" name="a.png" width="20" height="10">
        <mask label="car" rle="0, 2" left="1.66667e+17" top="-1e300" width="2" height="1"/>
        <polygon label="car" points="1e300,1e300;-1e300,5;3,nan"/>
        <box label="car" xtl="-1e18" ytl="0" xbr="1e18" ybr="2"/></image></annotations>)";
    std::vector<Problem> problems;
    const auto images = parseCvat(xml, "h.xml", problems);
    ASSERT_EQ(images.size(), 1u);
    LabelMap labels({{0, "background", {}}, {1, "car", {}}}, false);
    const cv::Mat m = rasterize(images[0], {20, 10}, labels, problems);
    EXPECT_EQ(cv::countNonZero(m.rowRange(0, 2)), 20 * 2);  // the huge box covers the rows 0..1 it names
    EXPECT_EQ(cv::countNonZero(m.rowRange(2, 10)), 0);
    EXPECT_GE(problems.size(), 2u);                          // the mask outside, the polygon with nan
}

// Issue 20, item 12: VOC's <bndbox> is 1-based and inclusive (the devkit; detectron2 and torchvision
// subtract 1): xmin 1 .. xmax 4 is the pixels 0..3.
TEST(Voc, BndboxIsOneBased) {
    std::vector<Problem> problems;
    const ImageAnnotation a = parseVocXml(R"(<annotation><filename>a.jpg</filename><size><width>10</width><height>8</height></size>
        <object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>4</xmax><ymax>3</ymax></bndbox></object></annotation>)",
                                          "a.xml", problems);
    LabelMap labels({{0, "background", {}}, {1, "cat", {}}}, false);
    const cv::Mat m = rasterize(a, {10, 8}, labels, problems);
    EXPECT_EQ(cv::countNonZero(m), 12);
    EXPECT_EQ(m.at<uchar>(0, 0), 1);
    EXPECT_EQ(m.at<uchar>(2, 3), 1);
    EXPECT_EQ(m.at<uchar>(3, 4), 0);
}

// Ultralytics keeps YOLO class names in data.yaml, in three spellings.
TEST(Yolo, DataYamlNamesInEverySpelling) {
    EXPECT_EQ(parseDataYamlNames("path: ../x\nnames: [person, 'traffic light', car]\n"),
              (std::vector<std::string>{"person", "traffic light", "car"}));
    EXPECT_EQ(parseDataYamlNames("train: images/train\nnames:\n  0: person\n  1: car  # cars\nnc: 2\n"),
              (std::vector<std::string>{"person", "car"}));
    EXPECT_EQ(parseDataYamlNames("names:\n  - person\n  - \"car\"\n"), (std::vector<std::string>{"person", "car"}));
    EXPECT_TRUE(parseDataYamlNames("names:\n  1: person\n").empty());  // not 0..n-1
    EXPECT_TRUE(parseDataYamlNames("nc: 3\n").empty());
}
