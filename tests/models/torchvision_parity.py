"""Writes torchvision encoders' weights, an input and their feature maps for the C++ parity test.

Usage: /usr/bin/python3 torchvision_parity.py OUTDIR
For each of resnet18, resnet34, efficientnet_b0 (random weights, fixed seed, eval mode):
  OUTDIR/NAME.pt      torch.save(model.state_dict())
  OUTDIR/NAME_io.pt   torch.save([input, feature at stride 2, 4, 8, 16, 32])
Nothing is downloaded.
"""
import sys

import torch
import torchvision


def randomize_batchnorm(model):
    # Fresh BatchNorms are the identity in eval mode; give them statistics that matter.
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.normal_(0.0, 0.1)
            m.running_mean.normal_(0.0, 0.1)
            m.running_var.uniform_(0.5, 1.5)


def resnet_features(model, x):
    x = model.relu(model.bn1(model.conv1(x)))
    feats = [x]
    x = model.maxpool(x)
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        x = layer(x)
        feats.append(x)
    return feats


def efficientnet_features(model, x):
    feats = []
    for i, module in enumerate(model.features[:8]):
        x = module(x)
        if i in (1, 2, 3, 5, 7):
            feats.append(x)
    return feats


def main(outdir):
    torch.set_num_threads(2)
    models = {
        "resnet18": resnet_features,
        "resnet34": resnet_features,
        "efficientnet_b0": efficientnet_features,
    }
    for name, features in models.items():
        torch.manual_seed(0)
        model = getattr(torchvision.models, name)(weights=None)
        randomize_batchnorm(model)
        model.eval()
        x = torch.randn(2, 3, 64, 96)
        with torch.no_grad():
            feats = features(model, x)
        torch.save(model.state_dict(), f"{outdir}/{name}.pt")
        torch.save([x] + [f.contiguous() for f in feats], f"{outdir}/{name}_io.pt")


if __name__ == "__main__":
    main(sys.argv[1])
