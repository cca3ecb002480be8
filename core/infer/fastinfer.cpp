#include "infer/fastinfer.h"

#include "infer/batchnormfold.h"
#include "machine/device.h"
#include "models/block.h"
#include "models/plainencoder.h"
#include "models/unet.h"

#include <c10/core/InferenceMode.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace mf {

const char* layoutName(InferLayout layout) {
    return layout == InferLayout::ChannelsLast ? "channels_last" : "contiguous";
}

namespace {

/** One convolution with its batch norm folded in and, optionally, a ReLU applied in place. */
struct FusedConv {
    torch::Tensor weight, bias;
    std::vector<int64_t> stride, padding, dilation;
    int64_t groups = 1;
    bool relu = false;
};
using FusedBlock = std::vector<FusedConv>;

std::vector<int64_t> pair(const torch::ExpandingArray<2>& a) { return {(*a)[0], (*a)[1]}; }

FusedConv fromConv(const torch::nn::Conv2dImpl& conv) {
    const auto& o = conv.options;
    if (!c10::holds_alternative<torch::ExpandingArray<2>>(o.padding()) ||
        !c10::holds_alternative<torch::enumtype::kZeros>(o.padding_mode()) || o.transposed())
        throw std::invalid_argument("fast inference: only zero-padded convolutions with explicit padding");
    FusedConv c;
    c.weight = conv.weight.detach().clone();
    c.bias = conv.bias.defined() ? conv.bias.detach().clone() : torch::Tensor();
    c.stride = pair(o.stride());
    c.padding = pair(c10::get<torch::ExpandingArray<2>>(o.padding()));
    c.dilation = pair(o.dilation());
    c.groups = o.groups();
    return c;
}

/** Conv [BatchNorm] [ReLU] … of a Sequential as fused convolutions; throws std::invalid_argument for
 *  anything else, so the caller falls back to running the module. */
FusedBlock compileSequential(const torch::nn::SequentialImpl& seq) {
    FusedBlock out;
    for (const auto& child : seq.children()) {
        if (const auto* conv = dynamic_cast<const torch::nn::Conv2dImpl*>(child.get())) {
            out.push_back(fromConv(*conv));
        } else if (auto bn = std::dynamic_pointer_cast<torch::nn::BatchNorm2dImpl>(child)) {
            if (out.empty() || out.back().relu)
                throw std::invalid_argument("fast inference: batch norm not right after a convolution");
            auto folded = foldBatchNorm(out.back().weight, out.back().bias, torch::nn::BatchNorm2d(bn));
            out.back().weight = folded.weight;
            out.back().bias = folded.bias;
        } else if (dynamic_cast<const torch::nn::ReLUImpl*>(child.get())) {
            if (out.empty() || out.back().relu)
                throw std::invalid_argument("fast inference: ReLU not right after a convolution");
            out.back().relu = true;
        } else {
            throw std::invalid_argument("fast inference: unsupported layer in a block");
        }
    }
    return out;
}

torch::Tensor runConv(const FusedConv& c, const torch::Tensor& x) {
    auto y = at::conv2d(x, c.weight, c.bias, c.stride, c.padding, c.dilation, c.groups);
    if (c.relu)
        y.relu_();
    return y;
}

torch::Tensor runBlock(const FusedBlock& block, torch::Tensor x) {
    for (const auto& c : block)
        x = runConv(c, x);
    return x;
}

double convFlops(const FusedConv& c, int64_t h, int64_t w, int64_t& outH, int64_t& outW) {
    const auto kh = c.weight.size(2), kw = c.weight.size(3);
    outH = (h + 2 * c.padding[0] - c.dilation[0] * (kh - 1) - 1) / c.stride[0] + 1;
    outW = (w + 2 * c.padding[1] - c.dilation[1] * (kw - 1) - 1) / c.stride[1] + 1;
    return 2.0 * static_cast<double>(c.weight.numel()) * static_cast<double>(outH * outW);
}

double blockFlops(const FusedBlock& b, int64_t& h, int64_t& w) {
    double f = 0;
    for (const auto& c : b)
        f += convFlops(c, h, w, h, w);
    return f;
}

/** The reference U-Net / encoder-decoder, compiled. */
struct FusedUNet {
    std::vector<FusedBlock> down;  // encoder levels, each followed by a 2×2 max pool
    FusedBlock bottleneck;
    std::vector<FusedBlock> up;    // deepest first, each after a ×2 upsampling (and concat)
    FusedConv head;
    bool skips = true;

    std::vector<FusedConv*> convs() {
        std::vector<FusedConv*> all;
        for (auto* list : {&down, &up})
            for (auto& b : *list)
                for (auto& c : b)
                    all.push_back(&c);
        for (auto& c : bottleneck)
            all.push_back(&c);
        all.push_back(&head);
        return all;
    }

    torch::Tensor forward(torch::Tensor x) const {
        std::vector<torch::Tensor> features;
        for (const auto& level : down) {
            x = runBlock(level, x);
            features.push_back(x);
            x = at::max_pool2d(x, {2, 2});
        }
        x = runBlock(bottleneck, x);
        const int d = static_cast<int>(down.size());
        for (int i = d - 1; i >= 0; --i) {
            x = upsample2x(x);
            if (skips)
                x = at::cat({x, features[i]}, 1);
            features[i] = torch::Tensor();  // its memory can go as soon as the concat holds a copy
            x = runBlock(up[d - 1 - i], x);
        }
        return runConv(head, x);
    }

    double flops(int64_t h, int64_t w) const {
        double f = 0;
        for (const auto& level : down) {
            f += blockFlops(level, h, w);
            h /= 2, w /= 2;
        }
        f += blockFlops(bottleneck, h, w);
        for (std::size_t i = 0; i < up.size(); ++i) {
            h *= 2, w *= 2;
            f += blockFlops(up[i], h, w);
        }
        return f + blockFlops({head}, h, w);
    }
};


torch::nn::SequentialImpl& asSequential(const std::shared_ptr<torch::nn::Module>& m) {
    auto* seq = dynamic_cast<torch::nn::SequentialImpl*>(m.get());
    if (!seq)
        throw std::invalid_argument("fast inference: a level is not a block");
    return *seq;
}

std::shared_ptr<torch::nn::Module> child(const torch::nn::Module& m, const std::string& name) {
    for (const auto& item : m.named_children())
        if (item.key() == name)
            return item.value();
    throw std::invalid_argument("fast inference: no submodule '" + name + "'");
}

/** The reference networks compile; anything else (pretrained encoders, U-Net++) gives null. */
std::unique_ptr<FusedUNet> compileUNet(const SegmentationNet& net) {
    const auto* unet = dynamic_cast<const UNetImpl*>(net.get());
    if (!unet)
        return nullptr;
    auto encoderModule = child(*unet, "encoder");
    if (!dynamic_cast<const PlainEncoderImpl*>(encoderModule.get()))
        return nullptr;
    try {
        auto f = std::make_unique<FusedUNet>();
        f->skips = unet->options().skips;
        for (const auto& level : child(*encoderModule, "down")->children())
            f->down.push_back(compileSequential(asSequential(level)));
        f->bottleneck = compileSequential(asSequential(child(*encoderModule, "bottleneck")));
        for (const auto& level : child(*unet, "decoder")->children())
            f->up.push_back(compileSequential(asSequential(level)));
        const auto* head = dynamic_cast<const torch::nn::Conv2dImpl*>(child(*unet, "head").get());
        if (!head || f->up.size() != f->down.size())
            return nullptr;
        f->head = fromConv(*head);
        return f;
    } catch (const std::invalid_argument&) {
        return nullptr;  // a layer the fused path does not know: the module runs as it is
    }
}

/** Layout measured per network shape, precision and device, once per process. */
std::mutex g_layoutMutex;
std::map<std::string, InferLayout>& layoutCache() {
    static std::map<std::string, InferLayout> cache;
    return cache;
}

std::string shapeKey(const torch::nn::Module& net, bool bf16, const torch::Device& device, int probe) {
    std::ostringstream key;
    key << net.name() << (bf16 ? "/bf16/" : "/fp32/") << device << "/" << probe << "/" << torch::get_num_threads();
    for (const auto& p : net.parameters())
        key << ":" << p.sizes();
    return key.str();
}

} // namespace

struct FastInference::Fused {
    FusedUNet net;
};

FastInference::FastInference(const SegmentationNet& net, const FastInferOptions& options)
    : m_net(net), m_bf16(options.bf16) {
    if (!net)
        throw std::invalid_argument("fast inference: no network");
    net->eval();
    const auto params = net->parameters();
    if (!params.empty())
        m_device = params.front().device();
    if (auto f = compileUNet(net))
        m_fused = std::make_unique<Fused>(Fused{std::move(*f)});
    const int inChannels = params.empty() ? 3 : static_cast<int>(params.front().size(1));
    InferLayout layout = options.forceLayout;
    bool measure = options.measureLayout;
    if (const char* env = std::getenv("MF_INFER_LAYOUT")) {
        const std::string e = env;
        if (e == "contiguous" || e == "channels_last") {
            layout = e == "contiguous" ? InferLayout::Contiguous : InferLayout::ChannelsLast;
            measure = false;
        }
    }
    if (measure) {
        const std::string key = shapeKey(*net, m_bf16, m_device, options.probeSize);
        std::lock_guard<std::mutex> lock(g_layoutMutex);
        auto it = layoutCache().find(key);
        layout = it != layoutCache().end() ? it->second : measureLayout(options.probeSize, inChannels);
        layoutCache()[key] = layout;
    }
    setLayout(layout);
}

FastInference::~FastInference() = default;

bool FastInference::fused() const { return m_fused != nullptr; }

void FastInference::setLayout(InferLayout layout) {
    m_layout = layout;
    const auto format = layout == InferLayout::ChannelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    const auto dtype = m_bf16 ? (m_device.is_cuda() ? torch::kHalf : torch::kBFloat16) : torch::kFloat;
    if (!m_fused) {
        torch::NoGradGuard noGrad;
        for (auto& p : m_net->parameters())
            if (p.dim() == 4)
                p.set_data(p.data().contiguous(format));
        return;
    }
    for (FusedConv* c : m_fused->net.convs()) {
        c->weight = c->weight.to(m_device, dtype).contiguous(format);
        if (c->bias.defined())
            c->bias = c->bias.to(m_device, dtype).contiguous();
    }
}

InferLayout FastInference::measureLayout(int probeSize, int inChannels) {
    using Clock = std::chrono::steady_clock;
    const int divisor = std::max(1, m_net->sizeDivisor());
    const int side = std::max(divisor, probeSize / divisor * divisor);
    const auto probe = torch::rand({1, inChannels, side, side}).to(m_device);
    double best = 0;
    InferLayout chosen = InferLayout::Contiguous;
    for (InferLayout candidate : {InferLayout::Contiguous, InferLayout::ChannelsLast}) {
        setLayout(candidate);
        run(probe);  // warm-up: oneDNN builds its kernels for these shapes
        double fastest = 1e30;
        for (int i = 0; i < 2; ++i) {
            const auto t0 = Clock::now();
            run(probe);
            if (m_device.is_cuda())
                torch::cuda::synchronize();
            fastest = std::min(fastest, std::chrono::duration<double>(Clock::now() - t0).count());
        }
        if (best == 0 || fastest < best) {
            best = fastest;
            chosen = candidate;
        }
    }
    return chosen;
}

torch::Tensor FastInference::run(const torch::Tensor& input) {
    c10::InferenceMode guard;
    auto x = input.to(m_device);
    if (m_layout == InferLayout::ChannelsLast)
        x = x.contiguous(at::MemoryFormat::ChannelsLast);
    if (!m_fused) {
        AutocastScope autocast(m_bf16, m_device);
        return m_net->forward(x).to(torch::kFloat).contiguous();
    }
    if (m_bf16)
        x = x.to(m_device.is_cuda() ? torch::kHalf : torch::kBFloat16);
    return m_fused->net.forward(x).to(torch::kFloat).contiguous();
}

torch::Tensor FastInference::forward(const torch::Tensor& x) {
    if (x.dim() != 4)
        throw std::invalid_argument("fast inference: input must be N×C×H×W");
    return run(x);
}

double FastInference::flopsPerImage(int h, int w) const {
    return m_fused ? m_fused->net.flops(h, w) : 0.0;
}

std::string FastInference::describe() const {
    std::ostringstream s;
    s << (m_fused ? "fused conv+bn+relu" : "module") << ", " << layoutName(m_layout) << ", "
      << (m_bf16 ? (m_device.is_cuda() ? "fp16" : "bf16") : "fp32");
    return s.str();
}

} // namespace mf
