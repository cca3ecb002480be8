#include "formats/hygiene.h"

#include "io/atomicfile.h"
#include "io/imageio.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <bitset>
#include <filesystem>
#include <sstream>
#include <map>
#include <numeric>
#include <set>

namespace fs = std::filesystem;

namespace mf::formats {

std::uint64_t perceptualHash(const cv::Mat& image) {
    cv::Mat grey = image;
    if (image.channels() == 3)
        cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
    cv::Mat small, f, freq;
    cv::resize(grey, small, {32, 32}, 0, 0, cv::INTER_AREA);
    small.convertTo(f, CV_32F);
    cv::dct(f, freq);
    std::vector<float> low;
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x)
            if (x || y)
                low.push_back(freq.at<float>(y, x));
    std::vector<float> sorted = low;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2), sorted.end());
    const float median = sorted[sorted.size() / 2];
    std::uint64_t hash = 0;
    for (std::size_t i = 0; i < low.size(); ++i)
        if (low[i] > median)
            hash |= std::uint64_t{1} << i;
    return hash;
}

int hammingDistance(std::uint64_t a, std::uint64_t b) { return static_cast<int>(std::bitset<64>(a ^ b).count()); }

std::vector<DuplicateGroup> findDuplicates(const Project& project, int threshold, std::vector<Problem>& problems) {
    const std::size_t n = project.images().size();
    std::vector<std::uint64_t> hashes(n);
    std::vector<bool> ok(n, false);
    for (std::size_t i = 0; i < n; ++i) {
        try {
            hashes[i] = perceptualHash(readImageRgb(project.absolute(project.images()[i].image)));
            ok[i] = true;
        } catch (const FileError& e) {
            problems.push_back({e.file(), e.problem() + "; not compared"});
        }
    }
    std::vector<std::size_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    const auto find = [&](std::size_t i) {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    };
    std::map<std::size_t, int> worst;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n && ok[i]; ++j)
            if (ok[j]) {
                const int d = hammingDistance(hashes[i], hashes[j]);
                if (d <= threshold) {
                    const std::size_t a = find(i), b = find(j);
                    const int w = std::max({d, worst[a], worst[b]});
                    parent[std::max(a, b)] = std::min(a, b);
                    worst[std::min(a, b)] = w;
                }
            }
    std::map<std::size_t, DuplicateGroup> groups;
    for (std::size_t i = 0; i < n; ++i)
        groups[find(i)].images.push_back(i);
    std::vector<DuplicateGroup> out;
    for (auto& [root, g] : groups)
        if (g.images.size() > 1) {
            g.maxDistance = worst[root];
            out.push_back(g);
        }
    return out;
}

std::vector<std::string> dropDuplicates(Project& project, const std::vector<DuplicateGroup>& groups) {
    std::set<std::size_t> drop;
    for (const DuplicateGroup& g : groups)
        for (std::size_t k = 1; k < g.images.size(); ++k)
            drop.insert(g.images[k]);
    std::vector<std::string> dropped;
    std::vector<ImageEntry> kept;
    for (std::size_t i = 0; i < project.images().size(); ++i)
        (drop.count(i) ? dropped.push_back(project.images()[i].image) : kept.push_back(project.images()[i]));
    project.images() = kept;
    return dropped;
}

std::vector<ClassStats> classStatistics(const Project& project, std::vector<Problem>& problems) {
    std::map<int, ClassStats> stats;
    for (const ClassInfo& c : project.classes())
        stats[c.id] = {c.id, c.name};
    std::map<int, std::pair<double, double>> boxSums;
    for (const ImageEntry& e : project.images()) {
        if (e.mask.empty())
            continue;
        try {
            const cv::Mat mask = readMask(project.absolute(e.mask), project.maskEncoding());
            const cv::Mat boxSource = e.coarse.empty() || !fs::exists(project.absolute(e.coarse)) ? mask : readMask(project.absolute(e.coarse), project.maskEncoding());
            for (auto& [id, s] : stats) {
                const int px = cv::countNonZero(mask == id);
                s.pixels += px;
                s.images += px > 0;
                if (id == 0 || id == 255)
                    continue;
                cv::Mat labels, st, centroids;
                const int n = cv::connectedComponentsWithStats(boxSource == id, labels, st, centroids, 8);
                for (int i = 1; i < n; ++i) {
                    const int w = st.at<int>(i, cv::CC_STAT_WIDTH), h = st.at<int>(i, cv::CC_STAT_HEIGHT);
                    s.minBoxArea = s.boxes ? std::min(s.minBoxArea, w * h) : w * h;
                    s.maxBoxArea = std::max(s.maxBoxArea, w * h);
                    ++s.boxes;
                    boxSums[id].first += w;
                    boxSums[id].second += h;
                }
            }
        } catch (const FileError& err) {
            problems.push_back({err.file(), err.problem() + "; not counted"});
        }
    }
    std::vector<ClassStats> out;
    for (auto& [id, s] : stats) {
        if (s.boxes) {
            s.meanBoxWidth = boxSums[id].first / s.boxes;
            s.meanBoxHeight = boxSums[id].second / s.boxes;
        }
        out.push_back(s);
    }
    return out;
}

namespace {

/** A project box file (YOLO `k cx cy w h`, k = class - 1) with its classes mapped by `lut`; boxes of
 *  classes that became background are dropped. */
std::string remapBoxLines(const std::string& text, const cv::Mat& lut) {
    std::istringstream in(text);
    std::string line, out;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        long long k = -1;
        if (!(fields >> k) || k < 0 || k >= 254) {
            out += line + "\n";  // not a box line: kept as it is
            continue;
        }
        const int mapped = lut.at<uchar>(static_cast<int>(k + 1));
        if (mapped == 0 || mapped == 255)
            continue;
        out += std::to_string(mapped - 1) + line.substr(line.find_first_of(" \t") == std::string::npos ? line.size() : line.find_first_of(" \t")) + "\n";
    }
    return out;
}

const std::string kNew = ".classes-new", kOld = ".classes-old";

/** Every new file beside its target, then each target kept as .classes-old and the new one renamed
 *  over it; any failure puts back what was replaced, removes the new files and throws a FileError
 *  naming the file that failed. */
void replaceAll(const std::vector<std::pair<std::string, std::string>>& files) {
    std::error_code ec;
    std::size_t written = 0, replaced = 0;
    const auto undo = [&] {
        for (std::size_t i = 0; i < replaced; ++i)
            fs::rename(files[i].first + kOld, files[i].first, ec);
        for (std::size_t i = 0; i < written; ++i)
            fs::remove(files[i].first + kNew, ec);
    };
    try {
        for (; written < files.size(); ++written)
            writeFileAtomic(files[written].first + kNew, files[written].second);
        for (; replaced < files.size(); ++replaced) {
            const std::string& path = files[replaced].first;
            fs::rename(path, path + kOld);
            try {
                fs::rename(path + kNew, path);
            } catch (...) {
                fs::rename(path + kOld, path, ec);
                throw;
            }
        }
    } catch (const fs::filesystem_error& e) {
        undo();
        throw FileError(e.path1().string(), std::string("could not be replaced (") + e.code().message() +
                                                "): every mask and box file put back as it was");
    } catch (...) {
        undo();
        throw;
    }
}

void restoreAll(const std::vector<std::pair<std::string, std::string>>& files) {
    std::error_code ec;
    for (const auto& f : files)
        fs::rename(f.first + kOld, f.first, ec);
}

void removeBackups(const std::vector<std::pair<std::string, std::string>>& files) {
    std::error_code ec;
    for (const auto& f : files)
        fs::remove(f.first + kOld, ec);
}

} // namespace

int changeClasses(Project& project, const std::vector<ClassChange>& changes) {
    const auto idOf = [&](const std::string& name) {
        for (const ClassInfo& c : project.classes())
            if (c.name == name)
                return c.id;
        throw FileError(project.filePath(), "no class named \"" + name + "\"");
    };
    // old id -> new id: first drops and merges by name, then the survivors renumbered in order.
    std::map<int, int> target;
    for (const ClassInfo& c : project.classes())
        target[c.id] = c.id;
    std::set<int> removed;
    for (const ClassChange& ch : changes) {
        const int from = idOf(ch.from);
        if (from == 0)
            throw FileError(project.filePath(), "the background class cannot be dropped or merged");
        const int into = ch.into.empty() ? 0 : idOf(ch.into);
        for (auto& [id, t] : target)
            if (t == from)
                t = into;
        removed.insert(from);
    }
    std::vector<ClassInfo> kept;
    std::map<int, int> renumber;
    for (const ClassInfo& c : project.classes())
        if (!removed.count(c.id)) {
            renumber[c.id] = static_cast<int>(kept.size());
            kept.push_back(c);
            kept.back().id = renumber[c.id];
        }
    cv::Mat lut(1, 256, CV_8UC1);
    for (int v = 0; v < 256; ++v)
        lut.at<uchar>(v) = static_cast<uchar>(v);
    for (const auto& [id, t] : target)
        if (id != 255)
            lut.at<uchar>(id) = static_cast<uchar>(renumber.at(t));
    // Phase 1: read and remap everything; nothing is written if any mask or box file cannot be read.
    std::vector<std::pair<std::string, std::string>> files;  // target, new bytes
    std::set<std::string> seen;
    for (const ImageEntry& e : project.images()) {
        for (const std::string* rel : {&e.mask, &e.coarse})
            if (!rel->empty() && fs::exists(project.absolute(*rel)) && seen.insert(*rel).second) {
                cv::Mat m = readMask(project.absolute(*rel), project.maskEncoding()), out;
                cv::LUT(m, lut, out);
                files.emplace_back(project.absolute(*rel), encodeMaskPng(out));
            }
        if (!e.boxes.empty() && fs::path(e.boxes).extension() == ".txt" && fs::exists(project.absolute(e.boxes)) && seen.insert(e.boxes).second)
            files.emplace_back(project.absolute(e.boxes), remapBoxLines(readFileBytes(project.absolute(e.boxes)), lut));
    }
    replaceAll(files);
    const std::vector<ClassInfo> before = project.classes();
    try {
        project.classes() = kept;
        project.save();
    } catch (...) {
        restoreAll(files);
        project.classes() = before;
        throw;
    }
    removeBackups(files);
    return static_cast<int>(files.size());
}

} // namespace mf::formats
