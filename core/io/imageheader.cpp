#include "io/imageheader.h"

#include "io/errors.h"
#include "io/pngmemory.h"

#include <algorithm>
#include <cctype>
#include <atomic>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <jpeglib.h>
#include <png.h>

namespace mf {
namespace {

std::atomic<std::uint64_t> g_maxPixels{0};  // 0: not read from the environment yet

constexpr std::uint64_t kDefaultMaxPixels = std::uint64_t{1} << 28;
constexpr std::size_t kTailWindow = 4096;  // end markers may be followed by a little padding

bool startsWith(const std::string& bytes, const unsigned char* sig, std::size_t n) {
    return bytes.size() >= n && std::memcmp(bytes.data(), sig, n) == 0;
}

const unsigned char kPngSig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
const unsigned char kJpegSig[3] = {0xFF, 0xD8, 0xFF};

bool tailHas(const std::string& tail, const std::string& marker) { return tail.find(marker) != std::string::npos; }

// ---- PNG: libpng reads the chunks up to the first IDAT; no row is decoded.
void pngError(png_structp png, png_const_charp message) {
    auto* why = static_cast<std::string*>(png_get_error_ptr(png));
    *why = message;
    png_longjmp(png, 1);
}

void pngWarning(png_structp, png_const_charp) {}

ImageHeader pngHeader(const std::string& bytes, const std::string& path) {
    std::string why;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &why, pngError, pngWarning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) {
        png_destroy_read_struct(&png, &info, nullptr);
        throw FileError(path, "out of memory reading the PNG header");
    }
    PngMemorySource src{&bytes, 0};
    png_uint_32 width = 0, height = 0;
    int depth = 0, channels = 0;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, nullptr);
        throw FileError(path, "corrupt PNG header: " + why);
    }
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);  // our own limit, on the product, is checked below
    png_set_read_fn(png, &src, readPngFromMemory);
    png_read_info(png, info);
    width = png_get_image_width(png, info);
    height = png_get_image_height(png, info);
    depth = png_get_bit_depth(png, info);
    channels = png_get_channels(png, info);
    png_destroy_read_struct(&png, &info, nullptr);
    ImageHeader h{"png", static_cast<int>(width), static_cast<int>(height), channels, depth};
    if (!tailHas(bytes.substr(bytes.size() - std::min(bytes.size(), kTailWindow)), "IEND"))
        throw FileError(path, "truncated PNG (no IEND chunk at its end)");
    return h;
}

// ---- JPEG: libjpeg reads the markers up to the first scan; no coefficient is decoded.
struct JpegError {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void jpegErrorExit(j_common_ptr cinfo) {
    auto* err = reinterpret_cast<JpegError*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    std::longjmp(err->jump, 1);
}

void jpegQuiet(j_common_ptr, int) {}

ImageHeader jpegHeader(const std::string& bytes, const std::string& path) {
    jpeg_decompress_struct cinfo{};
    JpegError err{};
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpegErrorExit;
    err.mgr.emit_message = jpegQuiet;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        throw FileError(path, std::string("corrupt JPEG header: ") + err.message);
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
    const int result = jpeg_read_header(&cinfo, TRUE);
    const bool eofWarned = err.mgr.num_warnings > 0;
    ImageHeader h{"jpeg", static_cast<int>(cinfo.image_width), static_cast<int>(cinfo.image_height),
                  cinfo.num_components, cinfo.data_precision};
    jpeg_destroy_decompress(&cinfo);
    if (result != JPEG_HEADER_OK || eofWarned)
        throw FileError(path, "truncated JPEG (the file ends inside its header)");
    const std::string tail = bytes.substr(bytes.size() - std::min(bytes.size(), kTailWindow));
    if (!tailHas(tail, std::string("\xFF\xD9", 2)))
        throw FileError(path, "truncated JPEG (no end-of-image marker at its end)");
    return h;
}

void checkSize(const ImageHeader& h, const std::string& path) {
    if (h.width <= 0 || h.height <= 0)
        throw FileError(path, "image header claims a size of " + std::to_string(h.width) + "x" + std::to_string(h.height));
    const std::uint64_t pixels = static_cast<std::uint64_t>(h.width) * static_cast<std::uint64_t>(h.height);
    if (pixels > maxImagePixels())
        throw FileError(path, "image header claims " + std::to_string(h.width) + "x" + std::to_string(h.height) + " (" +
                                  std::to_string(pixels) + " pixels), above the limit of " +
                                  std::to_string(maxImagePixels()) + " (MF_MAX_IMAGE_PIXELS)");
}

} // namespace

std::uint64_t maxImagePixels() {
    std::uint64_t v = g_maxPixels.load();
    if (v == 0) {
        v = kDefaultMaxPixels;
        if (const char* env = std::getenv("MF_MAX_IMAGE_PIXELS")) {
            char* end = nullptr;
            const unsigned long long parsed = std::strtoull(env, &end, 10);
            if (end && *end == '\0' && parsed > 0)
                v = parsed;
        }
        g_maxPixels.store(v);
    }
    return v;
}

void setMaxImagePixels(std::uint64_t pixels) { g_maxPixels.store(pixels); }

ImageHeader checkImageBytes(const std::string& bytes, const std::string& path) {
    if (bytes.empty())
        throw FileError(path, "file is empty");
    ImageHeader h;
    if (startsWith(bytes, kPngSig, sizeof kPngSig))
        h = pngHeader(bytes, path);
    else if (startsWith(bytes, kJpegSig, sizeof kJpegSig))
        h = jpegHeader(bytes, path);
    else {
        h.format = "other";
        return h;
    }
    checkSize(h, path);
    return h;
}

ImageHeader readImageHeader(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        throw FileError(path, "cannot open for reading");
    const std::streamoff size = in.tellg();
    if (size <= 0)
        throw FileError(path, "file is empty");
    // The header is near the start and the end marker at the end: read those, not the pixels between.
    constexpr std::streamoff kHead = 256 * 1024;
    std::string bytes;
    if (size <= kHead + static_cast<std::streamoff>(kTailWindow)) {
        bytes.resize(static_cast<std::size_t>(size));
        in.seekg(0);
        in.read(bytes.data(), size);
    } else {
        std::string head(static_cast<std::size_t>(kHead), '\0'), tail(kTailWindow, '\0');
        in.seekg(0);
        in.read(head.data(), kHead);
        in.seekg(size - static_cast<std::streamoff>(kTailWindow));
        in.read(tail.data(), static_cast<std::streamsize>(kTailWindow));
        bytes = head + tail;  // the header parsers stop long before the seam
    }
    if (!in)
        throw FileError(path, "read failed");
    const bool startsLikeImage = startsWith(bytes, kPngSig, sizeof kPngSig) || startsWith(bytes, kJpegSig, sizeof kJpegSig);
    if (!startsLikeImage) {
        // Not PNG or JPEG: text named .png is caught by its extension.
        const std::string p = path;
        auto endsWith = [&](const char* ext) {
            const std::size_t n = std::strlen(ext);
            if (p.size() < n)
                return false;
            return std::equal(p.end() - static_cast<std::ptrdiff_t>(n), p.end(), ext,
                              [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
        };
        if (endsWith(".png") || endsWith(".jpg") || endsWith(".jpeg"))
            throw FileError(path, "not a PNG or JPEG file although it is named so (no image signature)");
    }
    return checkImageBytes(bytes, path);
}

} // namespace mf
