#include "deploy/onnxgraph.h"

#include <torch/torch.h>

namespace mf::deploy {

std::string OnnxGraph::unique(const std::string& hint)
{
    return hint + "_" + std::to_string(m_counter++);
}

std::string OnnxGraph::constant(const std::string& hint, const torch::Tensor& t)
{
    const auto data = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    auto* init = m_graph.add_initializer();
    init->set_name(unique(hint));
    init->set_data_type(onnx::TensorProto::FLOAT);
    for (auto d : data.sizes())
        init->add_dims(d);
    // raw_data is little-endian by the ONNX spec, as is every machine LibTorch runs on here.
    init->set_raw_data(std::string(static_cast<const char*>(data.data_ptr()),
                                   static_cast<std::size_t>(data.numel()) * sizeof(float)));
    return init->name();
}

std::string OnnxGraph::int64s(const std::string& hint, const std::vector<std::int64_t>& values)
{
    auto* init = m_graph.add_initializer();
    init->set_name(unique(hint));
    init->set_data_type(onnx::TensorProto::INT64);
    init->add_dims(static_cast<std::int64_t>(values.size()));
    for (auto v : values)
        init->add_int64_data(v);
    return init->name();
}

onnx::NodeProto& OnnxGraph::add(const std::string& op, const std::vector<std::string>& inputs,
                                const std::string& hint)
{
    auto* node = m_graph.add_node();
    node->set_op_type(op);
    const std::string name = unique(hint);
    node->set_name(name);
    for (const auto& in : inputs)
        node->add_input(in);
    node->add_output(name);
    return *node;
}

void OnnxGraph::setInts(onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& v)
{
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto x : v)
        a->add_ints(x);
}

void OnnxGraph::setInt(onnx::NodeProto& node, const std::string& name, std::int64_t v)
{
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
}

void OnnxGraph::setString(onnx::NodeProto& node, const std::string& name, const std::string& v)
{
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
}

std::string OnnxGraph::conv(const std::string& x, const torch::Tensor& weight, const torch::Tensor& bias,
                            std::int64_t stride, std::int64_t pad, std::int64_t groups,
                            const std::string& hint)
{
    auto& node = add("Conv", {x, constant(hint + ".weight", weight), constant(hint + ".bias", bias)}, hint);
    setInts(node, "kernel_shape", {weight.size(2), weight.size(3)});
    setInts(node, "strides", {stride, stride});
    setInts(node, "pads", {pad, pad, pad, pad});
    setInts(node, "dilations", {1, 1});
    setInt(node, "group", groups);
    return out(node);
}

std::string OnnxGraph::maxPool(const std::string& x, std::int64_t kernel, std::int64_t stride, std::int64_t pad)
{
    auto& node = add("MaxPool", {x}, "maxpool");
    setInts(node, "kernel_shape", {kernel, kernel});
    setInts(node, "strides", {stride, stride});
    setInts(node, "pads", {pad, pad, pad, pad});
    return out(node);
}

std::string OnnxGraph::upsample2x(const std::string& x)
{
    auto& node = add("Resize", {x, "", constant("scales", torch::tensor({1.0f, 1.0f, 2.0f, 2.0f}))}, "up");
    setString(node, "mode", "linear");
    setString(node, "coordinate_transformation_mode", "half_pixel");
    return out(node);
}

std::string OnnxGraph::concat(const std::vector<std::string>& inputs, std::int64_t axis)
{
    auto& node = add("Concat", inputs, "concat");
    setInt(node, "axis", axis);
    return out(node);
}

std::string OnnxGraph::transpose(const std::string& x, const std::vector<std::int64_t>& perm)
{
    auto& node = add("Transpose", {x}, "transpose");
    setInts(node, "perm", perm);
    return out(node);
}

std::string OnnxGraph::reshape(const std::string& x, const std::vector<std::int64_t>& shape)
{
    return op("Reshape", {x, int64s("shape", shape)}, "reshape");
}

std::string OnnxGraph::reduceMeanLast(const std::string& x)
{
    auto& node = add("ReduceMean", {x}, "mean");
    setInts(node, "axes", {-1});
    setInt(node, "keepdims", 1);
    return out(node);
}

std::string OnnxGraph::softmaxLast(const std::string& x)
{
    auto& node = add("Softmax", {x}, "softmax");
    setInt(node, "axis", -1);
    return out(node);
}

std::string OnnxGraph::silu(const std::string& x)
{
    return op("Mul", {x, op("Sigmoid", {x}, "sigmoid")}, "silu");
}

} // namespace mf::deploy
