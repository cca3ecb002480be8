// Issue 20, item 11: a crafted ONNX file crashed `predict --engine opencv`: metadata "mean": [0.5] read
// past the vector, classes larger than the network's outputs read past the output blob, classes 0
// indexed an empty vector. The metadata is now checked against itself and the graph on load.
#include "deploy/onnxmodelinfo.h"
#include "deploy/opencvpredictor.h"
#include "io/atomicfile.h"
#include "io/errors.h"
#include "../testutil.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <string>

using namespace mf;
using namespace mf::deploy;

namespace {

void addTensor(onnx::ValueInfoProto* v, const std::string& name, std::vector<long long> dims) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = t->mutable_shape();
    for (long long d : dims)
        if (d > 0)
            shape->add_dim()->set_dim_value(d);
        else
            shape->add_dim()->set_dim_param(d == 0 ? "C" : "S");
}

OnnxModelInfo goodInfo() {
    OnnxModelInfo m;
    m.classes = 2;
    m.size = 16;
    m.mean = {0.5, 0.5, 0.5};
    m.std = {0.25, 0.25, 0.25};
    m.classNames = {"background", "thing"};
    m.description = "a 1x1 convolution";
    return m;
}

/** A 1x1 convolution from 3 channels to `planes` (declared as `declared`: 0 = symbolic) with `info`. */
std::string writeModel(const test::TempDir& dir, const OnnxModelInfo& info, int planes = 2, long long declared = 2) {
    onnx::ModelProto model;
    model.set_ir_version(7);
    model.add_opset_import()->set_version(13);
    auto* g = model.mutable_graph();
    g->set_name("g");
    auto* w = g->add_initializer();
    w->set_name("W");
    w->set_data_type(onnx::TensorProto::FLOAT);
    for (int d : {planes, 3, 1, 1})
        w->add_dims(d);
    for (int i = 0; i < planes * 3; ++i)
        w->add_float_data(0.1f * static_cast<float>(i + 1));
    auto* n = g->add_node();
    n->set_op_type("Conv");
    n->add_input("image");
    n->add_input("W");
    n->add_output("logits");
    auto* kernel = n->add_attribute();  // OpenCV's importer wants it spelled out
    kernel->set_name("kernel_shape");
    kernel->set_type(onnx::AttributeProto::INTS);
    kernel->add_ints(1);
    kernel->add_ints(1);
    addTensor(g->add_input(), "image", {1, 3, -1, -1});
    addTensor(g->add_output(), "logits", {1, declared, -1, -1});
    auto* meta = model.add_metadata_props();
    meta->set_key(kOnnxMetadataKey);
    meta->set_value(onnxMetadataJson(info));
    const std::string path = dir / "m.onnx";
    writeFileAtomic(path, model.SerializeAsString());
    return path;
}

std::string errorOf(const std::string& path) {
    try {
        readOnnxModelInfo(path);
    } catch (const FileError& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST(OnnxMetadata, AGoodModelLoadsAndPredicts) {
    test::TempDir dir;
    const std::string path = writeModel(dir, goodInfo());
    EXPECT_EQ(readOnnxModelInfo(path).classes, 2);
    OpenCvPredictor p(path);
    PredictOptions o;
    o.tile = 16;
    const Prediction out = p.predict(cv::Mat(16, 16, CV_8UC3, cv::Scalar(200, 100, 50)), o);
    EXPECT_EQ(out.labels.size(), cv::Size(16, 16));
}

TEST(OnnxMetadata, CraftedMetadataIsRefusedOnLoadWithTheReason) {
    test::TempDir dir;
    OnnxModelInfo m = goodInfo();
    m.mean = {0.5};
    EXPECT_NE(errorOf(writeModel(dir, m)).find("mean"), std::string::npos);
    m = goodInfo();
    m.classes = 5;
    m.classNames.clear();
    EXPECT_NE(errorOf(writeModel(dir, m)).find("2 class planes"), std::string::npos);
    m.classes = 0;
    EXPECT_NE(errorOf(writeModel(dir, m)).find("classes is 0"), std::string::npos);
    EXPECT_THROW(OpenCvPredictor{writeModel(dir, m)}, FileError);
}

// A graph whose channel count is symbolic cannot be checked on load: the computed output is checked
// before any plane is read.
TEST(OnnxMetadata, MoreClassesThanTheNetworkComputesFailBeforeReadingPastTheBlob) {
    test::TempDir dir;
    OnnxModelInfo m = goodInfo();
    m.classes = 5;
    m.classNames.clear();
    OpenCvPredictor p(writeModel(dir, m, 2, 0));
    PredictOptions o;
    o.tile = 16;
    EXPECT_THROW(p.predict(cv::Mat(16, 16, CV_8UC3, cv::Scalar(1, 2, 3)), o), FileError);
}
