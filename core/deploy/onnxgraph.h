#pragma once
#include <onnx/onnx_pb.h>
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mf::deploy {

/**
 * Appends nodes and initializers to one ONNX graph (which it does not own), naming every value
 * uniquely from a hint. Constants always become initializers (never Constant or Identity nodes),
 * so OpenCV's DNN importer reads them as weights.
 */
class OnnxGraph {
public:
    explicit OnnxGraph(onnx::GraphProto& graph) : m_graph(graph) {}

    /** A float initializer holding `t` (copied, any shape). */
    std::string constant(const std::string& hint, const torch::Tensor& t);
    /** An int64 1-D initializer (shapes, axes). */
    std::string int64s(const std::string& hint, const std::vector<std::int64_t>& values);

    /** A node with one output; returns the output's name. */
    onnx::NodeProto& add(const std::string& op, const std::vector<std::string>& inputs,
                         const std::string& hint);
    std::string op(const std::string& op, const std::vector<std::string>& inputs,
                   const std::string& hint) { return out(add(op, inputs, hint)); }

    /** Conv with a [out, in/groups, k, k] weight and a [out] bias; stride, pad on all sides. */
    std::string conv(const std::string& x, const torch::Tensor& weight, const torch::Tensor& bias,
                     std::int64_t stride, std::int64_t pad, std::int64_t groups, const std::string& hint);
    std::string maxPool(const std::string& x, std::int64_t kernel, std::int64_t stride, std::int64_t pad);
    /** Bilinear ×2 with half-pixel centres: PyTorch's interpolate(align_corners = false). */
    std::string upsample2x(const std::string& x);
    std::string concat(const std::vector<std::string>& inputs, std::int64_t axis);
    std::string transpose(const std::string& x, const std::vector<std::int64_t>& perm);
    std::string reshape(const std::string& x, const std::vector<std::int64_t>& shape);
    std::string reduceMeanLast(const std::string& x);
    std::string softmaxLast(const std::string& x);
    /** x · sigmoid(x), as Sigmoid and Mul (OpenCV 4.6 has no SiLU/Swish ONNX op). */
    std::string silu(const std::string& x);

    static const std::string& out(const onnx::NodeProto& node) { return node.output(0); }
    static void setInts(onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& v);
    static void setInt(onnx::NodeProto& node, const std::string& name, std::int64_t v);
    static void setString(onnx::NodeProto& node, const std::string& name, const std::string& v);

private:
    std::string unique(const std::string& hint);

    onnx::GraphProto& m_graph;
    std::int64_t m_counter = 0;
};

} // namespace mf::deploy
