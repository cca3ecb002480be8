#pragma once
#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mf {

/** tp/fp/fn/tn of one class in one image (or summed over several). */
struct ClassCounts {
    std::int64_t tp = 0, fp = 0, fn = 0, tn = 0;
};

/** Accumulates, image by image, the N×C count table and the C×C confusion matrix of
 *  ../shared/specs/metrics.md. Pixels whose truth is the ignore index count nowhere; a truth or
 *  prediction value >= classCount (other than ignore) throws std::invalid_argument. */
class MetricsAccumulator {
public:
    explicit MetricsAccumulator(int classCount, int ignoreIndex = -1);

    /** Adds one image (CV_8UC1 masks of equal size). */
    void add(const cv::Mat& truth, const cv::Mat& prediction, const std::string& name = {});

    /** Adds one image counted elsewhere (another process of a distributed run): its per-class counts,
     *  classCount() of them. Its pixels reach the confusion matrix only through addConfusion(). */
    void addCounts(std::vector<ClassCounts> image, const std::string& name = {});
    /** Adds a classCount()² confusion matrix counted elsewhere (row = truth). */
    void addConfusion(const std::vector<std::int64_t>& confusion);
    int classCount() const { return m_classes; }
    int ignoreIndex() const { return m_ignore; }
    std::size_t imageCount() const { return m_perImage.size(); }
    const std::vector<std::vector<ClassCounts>>& perImage() const { return m_perImage; }
    const std::vector<std::string>& imageNames() const { return m_names; }
    /** Row = truth, column = prediction. */
    const std::vector<std::int64_t>& confusion() const { return m_confusion; }
    std::int64_t confusionAt(int truth, int pred) const { return m_confusion[truth * m_classes + pred]; }

private:
    int m_classes;
    int m_ignore;
    std::vector<std::vector<ClassCounts>> m_perImage;
    std::vector<std::string> m_names;
    std::vector<std::int64_t> m_confusion;
};

/** Reductions of smp's metrics.functional; a 0/0 scores 1 (class absent in truth and prediction). */
enum class Reduction { Micro, Macro, MicroImagewise, MacroImagewise };

double iouOf(const ClassCounts& c);   ///< tp/(tp+fp+fn), 1 for 0/0
double diceOf(const ClassCounts& c);  ///< 2tp/(2tp+fp+fn), 1 for 0/0

/** Class `c`'s counts summed over every image of `acc` (its dataset-level counts). */
ClassCounts sumOver(const MetricsAccumulator& acc, int c);

/** IoU reduced over images and the classes in [firstClass, classCount). */
double reduceIoU(const MetricsAccumulator& acc, Reduction r, int firstClass = 0);
/** Dice reduced the same way. */
double reduceDice(const MetricsAccumulator& acc, Reduction r, int firstClass = 0);

/** Everything an evaluation reports. */
struct MetricsReport {
    int classCount = 0;
    int ignoreIndex = -1;
    std::size_t images = 0;
    std::vector<double> iou;   ///< per class, dataset-level (the macro reduction's per-class values)
    std::vector<double> dice;  ///< per class, dataset-level
    std::vector<ClassCounts> totals;  ///< per class, summed over images
    double mIoU = 0;            ///< macro, all classes
    double mIoUNoBackground = 0;///< macro over classes 1..C-1
    /** Class c is scored when it has a pixel in the truth or the prediction of the evaluated set
     *  (Σ tp+fp+fn > 0); a class absent from both is left out of the means below instead of
     *  scoring 1 (mmsegmentation's nanmean over IoU = 0/0). A class predicted but not in the truth
     *  scores 0 and counts. NaN when no class qualifies. */
    std::vector<bool> scored;
    std::vector<bool> inTruth;  ///< the class has ground-truth pixels in the evaluated set (Σ tp+fn > 0)
    double mIoUPresent = 0;             ///< mean IoU over the scored classes
    double mIoUPresentNoBackground = 0; ///< the same over scored classes 1..C-1
    double microIoU = 0;
    double microImagewiseIoU = 0;
    double macroImagewiseIoU = 0;
    double meanDice = 0;
    double pixelAccuracy = 0;
    std::vector<std::int64_t> confusion;  ///< C×C, row = truth
    std::vector<std::string> imageNames;
    std::vector<double> imageIoU;  ///< per image: micro-imagewise value of that image, no background when C>1
};

MetricsReport makeReport(const MetricsAccumulator& acc);
/** One JSON object with every figure of the report. */
std::string reportToJson(const MetricsReport& r, const std::vector<std::string>& classNames = {});
/** Human-readable table. */
std::string reportToText(const MetricsReport& r, const std::vector<std::string>& classNames = {});
/** Per-class CSV: class,name,iou,dice,tp,fp,fn. */
std::string reportToCsv(const MetricsReport& r, const std::vector<std::string>& classNames = {});

} // namespace mf
