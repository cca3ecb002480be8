#include "deploy/onnxexport.h"
#include "infer/predictor.h"

#include "deploy/onnxgraph.h"
#include "deploy/onnxmodelinfo.h"
#include "infer/batchnormfold.h"
#include "io/atomicfile.h"
#include "io/errors.h"
#include "models/checkpoint.h"
#include "models/efficientnetencoder.h"
#include "models/modelfactory.h"
#include "models/tensorsequential.h"

#include <onnx/checker.h>
#include <torch/torch.h>

#include <cmath>
#include <map>
#include <set>

namespace mf::deploy {
namespace {

namespace nn = torch::nn;

std::int64_t first(const torch::ExpandingArray<2>& a) { return (*a)[0]; }

/** Writes one network's forward pass as ONNX nodes, module by module, from its parameters. */
class NetworkWriter {
public:
    NetworkWriter(nn::Module& net, const CheckpointMeta& meta, OnnxGraph& graph)
        : m_spec(meta.spec), m_size(meta.size), m_g(graph) {
        for (const auto& item : net.named_modules())
            m_modules[item.key()] = item.value();
    }

    std::string write(const std::string& input) {
        auto features = encoder(input);
        if (m_spec.arch == "unetpp")
            return unetPlusPlus(features);
        return unetDecoder(features);
    }

private:
    template <class T>
    std::shared_ptr<T> module(const std::string& path) const {
        const auto it = m_modules.find(path);
        auto m = it == m_modules.end() ? nullptr : std::dynamic_pointer_cast<T>(it->second);
        if (!m)
            throw std::logic_error("ONNX export: the network has no module '" + path + "' of the expected type");
        return m;
    }
    bool has(const std::string& path) const { return m_modules.count(path) > 0; }

    std::string conv(const std::string& x, const nn::Conv2dImpl& c, const torch::Tensor& w, const torch::Tensor& b,
                     const std::string& hint) {
        const auto& o = c.options;
        const auto pad = first(c10::get<torch::ExpandingArray<2>>(o.padding()));
        return m_g.conv(x, w, b, first(o.stride()), pad, o.groups(), hint);
    }
    /** conv → batch norm, folded into one Conv by foldBatchNorm. */
    std::string convBn(const std::string& x, const std::string& convPath, const std::string& bnPath) {
        auto c = module<nn::Conv2dImpl>(convPath);
        const auto folded = foldBatchNorm(c->weight, c->bias, nn::BatchNorm2d(module<nn::BatchNorm2dImpl>(bnPath)));
        return conv(x, *c, folded.weight, folded.bias, convPath);
    }
    std::string convBias(const std::string& x, const std::string& path) {
        auto c = module<nn::Conv2dImpl>(path);
        const auto b = c->bias.defined() ? c->bias : torch::zeros({c->weight.size(0)});
        return conv(x, *c, c->weight, b, path);
    }
    std::string relu(const std::string& x) { return m_g.op("Relu", {x}, "relu"); }

    /** The reference block: (conv3×3 → BN → ReLU) twice, children "0".."5". */
    std::string block(const std::string& x, const std::string& p) {
        auto y = relu(convBn(x, p + ".0", p + ".1"));
        return relu(convBn(y, p + ".3", p + ".4"));
    }

    std::vector<std::string> encoder(const std::string& x);
    std::vector<std::string> plainEncoder(std::string x);
    std::vector<std::string> resnetEncoder(std::string x);
    std::vector<std::string> efficientNetEncoder(std::string x);
    std::string basicBlock(const std::string& x, const std::string& p);
    std::string mbConv(const std::string& x, const std::string& p);
    std::string unetDecoder(const std::vector<std::string>& features);
    std::string unetPlusPlus(std::vector<std::string> features);
    std::string attention(const std::string& x, const std::string& p);
    std::string projection(const std::string& x, const torch::Tensor& weight, const torch::Tensor& bias,
                           const std::string& hint);

    const ModelSpec& m_spec;
    int m_size;
    OnnxGraph& m_g;
    std::map<std::string, std::shared_ptr<nn::Module>> m_modules;
};

std::vector<std::string> NetworkWriter::encoder(const std::string& x) {
    if (m_spec.encoder == "plain")
        return plainEncoder(x);
    if (m_spec.encoder == "resnet18" || m_spec.encoder == "resnet34")
        return resnetEncoder(x);
    if (m_spec.encoder == "efficientnet_b0")
        return efficientNetEncoder(x);
    throw std::invalid_argument("ONNX export: unknown encoder '" + m_spec.encoder + "'");
}

std::vector<std::string> NetworkWriter::plainEncoder(std::string x) {
    std::vector<std::string> features;
    for (int i = 0; i < m_spec.depth; ++i) {
        x = block(x, "encoder.down." + std::to_string(i));
        features.push_back(x);
        x = m_g.maxPool(x, 2, 2, 0);
    }
    features.push_back(block(x, "encoder.bottleneck"));
    return features;
}

std::string NetworkWriter::basicBlock(const std::string& x, const std::string& p) {
    auto y = relu(convBn(x, p + ".conv1", p + ".bn1"));
    y = convBn(y, p + ".conv2", p + ".bn2");
    const auto shortcut = has(p + ".downsample") ? convBn(x, p + ".downsample.0", p + ".downsample.1") : x;
    return relu(m_g.op("Add", {y, shortcut}, "residual"));
}

std::vector<std::string> NetworkWriter::resnetEncoder(std::string x) {
    std::vector<std::string> features{""}; // no stride-1 feature
    x = relu(convBn(x, "encoder.conv1", "encoder.bn1"));
    features.push_back(x);
    x = m_g.maxPool(x, 3, 2, 1);
    for (int l = 1; l < m_spec.depth; ++l) {
        const std::string layer = "encoder.layer" + std::to_string(l);
        for (int b = 0; has(layer + "." + std::to_string(b)); ++b)
            x = basicBlock(x, layer + "." + std::to_string(b));
        features.push_back(x);
    }
    return features;
}

std::string NetworkWriter::mbConv(const std::string& x, const std::string& p) {
    auto y = x;
    std::int64_t in = -1, out = -1, stride = 1;
    for (int m = 0; has(p + ".block." + std::to_string(m)); ++m) {
        const std::string part = p + ".block." + std::to_string(m);
        if (has(part + ".fc1")) { // squeeze-excitation: y · sigmoid(fc2(silu(fc1(avgpool(y)))))
            auto s = m_g.op("GlobalAveragePool", {y}, "squeeze");
            s = m_g.op("Sigmoid", {convBias(m_g.silu(convBias(s, part + ".fc1")), part + ".fc2")}, "excite");
            y = m_g.op("Mul", {y, s}, "se");
            continue;
        }
        auto c = module<nn::Conv2dImpl>(part + ".0");
        in = in < 0 ? c->options.in_channels() : in;
        out = c->options.out_channels();
        stride *= first(c->options.stride());
        y = convBn(y, part + ".0", part + ".1");
        if (has(part + ".2"))
            y = m_g.silu(y);
    }
    // torchvision adds the input back when the block keeps the shape (stochastic depth is training only).
    return stride == 1 && in == out ? m_g.op("Add", {y, x}, "residual") : y;
}

std::vector<std::string> NetworkWriter::efficientNetEncoder(std::string x) {
    const std::vector<int> levelEnd{1, 2, 3, 5, 7}; // EfficientNetEncoderImpl's levels
    std::vector<std::string> features{""};
    x = m_g.silu(convBn(x, "encoder.features.0.0", "encoder.features.0.1"));
    for (int k = 1; k <= levelEnd[m_spec.depth - 1]; ++k) {
        const std::string stage = "encoder.features." + std::to_string(k);
        for (int b = 0; has(stage + "." + std::to_string(b)); ++b)
            x = mbConv(x, stage + "." + std::to_string(b));
        if (std::find(levelEnd.begin(), levelEnd.end(), k) != levelEnd.end())
            features.push_back(x);
    }
    return features;
}

std::string NetworkWriter::unetDecoder(const std::vector<std::string>& features) {
    const int d = m_spec.depth;
    const bool skips = m_spec.arch == "unet";
    auto y = features[d];
    for (int i = d - 1; i >= 0; --i) {
        y = m_g.upsample2x(y);
        if (skips && !features[i].empty())
            y = m_g.concat({y, features[i]}, 1);
        y = block(y, "decoder." + std::to_string(d - 1 - i));
    }
    return convBias(y, "head");
}

std::string NetworkWriter::unetPlusPlus(std::vector<std::string> features) {
    const int d = m_spec.depth;
    if (m_spec.attention)
        features[d] = attention(features[d], "attention");
    std::vector<std::vector<std::string>> grid(d + 1);
    for (int i = 0; i <= d; ++i)
        grid[i].push_back(features[i]);
    for (int j = 1; j <= d; ++j)
        for (int i = 0; i + j <= d; ++i) {
            std::vector<std::string> inputs;
            for (const auto& same : grid[i])
                if (!same.empty())
                    inputs.push_back(same);
            inputs.push_back(m_g.upsample2x(grid[i + 1][j - 1]));
            grid[i].push_back(block(m_g.concat(inputs, 1),
                                    "node" + std::to_string(i) + "_" + std::to_string(j)));
        }
    const int heads = m_spec.deepSupervision ? d : 1;
    return convBias(grid[0].back(), "heads." + std::to_string(heads - 1));
}

std::string NetworkWriter::projection(const std::string& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                      const std::string& hint) {
    // x·Wᵀ + b on the last axis; MatMul by a [in, out] initializer, then Add of a [out] one.
    const auto mm = m_g.op("MatMul", {x, m_g.constant(hint + ".weight", weight.t())}, hint);
    return m_g.op("Add", {mm, m_g.constant(hint + ".bias", bias)}, hint + "_bias");
}

/** BottleneckAttention: y = x + MHA(LN(x)) over the h·w positions. */
std::string NetworkWriter::attention(const std::string& x, const std::string& p) {
    auto mha = module<nn::MultiheadAttentionImpl>(p + ".attention");
    const std::int64_t c = mha->options.embed_dim(), heads = mha->options.num_heads(), hd = c / heads;
    const std::int64_t side = m_size >> m_spec.depth;
    auto tokens = m_g.transpose(m_g.reshape(x, {0, c, -1}), {0, 2, 1}); // N×L×C
    auto normed = tokens;
    // The LayerNorm's affine part and the 1/√hd score scale are folded into the in-projection,
    // computed in double: W' = W·diag(γ), b' = W·β + b.
    auto w = mha->in_proj_weight.to(torch::kDouble);
    auto b = mha->in_proj_bias.to(torch::kDouble);
    if (has(p + ".norm")) {
        auto ln = module<nn::LayerNormImpl>(p + ".norm");
        const auto centred = m_g.op("Sub", {tokens, m_g.reduceMeanLast(tokens)}, "centred");
        const auto var = m_g.reduceMeanLast(m_g.op("Mul", {centred, centred}, "square"));
        const auto eps = m_g.constant("eps", torch::tensor({static_cast<float>(ln->options.eps())}));
        const auto sd = m_g.op("Sqrt", {m_g.op("Add", {var, eps}, "var_eps")}, "sd");
        normed = m_g.op("Div", {centred, sd}, "normed");
        const auto gamma = ln->weight.to(torch::kDouble), beta = ln->bias.to(torch::kDouble);
        b = b + torch::matmul(w, beta);
        w = w * gamma.unsqueeze(0);
    }
    const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
    auto part = [&](int k, double s) { return std::make_pair(w.slice(0, k * c, (k + 1) * c) * s,
                                                             b.slice(0, k * c, (k + 1) * c) * s); };
    const auto [wq, bq] = part(0, scale);
    const auto [wk, bk] = part(1, 1.0);
    const auto [wv, bv] = part(2, 1.0);
    auto split = [&](const std::string& t) { return m_g.reshape(t, {0, -1, heads, hd}); };
    const auto q = m_g.transpose(split(projection(normed, wq, bq, "query")), {0, 2, 1, 3});   // N×h×L×hd
    const auto k = m_g.transpose(split(projection(normed, wk, bk, "key")), {0, 2, 3, 1});     // N×h×hd×L
    const auto v = m_g.transpose(split(projection(normed, wv, bv, "value")), {0, 2, 1, 3});   // N×h×L×hd
    const auto weights = m_g.softmaxLast(m_g.op("MatMul", {q, k}, "scores"));
    auto attended = m_g.op("MatMul", {weights, v}, "attended");
    attended = m_g.reshape(m_g.transpose(attended, {0, 2, 1, 3}), {0, -1, c});
    attended = projection(attended, mha->out_proj->weight, mha->out_proj->bias, "out_proj");
    const auto sum = m_g.op("Add", {tokens, attended}, "attention_residual");
    return m_g.reshape(m_g.transpose(sum, {0, 2, 1}), {0, c, side, side});
}

void setShape(onnx::ValueInfoProto& v, const std::vector<std::string>& symbols, const std::vector<std::int64_t>& dims) {
    v.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = v.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (std::size_t i = 0; i < dims.size(); ++i) {
        auto* d = shape->add_dim();
        if (dims[i] > 0)
            d->set_dim_value(dims[i]);
        else
            d->set_dim_param(symbols[i]);
    }
}

onnx::ModelProto buildModel(nn::Module& net, const CheckpointMeta& meta, OnnxExportInfo& info) {
    onnx::ModelProto model;
    model.set_ir_version(onnx::IR_VERSION);
    model.set_producer_name("MaskForge");
    model.set_doc_string("MaskForge segmentation network " + describe(meta.spec));
    auto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    auto* graph = model.mutable_graph();
    graph->set_name("maskforge");
    OnnxGraph g(*graph);
    const std::string logits = NetworkWriter(net, meta, g).write("image");
    // The attention reshapes fix the token count, so those models take one input size only.
    info.fixedSize = meta.spec.attention ? meta.size : 0;
    const std::int64_t side = info.fixedSize;
    setShape(*graph->add_input(), {"N", "", "H", "W"}, {0, meta.spec.inChannels, side, side});
    graph->mutable_input(0)->set_name("image");
    // OpenCV's importer wants the output's shape declared.
    setShape(*graph->add_output(), {"N", "", "H", "W"}, {0, meta.spec.classes, side, side});
    graph->mutable_output(0)->set_name("logits");
    graph->mutable_node(graph->node_size() - 1)->set_output(0, "logits");
    info.sizeDivisor = 1 << meta.spec.depth;
    info.classes = meta.spec.classes;
    info.description = describe(meta.spec);
    auto* props = model.add_metadata_props();
    props->set_key(kOnnxMetadataKey);
    OnnxModelInfo stored;
    stored.classes = meta.spec.classes;
    stored.inChannels = meta.spec.inChannels;
    stored.size = meta.size;
    stored.sizeDivisor = info.sizeDivisor;
    stored.fixedSize = info.fixedSize;
    const PredictOptions asTrained = asTrainedOptions(meta);
    stored.predictTile = std::max(0, asTrained.tile);
    stored.predictOverlap = asTrained.overlap;
    stored.predictFlip = asTrained.flipTta > 0;
    stored.classBias = meta.classBias;
    stored.mean = meta.mean;
    stored.std = meta.std;
    stored.classNames = meta.classNames;
    stored.description = info.description;
    props->set_value(onnxMetadataJson(stored));
    std::set<std::string> ops;
    for (const auto& node : graph->node())
        ops.insert(node.op_type());
    info.opTypes.assign(ops.begin(), ops.end());
    info.nodes = static_cast<std::size_t>(graph->node_size());
    info.initializers = static_cast<std::size_t>(graph->initializer_size());
    return model;
}

} // namespace

OnnxExportInfo exportOnnx(const std::string& runOrCheckpoint, const std::string& outPath) {
    const std::string checkpoint = resolveCheckpoint(runOrCheckpoint);
    const CheckpointMeta meta = readCheckpointMeta(checkpoint);
    if (meta.spec.attention && (meta.size >> meta.spec.depth) << meta.spec.depth != meta.size)
        throw FileError(checkpoint, "training size " + std::to_string(meta.size) + " is not divisible by 2^depth");
    auto net = makeModel(meta.spec);
    loadCheckpoint(checkpoint, *net, nullptr, false, torch::kCPU);
    net->eval();
    torch::NoGradGuard noGrad;
    OnnxExportInfo info;
    const onnx::ModelProto model = buildModel(*net, meta, info);
    try {
        onnx::checker::check_model(model);
    } catch (const std::exception& e) {
        throw FileError(outPath, std::string("the exported model fails ONNX's checker: ") + e.what());
    }
    std::string bytes;
    if (!model.SerializeToString(&bytes))
        throw FileError(outPath, "could not serialise the ONNX model");
    writeFileAtomic(outPath, bytes);
    return info;
}

} // namespace mf::deploy
