#pragma once
#include "io/imageio.h"
#include "runs/trainconfig.h"

#include <string>
#include <vector>

namespace mf {

/** One training sample: absolute paths of an image and its index mask. A box-supervised sample
 *  (TrainConfig::supervision) learns from its detection boxes instead: `mask` is then the mask its boxes
 *  are recovered from when `boxes` is empty (a coarse box fill, or a true mask whose regions' bounding
 *  boxes stand in for boxes), and gives the image's size. */
struct LoaderItem {
    std::string image;
    std::string mask;
    MaskEncoding maskEncoding = MaskEncoding::Index;  ///< the dataset's (see Project::maskEncoding)
    bool boxSupervised = false;
    std::string boxes{};  ///< box-supervised: the YOLO box file (project class c as c − 1), or empty
};

/** The train and validation samples of a run and what the masks mean. */
struct DataSplit {
    std::vector<LoaderItem> train, val;
    int classCount = 0;
    std::vector<std::string> classNames;
    int ignoreIndex = 255;  ///< the project's; the loss and loader should use the same value
    std::string splitNote;  ///< one line for the log: where the split came from
    std::string supervisionNote;  ///< one line for the log and the run folder: how the images are supervised
    /** What calibration (infer/calibration.h) is fitted on: the trusted masks the run can see, the
     *  validation split's reviewed images first (at least kCalibrationMinimum), else every reviewed image
     *  of train and val, else the validation images as labelled; with an explicit val folder, that folder. */
    std::vector<LoaderItem> calibration;
    std::string calibrationNote;  ///< names the evidence ("37 reviewed validation images")
};

/** The fewest trusted images calibration is fitted on before it falls back to the next evidence. */
constexpr int kCalibrationMinimum = 5;

/** How many training items learn from boxes and from masks, and the line saying so. */
std::string describeSupervision(const DataSplit& split, const std::string& supervision);

/** Builds the samples of `config.data` (a project or a plain images/ + masks/ folder; only images with
 *  a mask count). With `config.val` set, all of data trains and all of val validates. Otherwise the
 *  project's split is used (Train -> train, Val -> val, Test left out, labelled images added after the
 *  split -> train); a dataset without a split is split in memory with splitProject seeded by
 *  config.seed (nothing is written). Throws FileError naming the folder when it holds no labelled image.
 *  config.supervision decides which training items are box-supervised (LoaderItem); validation always
 *  scores against masks, so with box supervision (auto, boxes) coarse validation images move to
 *  training when the validation split holds trusted (refined or reviewed) masks to score on. */
DataSplit loadDataSplit(const TrainConfig& config);

/** The labelled images of a project folder (or plain dataset folder) as loader items, in project order. */
std::vector<LoaderItem> loadItems(const std::string& path);

} // namespace mf
