#!/usr/bin/python3
"""The peer of `maskforge-cli bench`: the same networks and protocol (../shared/specs/reference-models.md)
in PyTorch's Python API on the same libtorch build, so the two can be compared in one run.

Usage: /usr/bin/python3 benchmarks/peer_pytorch.py [--width 32] [--size 256] [--batch 8] [--steps 3]
       [--arch both|unet|encdec] [--channels-last] [--bf16] [--threads N]
Prints one JSON object per network, in the spec's format."""
import argparse, json, os, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Net(nn.Module):
    def __init__(self, skips, in_ch=3, classes=2, width=32, depth=4):
        super().__init__()
        ch = [width * 2 ** i for i in range(depth + 1)]
        self.skips = skips
        self.enc = nn.ModuleList([block(in_ch if i == 0 else ch[i - 1], ch[i]) for i in range(depth)])
        self.mid = block(ch[depth - 1], ch[depth])
        self.dec = nn.ModuleList([block(ch[i + 1] + (ch[i] if skips else 0), ch[i]) for i in range(depth)])
        self.head = nn.Conv2d(ch[0], classes, 1)

    def forward(self, x):
        feats = []
        for b in self.enc:
            x = b(x)
            feats.append(x)
            x = F.max_pool2d(x, 2)
        x = self.mid(x)
        for i in reversed(range(len(self.dec))):
            x = F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)
            if self.skips:
                x = torch.cat([x, feats[i]], 1)
            x = self.dec[i](x)
        return self.head(x)


def dice_loss(logits, target, classes):
    p = logits.softmax(1)
    g = F.one_hot(target, classes).permute(0, 3, 1, 2).to(p.dtype)
    dims = (0, 2, 3)
    score = (2 * (p * g).sum(dims) + 1) / (p.sum(dims) + g.sum(dims) + 1)
    return 1 - score[1:].mean()


def run(name, skips, a):
    torch.manual_seed(0)
    net = Net(skips, width=a.width, depth=a.depth)
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    net = net.to(memory_format=fmt)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(a.batch, 3, a.size, a.size).contiguous(memory_format=fmt)
    y = torch.randint(0, 2, (a.batch, a.size, a.size))

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.bf16):
            out = net(x)
        out = out.float()
        loss = F.cross_entropy(out, y) + dice_loss(out, y, 2)
        loss.backward()
        opt.step()

    net.train()
    step()
    t = time.perf_counter()
    for _ in range(a.steps):
        step()
    train = a.batch * a.steps / (time.perf_counter() - t)
    net.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.bf16):
        net(x)
        t = time.perf_counter()
        for _ in range(a.steps):
            net(x)
        infer = a.batch * a.steps / (time.perf_counter() - t)
    print(json.dumps({"model": name, "size": a.size, "batch": a.batch, "width": a.width,
                      "threads": torch.get_num_threads(), "precision": "bf16" if a.bf16 else "fp32",
                      "layout": "channels_last" if a.channels_last else "contiguous",
                      "train_img_s": round(train, 3), "infer_img_s": round(infer, 3), "peer": "pytorch-python"}), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--depth", type=int, default=4)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--arch", default="both")
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--bf16", action="store_true")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for name, skips in (("encdec", False), ("unet", True)):
        if a.arch in ("both", name):
            run(name, skips, a)


if __name__ == "__main__":
    main()
