// A MaskForge checkpoint read by Debian's python3-torch (docs/checkpoints.md): the Python rebuild
// loads the state_dict strictly and reproduces the C++ logits.
#include "models/modelfactory.h"
#include "../testutil.h"
#include "models/checkpoint.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

bool pythonTorchAvailable() {
    return std::system("/usr/bin/python3 -c 'import torch' 2>/dev/null") == 0;
}

void writeFloats(const std::string& path, const torch::Tensor& t) {
    const auto c = t.contiguous();
    std::ofstream(path, std::ios::binary)
        .write(static_cast<const char*>(c.data_ptr()), static_cast<std::streamsize>(c.numel() * sizeof(float)));
}

/** Saves a network with random weights and batch-norm statistics, an input and its logits in
 *  `dir`; returns the script's --case arguments for them. */
std::string savedCase(const mf::ModelSpec& spec, const std::string& dir) {
    std::filesystem::create_directories(dir);
    torch::manual_seed(21);
    auto net = mf::makeModel(spec);
    torch::NoGradGuard noGrad;
    for (auto& m : net->modules(false))
        if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get())) {
            bn->running_mean.uniform_(-0.5, 0.5);
            bn->running_var.uniform_(0.5, 2.0);
        }
    net->eval();
    mf::CheckpointMeta meta;
    meta.spec = spec;
    meta.size = 32;
    meta.classNames = {"background", "crack", "hole"};
    mf::saveCheckpoint(dir + "/model.pt", *net, nullptr, meta);
    const auto x = torch::randn({1, spec.inChannels, 32, 32});
    writeFloats(dir + "/x.bin", x);
    writeFloats(dir + "/y.bin", net->forward(x));
    return " --case '" + dir + "/model.pt' '" + dir + "/x.bin' '" + dir + "/y.bin'";
}

/** Exit status of the Python loader verifying the given cases (one interpreter start). */
int runPython(const std::string& cases, double tolerance = 1e-4) {
    const std::string cmd = std::string("/usr/bin/python3 ") + MF_SOURCE_DIR + "/scripts/maskforge_checkpoint.py"
                            + cases + " --tolerance " + std::to_string(tolerance);
    return std::system(cmd.c_str());
}

mf::ModelSpec spec(const std::string& arch) {
    mf::ModelSpec s;
    s.arch = arch;
    s.classes = 3;
    s.width = 4;
    s.depth = 2;
    return s;
}

} // namespace

TEST(CheckpointInPython, PythonTorchRebuildsEveryPlainArchitectureFromTheCheckpoint) {
    if (!pythonTorchAvailable())
        GTEST_SKIP() << "/usr/bin/python3 has no torch (Debian's python3-torch; scripts/setup.sh installs it)";
    mf::test::TempDir dir;
    std::string cases;
    for (const char* arch : {"encdec", "unet", "unetpp"})
        cases += savedCase(spec(arch), dir / arch);
    EXPECT_EQ(runPython(cases), 0);
}

TEST(CheckpointInPython, TheComparisonCanFail) {
    if (!pythonTorchAvailable())
        GTEST_SKIP() << "/usr/bin/python3 has no torch";
    // A tolerance no computation meets: the script must report the difference, not pass.
    mf::test::TempDir dir;
    EXPECT_NE(runPython(savedCase(spec("unet"), dir / "unet"), -1.0), 0);
}
