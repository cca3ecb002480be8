#!/usr/bin/python3
"""Loads a MaskForge checkpoint (.pt) in Python's PyTorch, without MaskForge (docs/checkpoints.md).

    import maskforge_checkpoint as mfc
    meta, state = mfc.load("runs/unet/best.pt")     # JSON description, state_dict (dotted names)
    net = mfc.build(meta); net.load_state_dict(state); net.eval()   # plain-encoder encdec/unet/unetpp

Command line: maskforge_checkpoint.py CHECKPOINT [--input X.bin --expect Y.bin] [--case CKPT X Y]...
[--tolerance 1e-4] prints the description; with --input/--expect (or each --case) it runs the rebuilt
network on X (raw float32, 1×in×size×size) and compares with Y (raw float32 logits); exit status 1
when any differs by more than the tolerance."""
import argparse, json, sys
import torch
import torch.nn as nn
import torch.nn.functional as F


def load(path):
    """(meta dict, state_dict) of a MaskForge checkpoint: a TorchScript archive whose attribute
    `meta` is the JSON description and whose submodule `model` holds the weights."""
    archive = torch.jit.load(path, map_location="cpu")
    meta = json.loads(archive.meta)
    if meta.get("format") != "maskforge-checkpoint":
        raise ValueError(f"{path}: not a MaskForge checkpoint")
    return meta, {k: v.detach().clone() for k, v in archive.model.state_dict().items()}


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


def up(x):
    return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


class PlainEncoder(nn.Module):
    def __init__(self, cin, width, depth):
        super().__init__()
        ch = [width << i for i in range(depth + 1)]
        self.down = nn.ModuleList([block(cin if i == 0 else ch[i - 1], ch[i]) for i in range(depth)])
        self.bottleneck = block(ch[depth - 1], ch[depth])
        self.channels = ch

    def forward(self, x):
        features = []
        for level in self.down:
            x = level(x)
            features.append(x)
            x = F.max_pool2d(x, 2)
        return features + [self.bottleneck(x)]


class UNet(nn.Module):
    """MaskForge's UNetImpl (skips) / EncoderDecoderImpl (no skips) with the plain encoder."""
    def __init__(self, s):
        super().__init__()
        self.skips, d, w = s["arch"] == "unet", s["depth"], s["width"]
        self.encoder = PlainEncoder(s["in_channels"], w, d)
        enc, below, dec = self.encoder.channels, self.encoder.channels[d], []
        for i in range(d - 1, -1, -1):
            dec.append(block(below + (enc[i] if self.skips else 0), w << i))
            below = w << i
        self.decoder = nn.ModuleList(dec)
        self.head = nn.Conv2d(below, s["classes"], 1)

    def forward(self, x):
        f = self.encoder(x)
        d = len(self.decoder)
        y = f[d]
        for k, i in enumerate(range(d - 1, -1, -1)):
            y = up(y)
            if self.skips:
                y = torch.cat([y, f[i]], 1)
            y = self.decoder[k](y)
        return self.head(y)


class UNetPlusPlus(nn.Module):
    """MaskForge's UNetPlusPlusImpl with the plain encoder, without bottleneck attention."""
    def __init__(self, s):
        super().__init__()
        d, w = s["depth"], s["width"]
        self.depth = d
        self.encoder = PlainEncoder(s["in_channels"], w, d)
        enc = self.encoder.channels
        for i in range(d):
            for j in range(1, d - i + 1):
                cin = enc[i] + (j - 1) * (w << i) + (enc[i + 1] if j == 1 else (w << i) * 2)
                self.add_module(f"node{i}_{j}", block(cin, w << i))
        self.heads = nn.ModuleList([nn.Conv2d(w, s["classes"], 1)
                                    for _ in range(d if s["deep_supervision"] else 1)])

    def forward(self, x):
        grid = [[f] for f in self.encoder(x)]
        for j in range(1, self.depth + 1):
            for i in range(self.depth - j + 1):
                inputs = grid[i] + [up(grid[i + 1][j - 1])]
                grid[i].append(getattr(self, f"node{i}_{j}")(torch.cat(inputs, 1)))
        return self.heads[-1](grid[0][-1])


def build(meta):
    s = meta["spec"]
    if s["encoder"] != "plain" or s["attention"]:
        raise NotImplementedError("this loader rebuilds plain-encoder networks without attention; "
                                  "the state_dict itself loads for every architecture")
    return UNetPlusPlus(s) if s["arch"] == "unetpp" else UNet(s)


def verify(checkpoint, input_path, expect_path, tolerance):
    """Rebuilds the network of `checkpoint`, runs it on the raw float32 input and compares the logits."""
    meta, state = load(checkpoint)
    s = meta["spec"]
    net = build(meta)
    net.load_state_dict(state, strict=True)
    net.eval()
    shape = (1, s["in_channels"], meta["size"], meta["size"])
    x = torch.frombuffer(bytearray(open(input_path, "rb").read()), dtype=torch.float32).reshape(shape)
    want = torch.frombuffer(bytearray(open(expect_path, "rb").read()), dtype=torch.float32)
    with torch.no_grad():
        got = net(x).flatten()
    if got.numel() != want.numel():
        print(f"{checkpoint}: logits have {got.numel()} values, expected {want.numel()}")
        return False
    diff = (got - want).abs().max().item()
    print(f"{checkpoint} ({s['arch']}): max |python - maskforge| logit difference {diff:.3g}")
    return diff <= tolerance


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("checkpoint", nargs="?")
    a.add_argument("--input")
    a.add_argument("--expect")
    a.add_argument("--case", nargs=3, action="append", metavar=("CHECKPOINT", "X", "Y"),
                   help="verify several checkpoints in one run (repeatable)")
    a.add_argument("--tolerance", type=float, default=1e-4)
    args = a.parse_args()
    cases = args.case or []
    if args.checkpoint:
        meta, state = load(args.checkpoint)
        print(json.dumps({k: meta[k] for k in ("spec", "class_names", "size", "mean", "std", "epoch")}))
        print(f"{len(state)} tensors, {sum(v.numel() for v in state.values())} values")
        if args.input:
            cases.append((args.checkpoint, args.input, args.expect))
    results = [verify(c, x, y, args.tolerance) for c, x, y in cases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
