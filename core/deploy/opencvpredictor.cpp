#include "deploy/opencvpredictor.h"
#include "infer/calibration.h"

#include "infer/inputprep.h"
#include "io/errors.h"

#include <opencv2/imgproc.hpp>

#include <sstream>

namespace mf::deploy {
namespace {

/** Per-pixel softmax over class planes, as torch's softmax(1): exp(l − max) / Σ exp(l − max). */
std::vector<cv::Mat> softmax(const std::vector<cv::Mat>& logits) {
    cv::Mat top = logits[0].clone();
    for (std::size_t c = 1; c < logits.size(); ++c)
        cv::max(top, logits[c], top);
    std::vector<cv::Mat> p(logits.size());
    cv::Mat sum = cv::Mat::zeros(top.size(), CV_32F);
    for (std::size_t c = 0; c < logits.size(); ++c) {
        cv::exp(logits[c] - top, p[c]);
        sum += p[c];
    }
    for (auto& plane : p)
        plane /= sum;
    return p;
}

std::vector<cv::Mat> flipped(const std::vector<cv::Mat>& planes) {
    std::vector<cv::Mat> out(planes.size());
    for (std::size_t c = 0; c < planes.size(); ++c)
        cv::flip(planes[c], out[c], 1);
    return out;
}

} // namespace

OpenCvPredictor::OpenCvPredictor(const std::string& onnxPath)
    : m_file(onnxPath), m_info(readOnnxModelInfo(onnxPath)) {
    try {
        m_net = cv::dnn::readNetFromONNX(onnxPath);
    } catch (const cv::Exception& e) {
        throw FileError(onnxPath, std::string("OpenCV's DNN module cannot read this model: ") + e.what());
    }
    m_net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    m_net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
}

std::string OpenCvPredictor::description() const {
    std::ostringstream s;
    s << m_info.description << ", trained at " << m_info.size << " px, OpenCV DNN engine (" << m_file << ")";
    return s.str();
}

cv::Mat OpenCvPredictor::logits(const cv::Mat& blob) {
    if (m_info.fixedSize > 0 && (blob.size[2] != m_info.fixedSize || blob.size[3] != m_info.fixedSize))
        throw std::invalid_argument("this exported model (bottleneck attention) takes only "
                                    + std::to_string(m_info.fixedSize) + "×" + std::to_string(m_info.fixedSize)
                                    + " inputs: predict with --tile 0 (the training size)");
    m_net.setInput(blob);
    cv::Mat out = m_net.forward(); // the graph's one output, "logits"
    // The shapes the graph declares were checked on load; what it computes is checked here, before any
    // plane is read from the blob.
    if (out.dims != 4 || out.size[0] != 1 || out.size[1] != m_info.classes || out.size[2] != blob.size[2] || out.size[3] != blob.size[3])
        throw FileError(m_file, "the network's output is not 1 x " + std::to_string(m_info.classes) + " x H x W for a " +
                                    std::to_string(blob.size[3]) + "x" + std::to_string(blob.size[2]) + " input, as its metadata says");
    return out;
}

std::vector<cv::Mat> OpenCvPredictor::forwardPadded(const cv::Mat& rgb) {
    // Replicate-padding the image before normalising equals the LibTorch predictor's replicate
    // padding of the normalised tensor: normalisation is per pixel.
    const int d = std::max(1, m_info.sizeDivisor);
    const int padH = (d - rgb.rows % d) % d, padW = (d - rgb.cols % d) % d;
    cv::Mat padded = rgb;
    if (padH || padW)
        cv::copyMakeBorder(rgb, padded, 0, padH, 0, padW, cv::BORDER_REPLICATE);
    const int dims[] = {1, 3, padded.rows, padded.cols};
    cv::Mat blob(4, dims, CV_32F);
    normaliseImage(padded, blob.ptr<float>(), m_info.mean, m_info.std);
    cv::Mat out = logits(blob);
    std::vector<cv::Mat> planes;
    const cv::Rect crop(0, 0, rgb.cols, rgb.rows);
    for (int c = 0; c < m_info.classes; ++c)
        planes.push_back(cv::Mat(padded.rows, padded.cols, CV_32F, out.ptr<float>(0, c))(crop).clone());
    return softmax(planes);
}

std::vector<cv::Mat> OpenCvPredictor::probabilities(const cv::Mat& rgb, bool flipTta) {
    auto p = forwardPadded(rgb);
    if (flipTta) {
        cv::Mat mirror;
        cv::flip(rgb, mirror, 1);
        const auto q = flipped(forwardPadded(mirror));
        for (std::size_t c = 0; c < p.size(); ++c)
            p[c] = (p[c] + q[c]) * 0.5f;
    }
    return p;
}

std::vector<cv::Mat> OpenCvPredictor::resized(const cv::Mat& rgb, bool flipTta) {
    cv::Mat small;
    cv::resize(rgb, small, cv::Size(m_info.size, m_info.size), 0, 0, cv::INTER_LINEAR);
    auto p = probabilities(small, flipTta);
    if (small.size() != rgb.size())
        for (auto& plane : p)
            cv::resize(plane, plane, rgb.size(), 0, 0, cv::INTER_LINEAR);
    return p;
}

std::vector<cv::Mat> OpenCvPredictor::tiled(const cv::Mat& rgb, int tile, int overlap, bool flipTta) {
    const int h = rgb.rows, w = rgb.cols;
    const TileGrid grid = tileGrid(tile, overlap, std::max(1, m_info.sizeDivisor));
    const int th = std::min(grid.tile, h), tw = std::min(grid.tile, w);
    std::vector<cv::Mat> sum(m_info.classes);
    for (auto& s : sum)
        s = cv::Mat::zeros(h, w, CV_32F);
    cv::Mat weight = cv::Mat::zeros(h, w, CV_32F);
    const int ramp = grid.tile - grid.stride;
    for (int y0 : tileStarts(h, grid.tile, grid.stride)) {
        const auto wy = edgeRamp(th, ramp, y0 > 0, y0 + th < h);
        for (int x0 : tileStarts(w, grid.tile, grid.stride)) {
            const auto wx = edgeRamp(tw, ramp, x0 > 0, x0 + tw < w);
            const cv::Mat win = cv::Mat(th, 1, CV_32F, const_cast<float*>(wy.data()))
                                * cv::Mat(1, tw, CV_32F, const_cast<float*>(wx.data()));
            const cv::Rect r(x0, y0, tw, th);
            const auto p = probabilities(rgb(r), flipTta);
            for (int c = 0; c < m_info.classes; ++c) {
                cv::Mat target = sum[c](r);
                target += p[c].mul(win);
            }
            cv::Mat target = weight(r);
            target += win;
        }
    }
    for (auto& s : sum)
        s /= weight;
    return sum;
}

Prediction OpenCvPredictor::predict(const cv::Mat& rgb, const PredictOptions& asked) {
    if (rgb.type() != CV_8UC3)
        throw std::invalid_argument("Predictor::predict needs an 8-bit RGB image (CV_8UC3)");
    PredictOptions options = asked;
    if (options.tile < 0)  // as the run was trained (stored in the model's metadata at export)
        options.tile = m_info.predictTile, options.overlap = m_info.predictOverlap;
    const bool flip = options.flipTta < 0 ? m_info.predictFlip : options.flipTta > 0;
    Prediction out;
    if (options.tile <= 0)
        out.probabilities = resized(rgb, flip);
    else if (rgb.rows <= options.tile && rgb.cols <= options.tile)
        out.probabilities = probabilities(rgb, flip);
    else
        out.probabilities = tiled(rgb, options.tile, options.overlap, flip);
    // argmax with the first class winning ties, as torch's argmax.
    out.labels = cv::Mat::zeros(rgb.size(), CV_8UC1);
    cv::Mat best = out.probabilities[0].clone();
    for (int c = 1; c < m_info.classes; ++c) {
        const cv::Mat better = out.probabilities[c] > best;
        out.labels.setTo(c, better);
        out.probabilities[c].copyTo(best, better);
    }
    if (options.calibrated)
        applyClassBias(out, m_info.classBias);
    return out;
}

} // namespace mf::deploy
