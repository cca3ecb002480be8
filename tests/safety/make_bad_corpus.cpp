// mf_make_bad_corpus OUT: writes the hostile corpus of issue 8 (tests/data/bad/ is its output, checked
// in). Every case is small; what cannot be a file (a read-only folder, a full disk) is set up by the
// tests themselves. See tests/data/bad/README.md for the list.
#include "io/atomicfile.h"
#include "io/imageio.h"
#include "models/modelfactory.h"
#include "models/checkpoint.h"
#include "runs/trainconfig.h"

#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <png.h>
#include <torch/torch.h>

namespace fs = std::filesystem;
using namespace mf;

namespace {

fs::path g_out;

void put(const std::string& rel, const std::string& bytes) {
    const fs::path p = g_out / fs::u8path(rel);
    fs::create_directories(p.parent_path());
    writeFileAtomic(p.string(), bytes);
}

std::string encode(const std::string& ext, const cv::Mat& m) {
    std::vector<uchar> buf;
    cv::imencode(ext, m, buf);
    return {buf.begin(), buf.end()};
}

cv::Mat picture(int w, int h) {
    cv::Mat m(h, w, CV_8UC3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            m.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x * 7), uchar(y * 5), uchar((x + y) * 3));
    return m;
}

cv::Mat maskOf(int w, int h, int value) {
    cv::Mat m = cv::Mat::zeros(h, w, CV_8UC1);
    m(cv::Rect(0, 0, std::max(1, w / 2), std::max(1, h / 2))).setTo(value);
    return m;
}

void pngCrc(std::string& png, std::size_t typeAt, std::size_t length) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (std::size_t i = typeAt; i < typeAt + 4 + length; ++i) {
        crc ^= static_cast<unsigned char>(png[i]);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    crc = ~crc;
    for (int i = 0; i < 4; ++i)
        png[typeAt + 4 + length + i] = static_cast<char>((crc >> (24 - 8 * i)) & 0xFF);
}

std::string hugeClaimPng() {
    std::string png = encode(".png", picture(8, 8));
    for (std::size_t at : {16u, 20u})
        for (int i = 0; i < 4; ++i)
            png[at + i] = static_cast<char>((100000u >> (24 - 8 * i)) & 0xFF);
    pngCrc(png, 12, 13);
    return png;
}

/** A palette PNG (colour type 3) holding indices `values`, w x 1. */
std::string palettePng(const std::vector<int>& values) {
    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    png_set_write_fn(png, &out, [](png_structp p, png_bytep d, png_size_t n) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(d), n);
    }, nullptr);
    const int w = static_cast<int>(values.size());
    png_set_IHDR(png, info, w, 1, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_color palette[256];
    for (int i = 0; i < 256; ++i)
        palette[i] = {png_byte(i * 37), png_byte(255 - i), png_byte(i * 11)};
    png_set_PLTE(png, info, palette, 256);
    png_write_info(png, info);
    std::vector<png_byte> row(values.begin(), values.end());
    png_write_row(png, row.data());
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

void dataset(const std::string& name, const std::string& image, const std::string& imageBytes, const std::string& mask,
             const std::string& maskBytes) {
    if (!image.empty())
        put("datasets/" + name + "/images/" + image, imageBytes);
    if (!mask.empty())
        put("datasets/" + name + "/masks/" + mask, maskBytes);
}

void datasets() {
    const std::string png = encode(".png", picture(16, 12)), jpg = encode(".jpg", picture(16, 12));
    const std::string mask = encode(".png", maskOf(16, 12, 1));
    dataset("zero-byte-png", "a.png", "", "a.png", mask);
    dataset("zero-byte-jpg", "a.jpg", "", "a.png", mask);
    dataset("truncated-png", "a.png", png.substr(0, png.size() / 2), "a.png", mask);
    dataset("truncated-jpg", "a.jpg", jpg.substr(0, jpg.size() / 2), "a.png", mask);
    dataset("text-named-png", "a.png", "this is a text file, not a picture\n", "a.png", mask);
    dataset("huge-claim", "a.png", hugeClaimPng(), "a.png", mask);
    dataset("huge-claim-mask", "a.png", png, "a.png", hugeClaimPng());
    dataset("truncated-mask", "a.png", png, "a.png", mask.substr(0, mask.size() / 2));
    dataset("mask-other-size", "a.png", png, "a.png", encode(".png", maskOf(8, 8, 1)));
    dataset("mask-rgb", "a.png", png, "a.png", encode(".png", picture(16, 12)));
    cv::Mat over(12, 16, CV_16UC1, cv::Scalar(300));
    dataset("mask-16bit-over-255", "a.png", png, "a.png", encode(".png", over));
    dataset("image-without-mask", "a.png", png, "", "");
    put("datasets/image-without-mask/masks/.keep", "");
    dataset("mask-without-image", "", "", "a.png", mask);
    put("datasets/mask-without-image/images/b.png", png);
    put("datasets/mask-without-image/masks/b.png", mask);
    // Mask values beyond the classes: classes.txt names two classes, the mask holds 7.
    dataset("mask-values-beyond-classes", "a.png", png, "a.png", encode(".png", maskOf(16, 12, 7)));
    put("datasets/mask-values-beyond-classes/classes.txt", "background\ncrack\n");
    // Acceptable oddities: these load and validate clean.
    dataset("ok-1x1", "a.png", encode(".png", picture(1, 1)), "a.png", encode(".png", maskOf(1, 1, 1)));
    cv::Mat deep;
    picture(16, 12).convertTo(deep, CV_16UC3, 257.0);
    dataset("ok-16bit", "a.png", encode(".png", deep), "a.png", mask);
    cv::Mat grey(12, 16, CV_8UC1, cv::Scalar(90));
    dataset("ok-grey", "a.png", encode(".png", grey), "a.png", mask);
    std::vector<int> idx(16, 0);
    idx[3] = 1;
    dataset("ok-palette", "a.png", palettePng(std::vector<int>(16, 5)), "a.png", palettePng(idx));
    put("datasets/ok-palette/classes.txt", "background\nthing\n");
    // A 0/255 mask in a multi-class project: background and ignore, never class 1.
    dataset("ok-0-255-in-multiclass", "a.png", png, "a.png", encode(".png", maskOf(16, 12, 1)));
    dataset("ok-0-255-in-multiclass", "b.png", png, "b.png", encode(".png", maskOf(16, 12, 2)));
    dataset("ok-0-255-in-multiclass", "c.png", png, "c.png", encode(".png", maskOf(16, 12, 255)));
    dataset("ok-names", "a b.png", png, "a b.png", mask);
    dataset("ok-names", u8"\u00fcber \u00f1o\u00f1o \u6f22.png", png, u8"\u00fcber \u00f1o\u00f1o \u6f22.png", mask);
}

void project(const std::string& name, const std::string& json) {
    put("projects/" + name + "/maskforge.json", json);
    put("projects/" + name + "/images/a.png", encode(".png", picture(16, 12)));
    put("projects/" + name + "/masks/a.png", encode(".png", maskOf(16, 12, 1)));
}

void projects() {
    const std::string classes = R"("classes": [{"id": 0, "name": "bg"}, {"id": 1, "name": "crack"}])";
    const std::string image = R"({"image": "images/a.png", "mask": "masks/a.png", "status": "reviewed"})";
    project("not-json", "{ \"schema_version\": 1, \"classes\": [ ");
    project("empty-file", "");
    project("top-level-array", "[1, 2, 3]");
    project("deep-nesting", "{\"schema_version\": 1, " + classes + ", \"x\": " + std::string(5000, '[') +
                                std::string(5000, ']') + "}");
    project("huge-numbers", "{\"schema_version\": 1e400, " + classes + "}");
    project("huge-class-id", R"({"schema_version": 1, "classes": [{"id": 0, "name": "bg"}, {"id": 99999999999999999999, "name": "x"}]})");
    project("wrong-types", R"({"schema_version": "one", "classes": {"id": 0}, "images": 7})");
    project("class-name-number", R"({"schema_version": 1, "classes": [{"id": 0, "name": 12}]})");
    project("colour-out-of-range", R"({"schema_version": 1, "classes": [{"id": 0, "name": "bg", "color": [0, 300, -1]}]})");
    project("256-classes", [] {
        std::string s = R"({"schema_version": 1, "classes": [)";
        for (int i = 0; i < 256; ++i)
            s += (i ? "," : "") + std::string(R"({"id": )") + std::to_string(i) + R"(, "name": "c)" + std::to_string(i) + "\"}";
        return s + "]}";
    }());
    project("bad-mask-encoding", "{\"schema_version\": 1, \"mask_encoding\": \"rgb\", " + classes + "}");
    project("future-schema", "{\"schema_version\": 99, " + classes + "}");
    static const char nul[] = "{\"schema_version\": 1,\0\0\0 ";
    project("nul-bytes", std::string(nul, sizeof nul - 1) + classes + "}");
    project("invalid-utf8", "{\"schema_version\": 1, \"name\": \"\xff\xfe\", " + classes + "}");
    // Loads, but with entries it cannot parse: kept and written back, never dropped.
    project("bad-entries", "{\"schema_version\": 1, \"mask_encoding\": \"index\", " + classes + ", \"images\": [" + image +
                               R"(, {"image": 5}, {"status": "done", "image": "b.png"}, "text", null]})");
}

void yaml() {
    put("configs/not-yaml.yaml", "epochs: [1, 2\n  size: {{{\n");
    static const char binary[] = "\x00\x01\x02\xff\xfe key: value";
    put("configs/binary.yaml", std::string(binary, sizeof binary - 1));
    put("configs/deep-nesting.yaml", "epochs: " + std::string(5000, '[') + std::string(5000, ']') + "\n");
    put("configs/huge-numbers.yaml", "epochs: 1e400\nsize: 99999999999999999999999\nlr: -inf\nbatch: .nan\n");
    put("configs/wrong-types.yaml", "epochs: many\nsize: [64]\narch: {name: unet}\naugment: 3\n");
    put("configs/unknown-key.yaml", "epochs: 1\nepoch: 2\n");
    put("configs/anchors.yaml", "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
                                "e: [*d, *d, *d, *d, *d, *d, *d, *d]\n");
}

void boxes() {
    put("boxes/yolo/a.txt", "0 0.5 0.5 0.2 0.2\nnot numbers at all\n1 nan inf -inf 0.1\n"
                            "99999999999999999999 0.5 0.5 0.1 0.1\n-3 0.5 0.5 0.1 0.1\n0 1e400 0.5 0.1 0.1\n2\n");
    put("boxes/voc/a.xml", "<annotation><object><name>crack</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>x</xmax>"
                           "<ymax>1e400</ymax></bndbox></object></annotation>");
    put("boxes/voc/deep.xml", std::string(5000, '<') + "a>");
    std::string nested;
    for (int i = 0; i < 3000; ++i)
        nested += "<a>";
    put("boxes/voc/nested.xml", nested);
    put("boxes/voc/laughs.xml", "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                                "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                                "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
                                "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>"
                                "<annotation><object><name>&lol4;</name></object></annotation>");
    put("boxes/coco/wrong-types.json", R"({"images": "x", "annotations": [{"bbox": "a"}], "categories": 3})");
    put("boxes/coco/huge-numbers.json", R"({"images": [{"id": 1e400, "file_name": "a.png", "width": -1, "height": 1e30}],
        "annotations": [{"image_id": 1, "category_id": 99999999999999999999, "bbox": [0, 0, 1e308, 1e308]}], "categories": []})");
    put("boxes/coco/deep.json", std::string(5000, '[') + std::string(5000, ']'));
}

void checkpoints() {
    TrainConfig c;
    c.arch = "encdec";
    c.size = 32;
    c.width = 4;
    c.depth = 2;
    auto save = [&](const std::string& name, const ModelSpec& weights, const ModelSpec& said) {
        torch::manual_seed(1);
        SegmentationNet net = makeModel(weights);
        CheckpointMeta meta;
        meta.spec = said;
        meta.classNames.resize(static_cast<std::size_t>(said.classes), "c");
        meta.size = 32;
        TrainConfig cc = c;
        cc.arch = said.arch;
        meta.configYaml = toYaml(cc);
        meta.monitor = "miou";
        const std::string bytes = checkpointBytes(*net, nullptr, meta);
        put("checkpoints/" + name, bytes);
        return bytes;
    };
    ModelSpec encdec;
    encdec.arch = "encdec";
    encdec.width = 4;
    encdec.depth = 2;
    encdec.classes = 2;
    ModelSpec unet = encdec;
    unet.arch = "unet";
    ModelSpec fiveClasses = encdec;
    fiveClasses.classes = 5;
    const std::string good = save("good-encdec-2-classes.pt", encdec, encdec);
    save("other-class-count-5.pt", fiveClasses, fiveClasses);
    save("weights-of-another-architecture.pt", encdec, unet);
    put("checkpoints/truncated.pt", good.substr(0, good.size() / 2));
    put("checkpoints/text.pt", "not a checkpoint\n");
    put("checkpoints/empty.pt", "");
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: mf_make_bad_corpus OUT\n";
        return 2;
    }
    g_out = argv[1];
    try {
        datasets();
        projects();
        yaml();
        boxes();
        checkpoints();
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    std::cout << "hostile corpus written to " << g_out << "\n";
    return 0;
}
