#include "review/liveproposals.h"

#include "io/errors.h"
#include "io/imageio.h"
#include "review/strokestore.h"

#include <algorithm>
#include <filesystem>

namespace mf {

LabelledSamples projectStrokeSamples(const Project& project, const std::vector<std::string>& skip,
                                     const LiveClassifierOptions& options, const std::atomic<bool>* cancel,
                                     std::vector<Problem>* problems) {
    const StrokeStore store(project.root());
    LabelledSamples all;
    for (const std::string& image : store.imagesWithStrokes(project)) {
        if (cancel && cancel->load())
            break;
        if (std::find(skip.begin(), skip.end(), image) != skip.end())
            continue;
        try {
            const cv::Mat pixels = readImageRgb(project.absolute(image));
            const cv::Mat strokes = store.load(image, pixels.size());
            LiveClassifier live(pixels, options);
            all.append(live.strokeSamples(strokes));
        } catch (const std::exception& e) {
            if (problems)
                problems->push_back({image, e.what()});
        }
    }
    return all;
}

std::string liveOrigin(int strokedImages) {
    return "Live classifier (strokes on " + std::to_string(strokedImages) + (strokedImages == 1 ? " image)" : " images)");
}

LiveProposals proposeUnlabelled(const Project& project, const ReviewQueue& queue, const LiveClassifierOptions& options,
                                const std::atomic<bool>* cancel, const std::function<void(int, int)>& progress) {
    LiveProposals out;
    const LabelledSamples samples = projectStrokeSamples(project, {}, options, cancel, &out.problems);
    out.strokedImages = static_cast<int>(StrokeStore(project.root()).imagesWithStrokes(project).size());
    if (cancel && cancel->load()) {
        out.cancelled = true;
        return out;
    }
    const auto forest = trainLiveForest(samples, options);
    if (!forest)
        throw std::runtime_error("the strokes of this project hold fewer than two classes: paint strokes of the "
                                 "background and of at least one class with the live classifier first");
    out.classes = forest->classes();
    const std::string origin = liveOrigin(out.strokedImages);
    std::vector<const ImageEntry*> todo;
    for (const ImageEntry& e : project.images())
        if (e.status == ImageStatus::Unlabelled && !queue.find(e.image))
            todo.push_back(&e);
    for (std::size_t i = 0; i < todo.size(); ++i) {
        if (cancel && cancel->load()) {
            out.cancelled = true;
            break;
        }
        const ImageEntry& e = *todo[i];
        try {
            const cv::Mat pixels = readImageRgb(project.absolute(e.image));
            LiveClassifier live(pixels, options);
            live.setForest(forest);
            const LivePrediction p = live.predict({}, cancel);
            if (!p.complete) {
                out.cancelled = true;
                break;
            }
            // An unlabelled image may name a mask file that is not there yet.
            const bool hasMask = !e.mask.empty() && std::filesystem::exists(project.absolute(e.mask));
            const cv::Mat before = hasMask ? readMask(project.absolute(e.mask), project.maskEncoding()) : cv::Mat();
            out.entries.push_back(writeProposal(project.root(), e.image, origin, p.labels, before));
        } catch (const std::exception& ex) {
            out.problems.push_back({e.image, ex.what()});
        }
        if (progress)
            progress(static_cast<int>(i + 1), static_cast<int>(todo.size()));
    }
    return out;
}

} // namespace mf
