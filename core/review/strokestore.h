#pragma once
#include "project/project.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace mf {

/** The live classifier's strokes of a project, one PNG per image under `<root>/.maskforge/strokes/`
 *  (class id where painted, 255 elsewhere; named by projectFileStem), written atomically: they survive
 *  a restart, teach the classifier on every image and name the source of its proposals. Holds no state
 *  but the root, so any thread may read (one writer: the canvas). */
class StrokeStore {
public:
    static constexpr const char* kDir = ".maskforge/strokes";
    static constexpr int kUnpainted = 255;

    explicit StrokeStore(std::string root) : m_root(std::move(root)) {}

    /** Absolute path of the strokes of `image` (project-relative). */
    std::string path(const std::string& image) const;
    bool has(const std::string& image) const;
    /** The strokes of `image`, or an unpainted map of `size` when it has none. Throws FileError naming
     *  the file when it is unreadable or not of `size` (the image was replaced). */
    cv::Mat load(const std::string& image, cv::Size size) const;
    /** Writes the strokes atomically, or deletes the file when nothing is painted. Throws FileError. */
    void save(const std::string& image, const cv::Mat& strokes) const;
    /** The images of `project` with strokes, in project order. */
    std::vector<std::string> imagesWithStrokes(const Project& project) const;

private:
    std::string m_root;
};

} // namespace mf
