#pragma once
#include "models/bottleneckattention.h"
#include "models/encoder.h"
#include "models/segmentationnet.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>

namespace mf {

/**
 * UNet++ (Zhou et al. 2018): nested dense skip pathways. Node X^{i,j} (level i, column j >= 1)
 * is block(concat(X^{i,0..j-1}, up(X^{i+1,j-1}))) with width·2^i channels; X^{i,0} are the
 * encoder features. Optional bottleneck self-attention on X^{d,0}.
 * Deep supervision adds a 1×1 head on each of X^{0,1..d}: forwardAll() returns all of them (for
 * the training loss); forward() always returns the last one, X^{0,d} ("final head"), in training
 * and in eval alike.
 */
class UNetPlusPlusImpl : public SegmentationNetImpl {
public:
    struct Options {
        int inChannels = 3;
        int classes = 2;
        int width = 32;
        int depth = 4;
        bool deepSupervision = false;
        bool attention = false;
        int attentionHeads = 4;
        bool attentionLayerNorm = true;
    };
    /** With the plain reference encoder. */
    explicit UNetPlusPlusImpl(const Options& options);
    /** On a given encoder (its depth wins). */
    UNetPlusPlusImpl(Encoder encoder, const Options& options);

    torch::Tensor forward(torch::Tensor x) override;
    std::vector<torch::Tensor> forwardAll(torch::Tensor x) override;
    int sizeDivisor() const override;

private:
    void buildNodes();
    std::int64_t nodeInputChannels(int i, int j) const;
    /** X^{0,1..d}. */
    std::vector<torch::Tensor> topRow(torch::Tensor x);

    Options m_options;
    Encoder m_encoder;
    BottleneckAttention m_attention{nullptr};
    std::vector<std::vector<torch::nn::Sequential>> m_nodes; // [i][j], j >= 1; [i][0] is null
    torch::nn::ModuleList m_heads;
};
TORCH_MODULE(UNetPlusPlus);

} // namespace mf
