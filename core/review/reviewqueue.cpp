#include "review/reviewqueue.h"

#include "io/atomicfile.h"
#include "io/imageio.h"
#include "review/boxkeep.h"
#include "review/statusrules.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace mf {
namespace {

std::string safeStem(const std::string& s) {
    std::string out;
    for (char c : s)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out.empty() ? std::string("x") : out;
}

} // namespace

std::string projectFileStem(const std::string& image) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, stable across runs and builds
    for (unsigned char c : image) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(h & 0xffffffffu));
    return safeStem(fs::path(image).stem().string()) + "-" + hex;
}

namespace {

std::string proposalName(const std::string& image, const std::string& origin) {
    return projectFileStem(image) + "." + safeStem(origin) + ".png";
}

json entryToJson(const ReviewEntry& e) {
    json j = {{"image", e.image},        {"origin", e.origin},   {"candidate", e.candidate},
              {"width", e.width},        {"height", e.height},   {"changed_pixels", e.changedPixels},
              {"classes", e.classes},    {"empty_boxes", e.emptyBoxes}};
    if (e.leastKept >= 0)
        j["least_kept"] = e.leastKept;
    if (e.lostBoxes >= 0)
        j["lost_boxes"] = e.lostBoxes;
    return j;
}

ReviewEntry entryFromJson(const json& j, std::size_t index) {
    const std::string where = "entries[" + std::to_string(index) + "]";
    if (!j.is_object())
        throw std::runtime_error(where + " must be an object");
    ReviewEntry e;
    e.image = j.at("image").get<std::string>();
    e.origin = j.at("origin").get<std::string>();
    e.candidate = j.at("candidate").get<std::string>();
    e.width = j.at("width").get<int>();
    e.height = j.at("height").get<int>();
    e.changedPixels = j.value("changed_pixels", 0);
    e.classes = j.value("classes", std::vector<int>{});
    e.emptyBoxes = j.value("empty_boxes", 0);
    e.leastKept = j.value("least_kept", -1.0);
    e.lostBoxes = j.value("lost_boxes", -1);
    if (e.image.empty() || e.candidate.empty() || e.width <= 0 || e.height <= 0)
        throw std::runtime_error(where + ": needs an image, a candidate and a positive size");
    return e;
}

} // namespace

void ReviewEntry::setBoxKeep(const std::vector<BoxKeep>& keeps) {
    leastKept = leastKeptShare(keeps);
    lostBoxes = lostBoxCount(keeps);
}

bool ReviewEntry::lostABox() const {
    if (lostBoxes >= 0)
        return lostBoxes > 0;
    return leastKept >= 0 && leastKept < kAlmostNothingKept;
}

ReviewEntry writeProposal(const std::string& root, const std::string& image, const std::string& origin,
                          const cv::Mat& candidate, const cv::Mat& before, const std::vector<DetectionBox>& boxes) {
    if (candidate.empty() || candidate.type() != CV_8U)
        throw FileError(image, "a proposed mask must be a non-empty 8-bit mask");
    if (!before.empty() && before.size() != candidate.size())
        throw FileError(image, "the proposed mask's size differs from the mask it replaces");
    ReviewEntry e;
    e.image = image;
    e.origin = origin;
    e.candidate = std::string(ReviewQueue::kCandidateDir) + "/" + proposalName(image, origin);
    e.width = candidate.cols;
    e.height = candidate.rows;
    const cv::Mat base = before.empty() ? cv::Mat::zeros(candidate.size(), CV_8U) : before;
    const cv::Mat diff = candidate != base;
    e.changedPixels = cv::countNonZero(diff);
    bool seen[256] = {};
    for (int y = 0; y < diff.rows; ++y)
        for (int x = 0; x < diff.cols; ++x)
            if (diff.at<uchar>(y, x))
                seen[base.at<uchar>(y, x)] = seen[candidate.at<uchar>(y, x)] = true;
    for (int c = 1; c < 256; ++c)
        if (seen[c])
            e.classes.push_back(c);
    if (!before.empty() && !boxes.empty())
        e.setBoxKeep(boxKeep(candidate, before, boxes));
    const fs::path file = fs::path(root) / e.candidate;
    makeDirs(file.parent_path().string());
    writeMaskAtomic(file.string(), candidate);
    return e;
}

ReviewQueue ReviewQueue::load(const std::string& root) {
    ReviewQueue q(root);
    const fs::path file = fs::path(root) / kFileName;
    std::error_code ec;
    if (!fs::exists(file, ec))
        return q;
    try {
        const json j = json::parse(readFileBytes(file.string()));
        if (!j.is_object() || !j.contains("entries") || !j["entries"].is_array())
            throw std::runtime_error("expected an object with an \"entries\" array");
        for (std::size_t i = 0; i < j["entries"].size(); ++i)
            q.add(entryFromJson(j["entries"][i], i));
    } catch (const FileError&) {
        throw;
    } catch (const std::exception& e) {
        throw FileError(file.string(), e.what());
    }
    return q;
}

void ReviewQueue::save() const {
    json entries = json::array();
    for (const ReviewEntry& e : m_entries)
        entries.push_back(entryToJson(e));
    writeFileAtomic((fs::path(m_root) / kFileName).string(), json{{"version", 1}, {"entries", entries}}.dump(2) + "\n");
}

const ReviewEntry* ReviewQueue::find(const std::string& image) const {
    for (const ReviewEntry& e : m_entries)
        if (e.image == image)
            return &e;
    return nullptr;
}

void ReviewQueue::add(const ReviewEntry& entry) {
    for (ReviewEntry& e : m_entries)
        if (e.image == entry.image) {
            if (e.candidate != entry.candidate) {
                std::error_code ec;
                fs::remove(fs::path(m_root) / e.candidate, ec);
            }
            e = entry;
            return;
        }
    m_entries.push_back(entry);
}

bool ReviewQueue::remove(const std::string& image) {
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it)
        if (it->image == image) {
            std::error_code ec;
            fs::remove(fs::path(m_root) / it->candidate, ec);
            m_entries.erase(it);
            return true;
        }
    return false;
}

void ReviewQueue::clear() { m_entries.clear(); }

std::vector<std::string> ReviewQueue::prune(const Project& project) {
    std::vector<std::string> dropped;
    for (const ReviewEntry& e : std::vector<ReviewEntry>(m_entries)) {
        bool listed = false;
        for (const ImageEntry& i : project.images())
            listed = listed || i.image == e.image;
        std::error_code ec;
        if (!listed || !fs::is_regular_file(fs::path(m_root) / e.candidate, ec)) {
            remove(e.image);
            dropped.push_back(e.image);
        }
    }
    return dropped;
}

cv::Mat ReviewQueue::readCandidate(const ReviewEntry& entry, cv::Size imageSize) const {
    const std::string path = (fs::path(m_root) / entry.candidate).string();
    cv::Mat m = readMask(path, MaskEncoding::Index);  // our own proposal file
    if (m.cols != entry.width || m.rows != entry.height)
        throw FileError(path, "the proposed mask is " + std::to_string(m.cols) + "x" + std::to_string(m.rows) +
                                  ", the queue recorded " + std::to_string(entry.width) + "x" + std::to_string(entry.height));
    if (m.size() != imageSize)
        throw FileError(path, "the proposed mask is " + std::to_string(m.cols) + "x" + std::to_string(m.rows) + " but " +
                                  entry.image + " is " + std::to_string(imageSize.width) + "x" +
                                  std::to_string(imageSize.height) + "; not accepted");
    return m;
}

void acceptProposal(Project& project, ReviewQueue& queue, const std::string& image) {
    const ReviewEntry* entry = queue.find(image);
    ImageEntry* e = nullptr;
    for (ImageEntry& i : project.images())
        if (i.image == image)
            e = &i;
    if (!entry || !e)
        throw FileError(image, "no proposal for this image in the review queue of " + project.root());
    const cv::Mat candidate = queue.readCandidate(*entry, readImageRgb(project.absolute(image)).size());
    const ImageEntry before = *e;
    if (e->mask.empty())
        e->mask = "masks/" + fs::path(image).stem().string() + ".png";
    const std::string maskPath = project.absolute(e->mask);
    std::string oldBytes;
    std::error_code ec;
    const bool hadMask = fs::is_regular_file(maskPath, ec);
    if (hadMask)
        oldBytes = readFileBytes(maskPath);
    try {
        makeDirs(fs::path(maskPath).parent_path().string());
        writeMaskAtomic(maskPath, candidate, project.maskEncoding());
        e->status = nextStatus(e->status, StatusEvent::ProposalAccepted);
        project.save();
    } catch (...) {
        *e = before;  // the project in memory as before; the mask file back as it was
        if (hadMask)
            writeFileAtomic(maskPath, oldBytes);
        else
            fs::remove(maskPath, ec);
        throw;
    }
    queue.remove(image);
    queue.save();
}

} // namespace mf
