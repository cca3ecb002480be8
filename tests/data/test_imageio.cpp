#include "io/errors.h"
#include "io/imageio.h"
#include "io/atomicfile.h"
#include "../testutil.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <png.h>

using namespace mf;
using mf::test::TempDir;

namespace {

/** Writes a 4x2 palette PNG whose indices are 0..7 and whose palette maps 3 and 5 to the same colour. */
void writePalettePng(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    png_init_io(png, f);
    png_set_IHDR(png, info, 4, 2, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_color palette[8];
    for (int i = 0; i < 8; ++i)
        palette[i] = {png_byte(i * 30), png_byte(255 - i * 30), png_byte(i * 10)};
    palette[5] = palette[3];
    png_set_PLTE(png, info, palette, 8);
    png_write_info(png, info);
    png_byte rows[2][4] = {{0, 1, 2, 3}, {4, 5, 6, 7}};
    for (auto& row : rows)
        png_write_row(png, row);
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    std::fclose(f);
}

} // namespace

TEST(ImageIo, GreyIsReplicatedToThreeChannels) {
    TempDir dir;
    cv::Mat grey(5, 7, CV_8U, cv::Scalar(77));
    cv::imwrite(dir / "g.png", grey);
    cv::Mat rgb = readImageRgb(dir / "g.png");
    ASSERT_EQ(rgb.type(), CV_8UC3);
    EXPECT_EQ(rgb.at<cv::Vec3b>(2, 3), cv::Vec3b(77, 77, 77));
}

TEST(ImageIo, RgbaDropsAlphaAndReturnsRgbOrder) {
    TempDir dir;
    cv::Mat bgra(3, 3, CV_8UC4, cv::Scalar(10, 20, 30, 0));  // B=10 G=20 R=30, fully transparent
    cv::imwrite(dir / "a.png", bgra);
    cv::Mat rgb = readImageRgb(dir / "a.png");
    ASSERT_EQ(rgb.type(), CV_8UC3);
    EXPECT_EQ(rgb.at<cv::Vec3b>(1, 1), cv::Vec3b(30, 20, 10));
}

TEST(ImageIo, SixteenBitIsScaled) {
    TempDir dir;
    cv::Mat deep(2, 2, CV_16U, cv::Scalar(65535));
    deep.at<ushort>(0, 0) = 257 * 100;
    cv::imwrite(dir / "d.png", deep);
    cv::Mat rgb = readImageRgb(dir / "d.png");
    EXPECT_EQ(rgb.at<cv::Vec3b>(0, 0)[0], 100);
    EXPECT_EQ(rgb.at<cv::Vec3b>(1, 1)[2], 255);
}

TEST(ImageIo, CorruptImageNamesTheFile) {
    TempDir dir;
    writeFileAtomic(dir / "bad.png", "\x89PNG\r\n\x1a\nthis is not a png");
    try {
        readImageRgb(dir / "bad.png");
        FAIL() << "expected FileError";
    } catch (const FileError& e) {
        EXPECT_EQ(e.file(), dir / "bad.png");
        EXPECT_NE(std::string(e.what()).find("bad.png"), std::string::npos);
    }
    EXPECT_THROW(readImageRgb(dir / "missing.png"), FileError);
    writeFileAtomic(dir / "empty.png", "");
    EXPECT_THROW(readMask(dir / "empty.png", MaskEncoding::Index), FileError);
}

TEST(ImageIo, BinaryMaskMapsTo01OnlyInABinary255Dataset) {
    TempDir dir;
    cv::Mat m = (cv::Mat_<uchar>(1, 3) << 0, 255, 255);
    cv::imwrite(dir / "m.png", m);
    EXPECT_EQ(decideMaskEncoding({dir / "m.png"}), MaskEncoding::Binary255);
    cv::Mat read = readMask(dir / "m.png", MaskEncoding::Binary255);
    EXPECT_EQ(read.at<uchar>(0, 0), 0);
    EXPECT_EQ(read.at<uchar>(0, 2), 1);
    EXPECT_EQ(readMask(dir / "m.png", MaskEncoding::Index).at<uchar>(0, 2), 255) << "an index dataset keeps 255 (ignore)";
}

TEST(ImageIo, IndexMaskKeepsValuesIncludingIgnore) {
    TempDir dir;
    cv::Mat m = (cv::Mat_<uchar>(1, 4) << 0, 3, 40, 255);
    writeMaskAtomic(dir / "m.png", m);
    EXPECT_EQ(decideMaskEncoding({dir / "m.png"}), MaskEncoding::Index);
    cv::Mat read = readMask(dir / "m.png", MaskEncoding::Index);
    EXPECT_EQ(cv::countNonZero(read != m), 0);
}

TEST(ImageIo, PaletteMaskReadsIndicesNotColours) {
    TempDir dir;
    writePalettePng(dir / "p.png");
    EXPECT_EQ(decideMaskEncoding({dir / "p.png"}), MaskEncoding::Palette);
    cv::Mat read = readMask(dir / "p.png", MaskEncoding::Index);
    ASSERT_EQ(read.size(), cv::Size(4, 2));
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(read.at<uchar>(i / 4, i % 4), i);  // 3 and 5 share a colour but keep their index
}

TEST(ImageIo, RealPaletteMasksFromLabelme) {
    const std::string path = mf::test::sharedDir() + "/datasets/labelme-examples/tutorial/apc2016_obj3_label.png";
    if (!std::filesystem::exists(path))
        GTEST_SKIP() << "needs " << path << " (../shared/datasets is not in this clone)";
    cv::Mat m = readMask(path, MaskEncoding::Index);
    double maxValue;
    cv::minMaxLoc(m, nullptr, &maxValue);
    EXPECT_EQ(maxValue, 4);  // SOURCE.md: palette indices 0..4
}

TEST(ImageIo, ColourMaskWithoutPaletteIsRejected) {
    TempDir dir;
    cv::Mat m(2, 2, CV_8UC3, cv::Scalar(0, 0, 200));
    cv::imwrite(dir / "c.png", m);
    EXPECT_THROW(readMask(dir / "c.png", MaskEncoding::Index), FileError);
}

TEST(ImageIo, VocPaletteMasksKeepIgnoreIndex) {
    const std::string dir = mf::test::sharedDir() + "/datasets/labelme-examples/masks/";
    if (!std::filesystem::exists(dir + "2011_000003.png"))
        GTEST_SKIP() << "needs " << dir << "2011_000003.png (../shared/datasets is not in this clone)";
    cv::Mat m = readMask(dir + "2011_000003.png", MaskEncoding::Index);
    double maxValue;
    cv::minMaxLoc(m, nullptr, &maxValue);
    EXPECT_EQ(maxValue, 255);  // VOC's __ignore__ regions
    EXPECT_GT(cv::countNonZero(m == 15), 0);  // person
}
